"""Score the language layer alone (no servers, no Rasa) on a labelled set, for tuning:

    .venv/bin/python tools/score_language.py tests/nlu/real_voice/tune.yml
    .venv/bin/python tools/score_language.py tests/nlu/test_set.yml --errors 50

Prints the per-slot table of tests/nlu/score_slots.py and the warning-sign figures of
`warning_sign_scores`. A sign counts as recognised when it is set present, or when it is
emitted as suspected (entity role "suspected": the assistant asks a confirmation question).
"""

import argparse
import datetime as dt
import importlib.util
import inspect
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.interview import slot_updates  # noqa: E402
from knowledge import knowledge  # noqa: E402
from knowledge.contract import RED_FLAG_IDS  # noqa: E402

# Relative dates in the labelled sets are read as of this day (a Monday).
REFERENCE_DATE = dt.date(2024, 6, 10)
SUSPECTED = "suspected"
# Steering and derived slots of the engine, not findings the patient reported.
NOT_FINDINGS = {"flag_followup", "suspected_flag", "motor_signs"}
Entity = Mapping[str, Any]


def scorer() -> Any:
    """tests/nlu/score_slots.py (or tools/score_slots.py, wherever it lives now)."""
    if "score_slots" in sys.modules:
        return sys.modules["score_slots"]
    for place in (ROOT / "tools" / "score_slots.py", ROOT / "tests" / "nlu" / "score_slots.py"):
        if place.exists():
            spec = importlib.util.spec_from_file_location("score_slots", place)
            module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
            sys.modules["score_slots"] = module
            spec.loader.exec_module(module)  # type: ignore[union-attr]
            return module
    raise FileNotFoundError("score_slots.py not found in tools/ or tests/nlu/")


def _takes_text() -> bool:
    return "text" in inspect.signature(slot_updates).parameters


def updates_from_entities(
    entities: Sequence[Entity], text: str, requested: Optional[str]
) -> Tuple[Dict[str, Any], List[str]]:
    """(slot updates from empty slots, suspected warning signs). Suspected signs are left out
    of the slot updates: they only make the assistant ask."""
    suspected = [
        e["value"] for e in entities if e["entity"] == "red_flag" and e.get("role") == SUSPECTED
    ]
    sure = [e for e in entities if e.get("role") != SUSPECTED]
    args: List[Any] = [sure, {}, requested, knowledge()]
    if _takes_text():
        args.append(text)
    updates = slot_updates(*args)
    vague = updates.pop("vague_location", None)  # understood, held until asked
    if vague and "pain_location" not in updates:
        updates["pain_location"] = vague
    return updates, suspected


def warning_sign_scores(
    items: Iterable[Mapping[str, Any]],
    recognised: Callable[[Mapping[str, Any]], Tuple[set, set]],
    emergency_ids: Iterable[str],
) -> Dict[str, Any]:
    """Recall and precision of the warning signs a message names as present.

    `recognised(item)` returns (signs set present, signs only suspected). A sign the label
    says is present counts as found when it is either; a sign found but not labelled present
    is a false alarm. Emergency items: every item naming an emergency sign must have at least
    one of its emergency signs recognised."""
    emergency = set(emergency_ids)
    tp = fp = fn = 0
    per_sign: Dict[str, Dict[str, int]] = {f: {"tp": 0, "fp": 0, "fn": 0} for f in RED_FLAG_IDS}
    missed: List[Dict[str, Any]] = []
    false_alarms: List[Dict[str, Any]] = []
    emergency_items = emergency_missed = 0
    emergency_misses: List[str] = []
    for item in items:
        expected = {f for f in RED_FLAG_IDS if (item.get("slots") or {}).get(f) is True}
        present, suspected = recognised(item)
        found = (present | suspected) & set(RED_FLAG_IDS)
        for flag in expected & found:
            per_sign[flag]["tp"] += 1
        for flag in expected - found:
            per_sign[flag]["fn"] += 1
        for flag in found - expected:
            per_sign[flag]["fp"] += 1
        tp += len(expected & found)
        fn += len(expected - found)
        fp += len(found - expected)
        if expected - found:
            missed.append({"text": item["text"], "missed": sorted(expected - found)})
        if found - expected:
            false_alarms.append({"text": item["text"], "extra": sorted(found - expected)})
        if expected & emergency:
            emergency_items += 1
            if not (found & expected & emergency):
                emergency_missed += 1
                emergency_misses.append(item["text"])
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "per_sign": per_sign,
        "missed": missed,
        "false_alarms": false_alarms,
        "emergency_items": emergency_items,
        "emergency_missed": emergency_missed,
        "emergency_misses": emergency_misses,
    }


