#!/usr/bin/env python3
"""Validate the project's own vignettes and print what they cover.

Usage:
    python tools/check_vignettes.py [--dir tests/vignettes] [--public PUBLIC.yml]

Every *.yml under --dir is read with patient_sim's own loader
(`$SHARED_DIR/tools/patient_sim.py`, SHARED_DIR defaulting to ../shared next to the
repository), so a file that loads here also plays there.  On top of that loader this
script checks the ids against CONTRACT.md and the coverage rules below, prints the
coverage tables, and exits 1 when any rule is broken (0 otherwise).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from knowledge.contract import CAUSE_IDS, RED_FLAG_IDS, ROOTS, TRIAGE_LEVELS

REPO_ROOT = Path(__file__).resolve().parent.parent

# CONTRACT section 4 (cause ids) and 5 (red-flag ids, triage levels).
RED_FLAGS = RED_FLAG_IDS
DERMATOMES = ROOTS
SIDES = {"both": ("both",), "left": ("left", "lft"), "right": ("right", "rite")}

# Coverage rules (issue 4).
# own-: written with the knowledge base in view; blind-: written without looking at it.
ID_PREFIXES = ("own-", "blind-")
MIN_VIGNETTES = 90
MIN_PER_CAUSE = 3  # vignettes naming the cause in cause_top1_any
MIN_PER_RED_FLAG = 2  # scripted "yes..." answer and listed in red_flags_any
MIN_PER_DERMATOME = 3
MIN_PER_SIDE = 3
MIN_PER_TRIAGE = 5
# Causes whose pain does not follow a dermatome: no dermatomes_any with them.
NOT_DERMATOMAL = {"diabetic_neuropathy", "dvt", "peripheral_artery_disease", "acute_limb_ischemia"}

# Patient styles: name -> minimum number of vignettes showing it.
STYLE_MINIMUMS = {
    "negation trap": 8,
    "vague": 3,
    "long opening": 3,
    "one-word answers": 3,
    "typos": 3,
}
VAGUE = re.compile(
    r"\b(not sure|kind of|sort of|maybe|don't really know|i guess|"
    r"i suppose|i think)\b",
    re.IGNORECASE,
)
DENIABLE = RED_FLAGS + ("chickenpox_history",)  # denying one of these is a negation trap
DENIAL = re.compile(r"^(no|nope|never|not)\b", re.IGNORECASE)
REQUIRED_TYPOS = ("sciatca", "tingeling", "numbnes", "lft", "calff", "diabeties", "chikenpox")
TYPOS = frozenset(
    REQUIRED_TYPOS
    + (
        "littel",
        "outsid",
        "rite",
        "blistres",
        "burnin",
        "shootin",
        "siting",
        "walkin",
        "nothin",
        "swolen",
        "flite",
        "proply",
        "realy",
        "feets",
        "nite",
        "throbin",
        "tuch",
    )
)
LONG_OPENING_WORDS = 45
TERSE_MAX_WORDS = 2
TERSE_MIN_ANSWERS = 8
VAGUE_MIN_ANSWERS = 3


def shared_dir() -> Path:
    return Path(os.environ.get("SHARED_DIR") or REPO_ROOT.parent / "shared")


def load_patient_sim() -> ModuleType:
    """Import ../shared/tools/patient_sim.py by path (it is not a package)."""
    path = shared_dir() / "tools" / "patient_sim.py"
    if "patient_sim" in sys.modules:
        return sys.modules["patient_sim"]
    spec = importlib.util.spec_from_file_location("patient_sim", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise SystemExit(f"check_vignettes: cannot find {path} (set SHARED_DIR)")
    module = importlib.util.module_from_spec(spec)
    sys.modules["patient_sim"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def load_all(sim: ModuleType, directory: Path) -> tuple[list[Any], dict[str, dict], list[str]]:
    """Every vignette (patient_sim objects), the raw YAML by id, and load errors."""
    vignettes: list[Any] = []
    raw_by_id: dict[str, dict] = {}
    errors: list[str] = []
    for path in sorted(directory.glob("*.yml")):
        try:
            loaded = sim.load_vignettes(path)
        except sim.VignetteError as exc:
            errors.append(f"{path.name}: {exc}")
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            raw_by_id[str(item["id"])] = item
        vignettes += loaded
    return vignettes, raw_by_id, errors


def public_vignettes(sim: ModuleType, path: Path | None) -> list[Any]:
    return sim.load_vignettes(path) if path and path.is_file() else []


# --------------------------------------------------------------------------
# Per-vignette checks
# --------------------------------------------------------------------------


def unknown(values: list[str] | None, known: Any) -> list[str]:
    return [value for value in values or [] if value not in known]


def vignette_problems(v: Any, raw: dict, known_topics: Any) -> list[str]:
    expect = v.expect
    problems = [
        f"unknown cause id {c!r}"
        for c in unknown(expect.cause_top1_any, CAUSE_IDS)
        + unknown(expect.causes_top3_any, CAUSE_IDS)
    ]
    problems += [f"unknown red-flag id {f!r}" for f in unknown(expect.red_flags_any, RED_FLAGS)]
    problems += [f"unknown dermatome {d!r}" for d in unknown(expect.dermatomes_any, DERMATOMES)]
    problems += [f"unknown answer topic {t!r}" for t in unknown(list(v.answers), known_topics)]
    if not v.id.startswith(ID_PREFIXES):
        problems.append(f"id does not start with one of {ID_PREFIXES}")
    if not str(raw.get("note") or "").strip():
        problems.append("no note")
    if expect.dermatomes_any and set(expect.cause_top1_any or []) & NOT_DERMATOMAL:
        problems.append("dermatomes_any on a non-dermatomal cause")
    for flag in expect.red_flags_any or []:
        if DENIAL.match(v.answers.get(flag, "")):
            problems.append(f"red flag {flag} expected but the scripted answer denies it")
    return [f"{v.id}: {problem}" for problem in problems]


def collection_problems(vignettes: list[Any], public: list[Any]) -> list[str]:
    problems: list[str] = []
    ids = Counter(v.id for v in vignettes)
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    public_ids = {p.id for p in public}
    problems += [f"id {v.id!r} is a public id" for v in vignettes if v.id in public_ids]
    public_openings = {p.opening.strip().lower() for p in public}
    problems += [
        f"{v.id}: opening copied from the public file"
        for v in vignettes
        if v.opening.strip().lower() in public_openings
    ]
    return problems


# --------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------


def side_of(v: Any) -> str | None:
    text = v.answers.get("pain_side", "").lower()
    for side, words in SIDES.items():
        if any(re.search(rf"\b{word}\b", text) for word in words):
            return side
    return None


def positive_flags(v: Any) -> set[str]:
    return {
        flag
        for flag in v.expect.red_flags_any or []
        if v.answers.get(flag, "").strip().lower().startswith("yes")
    }


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def all_words(v: Any) -> set[str]:
    return set(words(v.opening)).union(*(words(a) for a in v.answers.values()))


def styles_of(v: Any) -> set[str]:
    answers = list(v.answers.values())
    denials = [
        answer
        for topic, answer in v.answers.items()
        if topic in DENIABLE and DENIAL.match(answer) and len(answer.split()) > 2
    ]  # an explicit "no, ..."
    found = {
        "negation trap": bool(denials),
        "vague": sum(1 for a in answers if VAGUE.search(a)) >= VAGUE_MIN_ANSWERS,
        "long opening": len(v.opening.split()) >= LONG_OPENING_WORDS,
        "one-word answers": len(answers) >= TERSE_MIN_ANSWERS
        and all(len(a.split()) <= TERSE_MAX_WORDS for a in answers),
        "typos": bool(all_words(v) & TYPOS),
    }
    return {style for style, present in found.items() if present}


def coverage(vignettes: list[Any]) -> dict[str, tuple[Counter, dict[str, int]]]:
    """Table name -> (counts, minimum per key)."""

    def count(keys_of: Any) -> Counter:
        return Counter(key for v in vignettes for key in set(keys_of(v)))

    typo_words = Counter(t for v in vignettes for t in all_words(v) & set(REQUIRED_TYPOS))
    return {
        "cause (cause_top1_any)": (
            count(lambda v: v.expect.cause_top1_any or []),
            dict.fromkeys(CAUSE_IDS, MIN_PER_CAUSE),
        ),
        "red flag (scripted yes + expected)": (
            count(positive_flags),
            dict.fromkeys(RED_FLAGS, MIN_PER_RED_FLAG),
        ),
        "dermatome (dermatomes_any)": (
            count(lambda v: v.expect.dermatomes_any or []),
            dict.fromkeys(DERMATOMES, MIN_PER_DERMATOME),
        ),
        "side (pain_side answer)": (
            count(lambda v: [s for s in [side_of(v)] if s]),
            dict.fromkeys(SIDES, MIN_PER_SIDE),
        ),
        "triage (acceptable levels)": (
            count(lambda v: v.expect.triage),
            dict.fromkeys(TRIAGE_LEVELS, MIN_PER_TRIAGE),
        ),
        "patient style": (count(styles_of), dict(STYLE_MINIMUMS)),
        "required typo": (typo_words, dict.fromkeys(REQUIRED_TYPOS, 1)),
    }


def format_table(name: str, counts: Counter, minimums: dict[str, int]) -> tuple[str, list[str]]:
    keys = list(minimums) + sorted(k for k in counts if k not in minimums)
    width = max(len(k) for k in keys)
    lines = [f"{name}:"]
    short: list[str] = []
    for key in keys:
        n, least = counts.get(key, 0), minimums.get(key, 0)
        status = "ok" if n >= least else f"LOW (min {least})"
        if n < least:
            short.append(f"{name}: {key} has {n}, needs {least}")
        lines.append(f"  {key.ljust(width)}  {n:4d}  {status}")
    return "\n".join(lines), short


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=REPO_ROOT / "tests" / "vignettes")
    parser.add_argument(
        "--public",
        type=Path,
        default=shared_dir() / "vignettes" / "public.yml",
        help="public vignettes whose ids and openings must not be reused",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sim = load_patient_sim()
    vignettes, raw_by_id, problems = load_all(sim, args.dir)
    problems += collection_problems(vignettes, public_vignettes(sim, args.public))
    for v in vignettes:
        problems += vignette_problems(v, raw_by_id.get(v.id, {}), sim.KNOWN_TOPICS)
    files = len(list(args.dir.glob("*.yml")))
    print(f"vignettes: {len(vignettes)} in {files} files (min {MIN_VIGNETTES})")
    if len(vignettes) < MIN_VIGNETTES:
        problems.append(f"only {len(vignettes)} vignettes, needs {MIN_VIGNETTES}")
    for name, (counts, minimums) in coverage(vignettes).items():
        table, short = format_table(name, counts, minimums)
        print(table)
        problems += short
    if problems:
        print(f"\n{len(problems)} problem(s):", *problems, sep="\n  ", file=sys.stderr)
        return 1
    print("\nall coverage rules met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
