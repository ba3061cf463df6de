"""The pain diary's check-in (engine/diary_checkin.py), the reminder's time of day
(language/clock_time.py) and when a reminder found after a restart goes out
(rasa_ext/reminders.py)."""

import datetime as dt

import pytest

from actions.diary_reminders import next_time, reminder_name
from engine.diary_checkin import NOTHING, SAID, SAME, SKIPPED, entry_from, read_checkin
from engine.diary_log import Entry
from knowledge import knowledge
from language.clock_time import time_of_day
from rasa_ext.reminders import CATCH_UP_DELAY, run_date

DAY = dt.date(2026, 12, 1)
INTERVIEW = {"pain_side": "left", "pain_location": ["shin"], "pain_quality": ["burning"]}


def turn(entities, requested=None, intent=None, draft=None, answers=None, misses=0):
    return read_checkin(
        entities, draft or {}, answers or {}, requested, intent, misses, INTERVIEW, DAY, knowledge()
    )


def test_one_message_answers_several_questions():
    got = turn(
        [
            {"entity": "severity", "value": 7, "role": "cued"},
            {"entity": "body_region", "value": "shin"},
            {"entity": "quality", "value": "burning"},
        ]
    )
    assert got.answers == {"diary_severity": SAID, "diary_where": SAID, "diary_feel": SAID}
    assert got.next_question == "diary_helped" and not got.emergency
    assert got.draft["pain_severity"] == 7


def test_short_answers_and_a_reply_that_answers_nothing():
    assert turn([], "diary_where", "diary_same").answers == {"diary_where": SAME}
    assert turn([], "diary_helped", "deny").answers == {"diary_helped": NOTHING}
    assert turn([{"entity": "answer", "value": "no"}], "diary_new").answers == {
        "diary_new": NOTHING
    }
    so_far = {"diary_severity": SAID, "diary_where": SAID}
    first = turn([], "diary_feel", "out_of_scope", answers=so_far)
    assert first.not_understood and first.misses == 1 and first.next_question == "diary_feel"
    second = turn([], "diary_feel", "out_of_scope", answers=so_far, misses=1)
    assert second.answers == {**so_far, "diary_feel": SKIPPED}
    assert second.next_question == "diary_helped" and not second.not_understood


def test_an_emergency_sign_ends_the_check_in_at_once():
    got = turn([{"entity": "red_flag", "value": "bladder_bowel_dysfunction"}], "diary_severity")
    assert got.emergency and got.next_question is None


def test_same_as_before_copies_the_last_entry_or_the_interview():
    answers = {"diary_where": SAME, "diary_feel": SAME}
    earlier = [Entry(dt.date(2026, 11, 30), 5.0, ("calf",), "left", ("aching",))]
    entry = entry_from({"pain_severity": 6}, answers, DAY, earlier, INTERVIEW)
    assert (entry.regions, entry.side, entry.qualities) == (("calf",), "left", ("aching",))
    first = entry_from({"motor_signs": ["heel_walk"]}, answers, DAY, (), INTERVIEW)
    assert first.regions == ("shin",) and first.qualities == ("burning", "weakness")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("remind me at 8pm", (20, 0, 0)),
        ("remind me every day at 20:00", (20, 0, 0)),
        ("at 7.30 am please", (7, 30, 0)),
        ("remind me at 8 in the evening", (20, 0, 0)),
        ("remind me at noon", (12, 0, 0)),
        ("remind me at 12am", (0, 0, 0)),
        ("remind me at 09:15:30", (9, 15, 30)),
        ("remind me daily", None),
        ("I have 2 questions", None),
    ],
)
def test_a_time_of_day(text, expected):
    assert time_of_day(text) == expected


def test_the_next_reminder_and_one_missed_while_down():
    now = dt.datetime(2026, 12, 1, 21, 0, tzinfo=dt.timezone.utc)
    assert next_time(20, 0, 0, now) == dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.timezone.utc)
    assert next_time(22, 0, 0, now).day == 1
    assert run_date(now + dt.timedelta(hours=1), now) == now + dt.timedelta(hours=1)
    assert run_date(now - dt.timedelta(minutes=5), now) == now + CATCH_UP_DELAY
    late = run_date(now - dt.timedelta(days=2, hours=1), now)
    assert late == dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.timezone.utc)


def test_a_reminder_is_named_without_the_conversation_id():
    name = reminder_name("123456789")
    assert "123456789" not in name and name == reminder_name("123456789")
    assert name != reminder_name("123456780")
