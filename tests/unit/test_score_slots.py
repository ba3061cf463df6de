"""tools/score_slots.py on small hand-made inputs."""

import pytest

from tools import score_slots


def _load():
    return score_slots


ss = _load()


def table(answers):
    """A predictor answering from a dict text -> slot updates."""
    return lambda text, requested: answers.get(text, {})


def test_perfect_prediction_scores_one():
    items = [
        {"text": "a", "slots": {"pain_side": "left", "pain_quality": ["burning", "tingling"]}},
        {"text": "b", "slots": {"rash": False}},
    ]
    scores = ss.score(
        items,
        table(
            {
                "a": {"pain_side": "left", "pain_quality": ["tingling", "burning"]},
                "b": {"rash": False},
            }
        ),
    )
    assert scores["slot_f1"] == pytest.approx(1.0)
    assert scores["micro"] == pytest.approx(
        {"tp": 4, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    )
    assert scores["errors"] == []


def test_list_slots_are_scored_per_element():
    items = [{"text": "a", "slots": {"pain_quality": ["burning", "tingling", "numbness"]}}]
    scores = ss.score(items, table({"a": {"pain_quality": ["burning", "aching"]}}))
    s = scores["per_slot"]["pain_quality"]
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 2)
    assert s["precision"] == pytest.approx(0.5)
    assert s["recall"] == pytest.approx(1 / 3)
    assert s["f1"] == pytest.approx(0.4)


