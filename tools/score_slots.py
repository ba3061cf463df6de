"""Score slot filling (and optionally intent classification) against a labelled test set
(tests/nlu/*.yml), for the NLU tests and tools/score_language.py.

Plain Python, no Rasa imports, so it can score any predictor:

    scores = score(items, predict, predict_intent)
    print(format_report(scores))

`items` are dicts as in tests/nlu/test_set.yml:

    text: "burning on the outside of my left foot when I sit, no rash"
    intent: inform                  # optional
    requested_slot: null            # the slot the bot had just asked for, if any
    slots: {pain_location: [outer foot], pain_side: left, rash: false}
    negation: true                  # optional: the item belongs to the negation subset
    absent: {pain_quality: [numbness]}   # optional: values that must NOT be extracted

`predict(text, requested_slot) -> dict` returns the slot updates for one message;
`predict_intent(text) -> str` returns the intent name.

Slot scoring works on (slot, value) pairs: a list slot gives one pair per element (an empty
list gives one pair meaning "answered: none"), any other slot one pair. Numbers are equal
when they differ by at most 1 or by at most 10% of the expected value; text is compared
case-insensitively; booleans must match exactly. Precision, recall and F1 are reported per
slot and micro-averaged over all slots.

Negation errors are counted on items marked `negation: true`: an expected boolean slot that
came out with the other value, or a value listed under `absent` that was extracted anyway.
An expected boolean that was not set at all is a negation *miss* (reported separately; it is
already an error in the slot F1).
"""

from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

EMPTY = "<none>"  # the value of the single pair an empty list slot stands for
IGNORED_SLOTS = frozenset({"unanswered", "dermatomes", "red_flags"})

Predict = Callable[[str, Optional[str]], Mapping[str, Any]]
PredictIntent = Callable[[str], str]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def same_value(expected: Any, got: Any) -> bool:
    """Whether one predicted value counts as the expected one."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return isinstance(expected, bool) and isinstance(got, bool) and expected == got
    if _is_number(expected) or _is_number(got):
        try:
            e, g = float(expected), float(got)
        except (TypeError, ValueError):
            return False
        return abs(e - g) <= max(1.0, 0.1 * abs(e))
    if isinstance(expected, str) and isinstance(got, str):
        return expected.strip().lower() == got.strip().lower()
    return expected == got


def slot_values(value: Any) -> List[Any]:
    """The values one slot contributes pairs for."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value) if value else [EMPTY]
    return [value]


def _match(expected: Sequence[Any], got: Sequence[Any]) -> Tuple[int, List[Any], List[Any]]:
    """(true positives, expected values not found, predicted values not expected)."""
    unmatched_got = list(got)
    missed = []
    for value in expected:
        hit = next((i for i, g in enumerate(unmatched_got) if same_value(value, g)), None)
        if hit is None:
            missed.append(value)
        else:
            unmatched_got.pop(hit)
    return len(expected) - len(missed), missed, unmatched_got


def _prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _relevant(slots: Optional[Mapping[str, Any]], ignored: Iterable[str]) -> Dict[str, Any]:
    ignored = set(ignored)
    return {k: v for k, v in (slots or {}).items() if k not in ignored and v is not None}


def _negation_check(
    item: Mapping[str, Any], expected: Mapping[str, Any], got: Mapping[str, Any]
) -> Tuple[List[str], List[str]]:
    """(errors, misses) for one item of the negation subset."""
    errors, misses = [], []
    for slot, value in expected.items():
        if not isinstance(value, bool):
            continue
        if slot not in got:
            misses.append(f"{slot}: expected {value}, not set")
        elif not same_value(value, got[slot]):
            errors.append(f"{slot}: expected {value}, got {got[slot]!r}")
    for slot, values in (item.get("absent") or {}).items():
        extracted = slot_values(got[slot]) if slot in got else []
        for value in slot_values(values):
            if any(same_value(value, g) for g in extracted):
                errors.append(f"{slot}: {value!r} extracted although negated")
    return errors, misses


def _intent_scores(
    texts: Sequence[str], gold: Sequence[str], predicted: Sequence[str]
) -> Dict[str, Any]:
    labels = sorted(set(gold) | set(predicted))
    per_intent = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        per_intent[label] = _prf(tp, fp, fn)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "intent_accuracy": correct / len(gold) if gold else 0.0,
        "intent_macro_f1": (
            sum(s["f1"] for s in per_intent.values()) / len(per_intent) if per_intent else 0.0
        ),
        # Weighted by how often each intent really occurs (Rasa's headline intent F1).
        "intent_weighted_f1": (sum(per_intent[g]["f1"] for g in gold) / len(gold) if gold else 0.0),
        "per_intent": per_intent,
        "intent_errors": [
            {"text": t, "expected": g, "got": p}
            for t, g, p in zip(texts, gold, predicted, strict=True)
            if g != p
        ],
    }


