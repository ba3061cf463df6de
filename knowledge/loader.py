"""Load the knowledge base, validate every file, and check the files agree with each other.

A malformed file fails at start with a message naming the file, the entry and the field.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Tuple, Type

import yaml
from pydantic import ValidationError, parse_obj_as

from knowledge import schema
from knowledge.contract import CAUSE_IDS, FINDING_SLOTS, RED_FLAG_IDS, TRIAGE_LEVELS

DATA_DIR = Path(__file__).parent / "data"


class KnowledgeError(Exception):
    """The knowledge base cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Knowledge:
    sources: Dict[str, schema.Source]
    regions: List[schema.Region]
    roots: Dict[str, schema.RootInfo]
    conditions: Dict[str, schema.Condition]
    red_flags: schema.RedFlags
    tips: Dict[str, schema.Tip]
    risk_factors: Dict[str, schema.RiskFactor]
    glossary: Dict[str, schema.GlossaryEntry]
    questions: schema.Questions
    vocabulary: schema.Vocabulary
    care: schema.Care
    responses: schema.Responses
    myotomes: Dict[str, schema.Myotome]

    def region(self, name: str) -> schema.Region:
        return next(region for region in self.regions if region.name == name)


# file name -> (Knowledge field, pydantic type of the whole file)
FILES: Dict[str, Tuple[str, Any]] = {
    "sources.yml": ("sources", Dict[str, schema.Source]),
    "regions.yml": ("regions", List[schema.Region]),
    "roots.yml": ("roots", Dict[str, schema.RootInfo]),
    "conditions.yml": ("conditions", Dict[str, schema.Condition]),
    "red_flags.yml": ("red_flags", schema.RedFlags),
    "tips.yml": ("tips", Dict[str, schema.Tip]),
    "risk_factors.yml": ("risk_factors", Dict[str, schema.RiskFactor]),
    "glossary.yml": ("glossary", Dict[str, schema.GlossaryEntry]),
    "questions.yml": ("questions", schema.Questions),
    "vocabulary.yml": ("vocabulary", schema.Vocabulary),
    "care.yml": ("care", schema.Care),
    "responses/en.yml": ("responses", schema.Responses),
    "myotomes.yml": ("myotomes", Dict[str, schema.Myotome]),
}


def _read_file(path: Path, kind: Type[Any]) -> Any:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnowledgeError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: not valid YAML ({exc})") from exc
    try:
        return parse_obj_as(kind, raw)
    except ValidationError as exc:
        raise KnowledgeError(_describe(path.name, raw, exc)) from exc


def _describe(file_name: str, raw: Any, exc: ValidationError) -> str:
    """'regions.yml: entry 'heel' (#25), field 'dermatomes.0': unexpected value ...'."""
    problems = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"] if part != "__root__"]
        entry, field = (loc[0], ".".join(loc[1:])) if loc else ("(whole file)", "")
        if isinstance(raw, list) and entry.isdigit() and int(entry) < len(raw):
            item = raw[int(entry)]
            label = item.get("name", entry) if isinstance(item, dict) else entry
            entry = f"{label} (#{int(entry) + 1})"
        problems.append(
            f"{file_name}: entry '{entry}', field '{field or '(entry)'}': {error['msg']}"
        )
    return "\n".join(problems)


def _missing(file_name: str, what: str, names: Iterable[str], known: Iterable[str]) -> List[str]:
    known = set(known)
    return [f"{file_name}: {what} '{name}' is not defined" for name in names if name not in known]


def _cross_check(kb: Knowledge) -> None:
    """References between files must resolve, and the contract's ids must all be present."""
    problems: List[str] = []
    cited = [("regions.yml", r.name, r.sources) for r in kb.regions]
    for file_name, field in (
        ("roots.yml", "roots"),
        ("conditions.yml", "conditions"),
        ("tips.yml", "tips"),
        ("risk_factors.yml", "risk_factors"),
        ("glossary.yml", "glossary"),
        ("myotomes.yml", "myotomes"),
    ):
        cited += [(file_name, key, item.sources) for key, item in getattr(kb, field).items()]
    cited += [("red_flags.yml", key, flag.sources) for key, flag in kb.red_flags.flags.items()]
    cited += [
        ("questions.yml", "questions", kb.questions.sources),
        ("vocabulary.yml", "vocabulary", kb.vocabulary.sources),
        ("care.yml", "triage", kb.care.triage_sources),
        ("care.yml", "doctor_may", kb.care.sources_doctor_may),
    ]
    for file_name, entry, sources in cited:
        problems += _missing(file_name, f"entry '{entry}': source", sources, kb.sources)
    problems += _missing("conditions.yml", "contract cause id", CAUSE_IDS, kb.conditions)
    problems += _missing("red_flags.yml", "contract red-flag id", RED_FLAG_IDS, kb.red_flags.flags)
    problems += _missing("care.yml", "triage level", TRIAGE_LEVELS, kb.care.triage)
    for key, condition in kb.conditions.items():
        problems += _missing("conditions.yml", f"entry '{key}': tip", condition.self_care, kb.tips)
        problems += _missing(
            "conditions.yml", f"entry '{key}': doctor_may", condition.doctor_may, kb.care.doctor_may
        )
    for key, flag in kb.red_flags.flags.items():
        problems += _missing(
            "red_flags.yml", f"entry '{key}': group", [flag.group], kb.red_flags.groups
        )
    asked = [q.slot for q in kb.questions.questions if q.slot]
    problems += _missing("questions.yml", "slot", asked, FINDING_SLOTS)
    groups = [q.group for q in kb.questions.questions if q.group]
    problems += _missing("questions.yml", "group", groups, kb.red_flags.groups)
    problems += _reasons_check(kb)
    problems += [
        f"myotomes.yml: entry '{key}': red flag '{sign.flag}' is not defined"
        for key, sign in kb.myotomes.items()
        if sign.flag and sign.flag not in kb.red_flags.flags
    ]
    if problems:
        raise KnowledgeError("\n".join(problems))


def _reasons_check(kb: Knowledge) -> List[str]:
    """Each reason must name a cause and one of that cause's own findings."""
    problems = _missing("responses/en.yml", "reasons: cause", kb.responses.reasons, kb.conditions)
    for cause, reasons in kb.responses.reasons.items():
        if cause in kb.conditions:
            features = [finding.feature for finding in kb.conditions[cause].findings]
            problems += _missing(
                "responses/en.yml", f"reasons of '{cause}': finding", reasons, features
            )
    for field in ("sign_questions", "sign_suspected"):
        problems += _missing(
            "responses/en.yml",
            f"{field}: red flag",
            getattr(kb.responses, field),
            kb.red_flags.flags,
        )
        problems += [
            f"responses/en.yml: {field} lacks '{flag}'"
            for flag in kb.red_flags.flags
            if flag not in getattr(kb.responses, field)
        ]
    problems += _missing(
        "responses/en.yml", "safety_net: level", kb.responses.safety_net, TRIAGE_LEVELS
    )
    problems += [
        f"responses/en.yml: tells_apart lacks '{cause}'"
        for cause in kb.conditions
        if cause not in kb.responses.tells_apart
    ]
    return problems


def load_knowledge(data_dir: Path = DATA_DIR) -> Knowledge:
    """Read and check every file in `data_dir`; raises KnowledgeError naming what is wrong."""
    parts = {
        field: _read_file(Path(data_dir) / name, kind) for name, (field, kind) in FILES.items()
    }
    kb = Knowledge(**parts)
    _cross_check(kb)
    return kb


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The project's own knowledge base, loaded once per process."""
    return load_knowledge()
