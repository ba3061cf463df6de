"""The knowledge base loads, covers the contract, cites its sources, and says exactly where a
malformed file is wrong."""

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge import KnowledgeError, load_knowledge
from knowledge.contract import CAUSE_IDS, RED_FLAG_IDS, ROOTS
from knowledge.loader import DATA_DIR


def test_every_contract_id_is_in_the_knowledge_base(kb):
    assert set(CAUSE_IDS) <= set(kb.conditions)
    assert set(RED_FLAG_IDS) == set(kb.red_flags.flags)
    assert set(kb.roots) == set(ROOTS)


def test_every_dermatome_is_reachable_from_some_region(kb):
    assert {root for region in kb.regions for root in region.dermatomes} == set(ROOTS)


def test_every_fact_names_sources_that_exist(kb):
    cited = [s for r in kb.regions for s in r.sources]
    cited += [s for c in kb.conditions.values() for s in c.sources]
    cited += [s for f in kb.red_flags.flags.values() for s in f.sources]
    cited += [s for t in kb.tips.values() for s in t.sources]
    assert cited and set(cited) <= set(kb.sources)


def test_region_names_and_synonyms_are_unique(kb):
    names = [r.name for r in kb.regions]
    assert len(names) == len(set(names))
    synonyms = [s.lower() for r in kb.regions for s in r.synonyms]
    assert len(synonyms) == len(set(synonyms))


def _broken_copy(tmp_path: Path, file_name: str, change) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    data = yaml.safe_load((target / file_name).read_text())
    change(data)
    (target / file_name).write_text(yaml.safe_dump(data))
    return target


def test_a_bad_field_is_reported_with_file_entry_and_field(tmp_path):
    def wrong_root(regions):
        regions[0]["dermatomes"] = ["L9"]

    with pytest.raises(KnowledgeError) as error:
        load_knowledge(_broken_copy(tmp_path, "regions.yml", wrong_root))
    message = str(error.value)
    assert "regions.yml" in message and "groin" in message and "dermatomes" in message


def test_a_missing_condition_field_is_reported(tmp_path):
    def no_triage(conditions):
        del conditions["shingles"]["triage"]

    with pytest.raises(KnowledgeError, match=r"conditions.yml: entry 'shingles', field 'triage'"):
        load_knowledge(_broken_copy(tmp_path, "conditions.yml", no_triage))


def test_an_unknown_source_is_reported(tmp_path):
    def bad_source(tips):
        tips["keep_moving"]["sources"] = ["nowhere"]

    with pytest.raises(KnowledgeError, match=r"tips.yml: entry 'keep_moving': source 'nowhere'"):
        load_knowledge(_broken_copy(tmp_path, "tips.yml", bad_source))


def test_yaml_booleans_are_not_taken_for_words(tmp_path):
    def unquoted_no(vocabulary):
        vocabulary["no_words"][0] = False  # what an unquoted `no` becomes in YAML

    with pytest.raises(KnowledgeError, match=r"vocabulary.yml: entry 'no_words', field '0'"):
        load_knowledge(_broken_copy(tmp_path, "vocabulary.yml", unquoted_no))


def test_a_missing_contract_cause_is_reported(tmp_path):
    def drop_dvt(conditions):
        del conditions["dvt"]

    with pytest.raises(KnowledgeError, match="contract cause id 'dvt'"):
        load_knowledge(_broken_copy(tmp_path, "conditions.yml", drop_dvt))
