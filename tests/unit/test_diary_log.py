"""The pain diary over simulated days (engine/diary_log.py): entries by date, the trend, what
helped, and re-triage of a new entry with the interview's own rules."""

import datetime as dt
import io

import matplotlib.image

from engine.assessment import assess
from engine.diary_log import (
    Entry,
    changes,
    daily,
    helped_since,
    load,
    record,
    retriage_slots,
    trend,
)
from engine.findings import findings_from_slots
from engine.triage import rank
from knowledge import knowledge
from report.diary_chart import diary_chart_png

START = dt.date(2026, 11, 2)
# The interview of a simple S1 sciatica: self-care.
INTERVIEW = {
    "pain_location": ["outer foot", "little toe"],
    "pain_side": "left",
    "pain_quality": ["shooting"],
    "pain_triggers": ["sitting", "coughing"],
    "pain_duration_days": 10,
    "pain_severity": 5,
    "back_pain": True,
    "age": 40,
    "rash": False,
    "chickenpox_history": False,
    "diabetes_history": False,
    "saddle_numbness": False,
    "bladder_bowel_dysfunction": False,
    "fever": False,
}


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def level(slots: dict) -> str:
    return assess(findings_from_slots(slots), knowledge()).level


def diary(*scores: float, helped_from: int = 99) -> tuple:
    entries: tuple = ()
    for n, score in enumerate(scores):
        entries = record(
            entries, Entry(day(n), score, helped=("walking",) if n >= helped_from else ())
        )
    return entries


def test_entries_are_kept_by_date_one_per_day_and_survive_storage() -> None:
    entries = record((), Entry(day(2), 5))
    entries = record(entries, Entry(day(0), 6))
    entries = record(entries, Entry(day(2), 4, regions=("calf",)))  # same day: replaced
    assert [e.day for e in entries] == [day(0), day(2)]
    assert entries[1].severity == 4 and entries[1].regions == ("calf",)
    stored = [e.to_json() for e in entries]
    assert load(stored) == entries
    # what a stored slot must not carry is dropped, not trusted
    junk = [
        {"day": "yesterday"},
        {"severity": 3},
        "x",
        {
            "day": "2026-11-05",
            "severity": 42,
            "new_flags": ["saddle_numbness", "made_up"],
            "side": "middle",
        },
    ]
    (only,) = load(junk)
    assert only.severity is None and only.new_flags == ("saddle_numbness",) and only.side is None


def test_trend_week_against_week_and_what_helped() -> None:
    assert trend(diary(6), day(0)) == "too_early"
    worse = diary(3, 3, 3, 3, 3, 3, 3, 6, 6, 7, 6, 7, 6, 7)
    assert trend(worse, day(13)) == "worse"
    steady = diary(5, 5, 4, 5, 5, 5, 5, 5, 5, 4, 5, 5, 5, 5)
    assert trend(steady, day(13)) == "steady"
    better = diary(7, 7, 7, 6, 7, 7, 7, 4, 3, 3, 3, 2, 3, 3, helped_from=7)
    assert trend(better, day(13)) == "better"
    assert helped_since(better, day(13)) == ("walking", day(7))
    assert helped_since(worse, day(13)) is None
    # three days only: against the first day
    assert trend(diary(6, 5, 3), day(2)) == "better"
    assert [s for _, s in daily(diary(6, 5, 3))] == [6, 5, 3]


def test_a_quiet_entry_changes_nothing() -> None:
    entries = record((), Entry(day(1), 5, regions=("outer foot",), side="left"))
    assert changes(INTERVIEW, entries) == ()
    assert level(retriage_slots(INTERVIEW, entries)) == level(INTERVIEW)


def test_a_new_warning_sign_gets_emergency_care_at_once() -> None:
    entries = record((), Entry(day(3), 5, new_flags=("saddle_numbness",)))
    assert changes(INTERVIEW, entries) == ("flag:saddle_numbness",)
    assert level(retriage_slots(INTERVIEW, entries)) == "emergency"


def test_pain_in_the_other_leg_is_both_legs() -> None:
    entries = record((), Entry(day(3), 5, regions=("outer foot",), side="right"))
    assert changes(INTERVIEW, entries) == ("other_leg",)
    slots = retriage_slots(INTERVIEW, entries)
    assert slots["pain_side"] == "both"
    assert rank(level(slots)) > rank(level(INTERVIEW))


def test_new_weakness_and_a_rise_of_three_points_are_re_triaged() -> None:
    weak = record((), Entry(day(2), 5, qualities=("weakness",)))
    assert changes(INTERVIEW, weak) == ("weakness",)
    assert rank(level(retriage_slots(INTERVIEW, weak))) >= rank("see_doctor")
    rise = record(record((), Entry(day(1), 5)), Entry(day(4), 8))
    assert changes(INTERVIEW, rise) == ("rise",)
    slots = retriage_slots(INTERVIEW, rise)
    assert "worsening" in slots["risk_factors"]
    result = assess(findings_from_slots(slots), knowledge())
    assert rank(result.level) >= rank("see_doctor") and "course:worsening" in result.reasons
    small = record((), Entry(day(4), 7))  # up by 2: not yet
    assert "rise" not in changes(INTERVIEW, small)


def test_the_trend_chart_is_a_picture_of_the_days() -> None:
    png = diary_chart_png(daily(diary(6, 5, 3)), "Worst pain each day", "pain (0-10)")
    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert png.startswith(b"\x89PNG") and image.shape[1] >= 600