def emergency_sign_ids() -> List[str]:
    """Signs that need emergency care on their own, plus sciatica in both legs (which does
    in context: it is recognised through bilateral_leg_symptoms)."""
    flags = knowledge().red_flags.flags
    return [f for f, flag in flags.items() if flag.interrupts] + ["bilateral_leg_symptoms"]


def format_warning_signs(result: Mapping[str, Any], max_errors: int = 40) -> str:
    lines = [
        f"warning signs: recall {result['recall']:.3f} ({result['tp']}/"
        f"{result['tp'] + result['fn']}), precision {result['precision']:.3f} "
        f"({result['fp']} false alarms); emergency items recognised "
        f"{result['emergency_items'] - result['emergency_missed']}/"
        f"{result['emergency_items']}",
        f"{'sign':<30}{'tp':>5}{'fp':>5}{'fn':>5}",
    ]
    for flag, c in result["per_sign"].items():
        lines.append(f"{flag:<30}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}")
    for text in result["emergency_misses"]:
        lines.append(f"  EMERGENCY MISSED {text!r}")
    for entry in result["missed"][:max_errors]:
        lines.append(f"  sign missed {', '.join(entry['missed'])}: {entry['text']!r}")
    for entry in result["false_alarms"][:max_errors]:
        lines.append(f"  false alarm {', '.join(entry['extra'])}: {entry['text']!r}")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    from language.extract import extractor

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--errors", type=int, default=40, help="how many errors to list")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="figures only, no items (for the test half: never tune on it)",
    )
    parser.add_argument(
        "--rules-only", action="store_true", help="without the trained second opinion"
    )
    args = parser.parse_args(argv)
    extractor().second_opinion.enabled = not args.rules_only
    items = yaml.safe_load(args.path.read_text(encoding="utf-8"))
    cache: Dict[Tuple[str, Optional[str]], Tuple[Dict[str, Any], List[str]]] = {}

    def run(text: str, requested: Optional[str]) -> Tuple[Dict[str, Any], List[str]]:
        if (text, requested) not in cache:
            entities = extractor().entities(text, today=REFERENCE_DATE)
            cache[(text, requested)] = updates_from_entities(entities, text, requested)
        return cache[(text, requested)]

    module = scorer()
    slots = module.score(
        items,
        lambda text, requested: run(text, requested)[0],
        ignored_slots=set(module.IGNORED_SLOTS) | NOT_FINDINGS,
    )
    report = module.format_report(slots, max_errors=args.errors)
    if args.summary:
        report = report.split("\n\n")[0] + (
            f"\nnegation subset: {slots['negation_items']} items, "
            f"{slots['negation_errors']} negation errors"
        )
    print(report)

    def recognised(item: Mapping[str, Any]) -> Tuple[set, set]:
        updates, suspected = run(item["text"], item.get("requested_slot"))
        return {f for f in RED_FLAG_IDS if updates.get(f) is True}, set(suspected)

    signs = warning_sign_scores(items, recognised, emergency_sign_ids())
    print()
    text = format_warning_signs(signs, max_errors=0 if args.summary else args.errors)
    print(
        "\n".join(
            line for line in text.splitlines() if not (args.summary and line.startswith("  "))
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