def score(
    test_items: Iterable[Mapping[str, Any]],
    predict: Predict,
    predict_intent: Optional[PredictIntent] = None,
    ignored_slots: Iterable[str] = IGNORED_SLOTS,
) -> Dict[str, Any]:
    """Score `predict` (and `predict_intent`, if given) over the items; see module docs."""
    items = list(test_items)
    ignored = frozenset(ignored_slots)
    counts: Dict[str, Dict[str, int]] = {}
    errors: List[Dict[str, Any]] = []
    negation_errors: List[Dict[str, Any]] = []
    negation_misses: List[Dict[str, Any]] = []
    gold_intents: List[str] = []
    predicted_intents: List[str] = []
    intent_texts: List[str] = []
    negation_items = 0

    for item in items:
        text = item["text"]
        requested = item.get("requested_slot")
        expected = _relevant(item.get("slots"), ignored)
        got = _relevant(predict(text, requested), ignored)
        missed_all: Dict[str, List[Any]] = {}
        extra_all: Dict[str, List[Any]] = {}
        for slot in sorted(set(expected) | set(got)):
            e = slot_values(expected[slot]) if slot in expected else []
            g = slot_values(got[slot]) if slot in got else []
            tp, missed, extra = _match(e, g)
            c = counts.setdefault(slot, {"tp": 0, "fp": 0, "fn": 0})
            c["tp"] += tp
            c["fn"] += len(missed)
            c["fp"] += len(extra)
            if missed:
                missed_all[slot] = missed
            if extra:
                extra_all[slot] = extra
        if missed_all or extra_all:
            errors.append(
                {
                    "text": text,
                    "requested_slot": requested,
                    "missed": missed_all,
                    "extra": extra_all,
                    "expected": expected,
                    "got": got,
                }
            )
        if item.get("negation"):
            negation_items += 1
            wrong, unset = _negation_check(item, expected, got)
            if wrong:
                negation_errors.append({"text": text, "errors": wrong})
            if unset:
                negation_misses.append({"text": text, "misses": unset})
        if predict_intent is not None and item.get("intent"):
            gold_intents.append(item["intent"])
            predicted_intents.append(predict_intent(text))
            intent_texts.append(text)

    per_slot = {slot: _prf(c["tp"], c["fp"], c["fn"]) for slot, c in sorted(counts.items())}
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    micro = _prf(total["tp"], total["fp"], total["fn"])
    result: Dict[str, Any] = {
        "items": len(items),
        "per_slot": per_slot,
        "micro": micro,
        "slot_f1": micro["f1"],
        "errors": errors,
        "negation_items": negation_items,
        "negation_errors": sum(len(e["errors"]) for e in negation_errors),
        "negation_error_items": negation_errors,
        "negation_misses": sum(len(m["misses"]) for m in negation_misses),
        "negation_miss_items": negation_misses,
    }
    if predict_intent is not None:
        result.update(_intent_scores(intent_texts, gold_intents, predicted_intents))
    return result


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def format_report(scores: Mapping[str, Any], max_errors: int = 40) -> str:
    """A per-slot table, the micro average, intent scores if present, negation errors, and
    the first `max_errors` items that went wrong."""
    lines = [
        f"Slot filling over {scores['items']} items",
        f"{'slot':<34}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>8}{'rec':>8}{'f1':>8}",
        "-" * 73,
    ]
    for slot, s in scores["per_slot"].items():
        lines.append(
            f"{slot:<34}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}"
            f"{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
        )
    m = scores["micro"]
    lines += [
        "-" * 73,
        f"{'micro average':<34}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}"
        f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}",
        "",
    ]
    if "intent_accuracy" in scores:
        lines.append(
            f"intent accuracy {scores['intent_accuracy']:.3f}, "
            f"macro F1 {scores['intent_macro_f1']:.3f}, "
            f"weighted F1 {scores['intent_weighted_f1']:.3f}"
        )
        for label, s in scores["per_intent"].items():
            lines.append(
                f"  {label:<24} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}"
            )
        for error in scores["intent_errors"][:max_errors]:
            lines.append(f"  intent {error['expected']} -> {error['got']}: {error['text']!r}")
        lines.append("")
    lines.append(
        f"negation subset: {scores['negation_items']} items, "
        f"{scores['negation_errors']} negation errors, "
        f"{scores['negation_misses']} negated findings not set"
    )
    for entry in scores["negation_error_items"]:
        lines.append(f"  NEGATION ERROR {entry['text']!r}: {'; '.join(entry['errors'])}")
    for entry in scores["negation_miss_items"][:max_errors]:
        lines.append(f"  negation miss  {entry['text']!r}: {'; '.join(entry['misses'])}")
    errors = scores["errors"]
    if errors:
        lines += [
            "",
            f"{len(errors)} items with slot errors"
            + (f" (first {max_errors})" if len(errors) > max_errors else "")
            + ":",
        ]
        for error in errors[:max_errors]:
            asked = f" [asked {error['requested_slot']}]" if error["requested_slot"] else ""
            parts = [
                f"missed {slot}={', '.join(map(_fmt, values))}"
                for slot, values in error["missed"].items()
            ]
            parts += [
                f"extra {slot}={', '.join(map(_fmt, values))}"
                for slot, values in error["extra"].items()
            ]
            lines.append(f"  {error['text']!r}{asked}: {'; '.join(parts)}")
    return "\n".join(lines)