def test_micro_average_pools_all_slots():
    items = [
        {"text": "a", "slots": {"pain_side": "left", "age": 40}},
        {"text": "b", "slots": {"pain_side": "right"}},
    ]
    scores = ss.score(
        items,
        table({"a": {"pain_side": "left", "age": 70}, "b": {"pain_side": "right", "rash": True}}),
    )
    # tp: side a, side b; fp: age 70, rash; fn: age 40
    assert scores["micro"]["tp"] == 2
    assert scores["micro"]["fp"] == 2
    assert scores["micro"]["fn"] == 1
    assert scores["slot_f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert scores["per_slot"]["rash"]["precision"] == 0.0


@pytest.mark.parametrize(
    "expected, got, same",
    [
        (7, 7.0, True),
        (7, 8, True),
        (7, 8.5, False),  # within 1 unit
        (60, 66, True),
        (60, 67, False),
        (365, 330, True),  # within 10%
        (0.5, 1.4, True),
        (3, "3", True),
        (True, 1, False),
        (False, 0.0, False),
        (False, False, True),
        (True, False, False),
        ("Left", "left ", True),
        ("left", "right", False),
        ("outer foot", "foot", False),
    ],
)
def test_value_equality(expected, got, same):
    assert ss.same_value(expected, got) is same


def test_numbers_compare_with_tolerance_in_scoring():
    items = [{"text": "a", "slots": {"pain_duration_days": 60, "pain_severity": 7}}]
    scores = ss.score(items, table({"a": {"pain_duration_days": 62.0, "pain_severity": 9}}))
    assert scores["per_slot"]["pain_duration_days"]["f1"] == 1.0
    assert scores["per_slot"]["pain_severity"]["f1"] == 0.0


def test_empty_list_is_an_answer_to_score():
    items = [
        {
            "text": "nothing helps",
            "requested_slot": "pain_relievers",
            "slots": {"pain_relievers": []},
        },
        {"text": "my back is fine", "slots": {"back_pain": False}},
    ]
    scores = ss.score(items, table({"my back is fine": {"back_pain": False, "pain_location": []}}))
    assert scores["per_slot"]["pain_relievers"]["fn"] == 1
    assert scores["per_slot"]["pain_location"]["fp"] == 1
    assert scores["per_slot"]["back_pain"]["tp"] == 1


def test_requested_slot_is_passed_to_the_predictor():
    seen = []

    def predict(text, requested):
        seen.append((text, requested))
        return {"age": 42} if requested == "age" else {}

    items = [
        {"text": "42", "requested_slot": "age", "slots": {"age": 42}},
        {"text": "42", "slots": {}},
    ]
    scores = ss.score(items, predict)
    assert seen == [("42", "age"), ("42", None)]
    assert scores["slot_f1"] == 1.0


def test_ignored_and_none_slots_are_not_scored():
    items = [{"text": "not sure", "requested_slot": "rash", "slots": {}}]
    scores = ss.score(items, table({"not sure": {"unanswered": ["rash"], "age": None}}))
    assert scores["per_slot"] == {}
    assert scores["errors"] == []


def test_negation_flip_and_leak_are_errors_but_a_miss_is_not():
    items = [
        {"text": "no rash", "negation": True, "slots": {"rash": False}},
        {"text": "never had chickenpox", "negation": True, "slots": {"chickenpox_history": False}},
        {
            "text": "no numbness down below",
            "negation": True,
            "slots": {"saddle_numbness": False},
            "absent": {"pain_quality": ["numbness"]},
        },
        {"text": "rash", "slots": {"rash": False}},  # not in the subset: never a negation error
    ]
    scores = ss.score(
        items,
        table(
            {
                "no rash": {"rash": True},
                "never had chickenpox": {},
                "no numbness down below": {"saddle_numbness": False, "pain_quality": ["numbness"]},
                "rash": {"rash": True},
            }
        ),
    )
    assert scores["negation_items"] == 3
    assert scores["negation_errors"] == 2
    assert [e["text"] for e in scores["negation_error_items"]] == [
        "no rash",
        "no numbness down below",
    ]
    assert scores["negation_misses"] == 1
    assert scores["negation_miss_items"][0]["text"] == "never had chickenpox"


def test_negation_subset_clean_when_all_right():
    items = [
        {
            "text": "bladder is fine",
            "negation": True,
            "slots": {"bladder_bowel_dysfunction": False},
            "absent": {"pain_quality": ["numbness"]},
        }
    ]
    scores = ss.score(items, table({"bladder is fine": {"bladder_bowel_dysfunction": False}}))
    assert scores["negation_errors"] == 0
    assert scores["negation_misses"] == 0


def test_intent_accuracy_and_macro_f1():
    items = [
        {"text": "hi", "intent": "greet"},
        {"text": "yes", "intent": "affirm"},
        {"text": "no", "intent": "deny"},
        {"text": "nope", "intent": "deny"},
    ]
    intents = {"hi": "greet", "yes": "affirm", "no": "deny", "nope": "affirm"}
    scores = ss.score(items, table({}), intents.get)
    assert scores["intent_accuracy"] == pytest.approx(0.75)
    # greet F1 1; affirm P 0.5 R 1 -> 2/3; deny P 1 R 0.5 -> 2/3
    assert scores["intent_macro_f1"] == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)
    assert scores["intent_errors"] == [{"text": "nope", "expected": "deny", "got": "affirm"}]


def test_intents_are_skipped_without_a_predictor():
    scores = ss.score([{"text": "hi", "intent": "greet"}], table({}))
    assert "intent_accuracy" not in scores


def test_report_lists_slots_micro_negation_and_errors():
    items = [
        {
            "text": "burning, no rash",
            "negation": True,
            "slots": {"pain_quality": ["burning"], "rash": False},
        },
        {"text": "hi", "intent": "greet"},
    ]
    scores = ss.score(
        items,
        table({"burning, no rash": {"pain_quality": ["burning", "aching"], "rash": True}}),
        lambda text: "greet",
    )
    report = ss.format_report(scores)
    assert "pain_quality" in report and "rash" in report
    assert "micro average" in report
    assert "intent accuracy 1.000" in report
    assert "1 negation errors" in report
    assert "NEGATION ERROR 'burning, no rash'" in report
    assert "extra pain_quality='aching'" in report
