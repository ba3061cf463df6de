"""The language layer reads patients' own words: lemmas and word order, idioms and frames
from the knowledge base, hedges, long past versus now, and suspicions it only asks about."""

import datetime as dt

import pytest

from language.extract import extractor

TODAY = dt.date(2024, 6, 10)


def signs(text):
    """{sign: role} for the warning signs of one message (None: present)."""
    return {
        e["value"]: e.get("role")
        for e in extractor().entities(text, today=TODAY)
        if e["entity"] == "red_flag"
    }


def values(text, kind):
    return {
        e["value"]
        for e in extractor().entities(text, today=TODAY)
        if e["entity"] == kind and e.get("role") != "absent"
    }


@pytest.mark.parametrize(
    "text",
    [
        "I can't lift my foot",
        "I couldn't lift my toes this morning",
        "my toes won't lift when I walk",
        "his feet were dragging on the pavement",
        "the foot just hangs and slaps down",
    ],
)
def test_foot_drop_in_any_inflection_and_order(text):
    assert signs(text).get("foot_drop", "missing") is None


@pytest.mark.parametrize(
    "text, sign",
    [
        ("I can't feel the loo roll when I wipe", "saddle_numbness"),
        ("my privates have gone sort of dead", "saddle_numbness"),
        ("nothing would come out when I went for a wee", "bladder_bowel_dysfunction"),
        ("probably nothing, but I get puffed out on the stairs", "chest_pain_or_breathlessness"),
        ("I put it down to my asthma but my chest feels heavy", "chest_pain_or_breathlessness"),
        ("my husband says it's the cold but my foot is white and freezing", "cold_pale_leg"),
        ("I came off my motorbike on Sunday", "major_trauma"),
    ],
)
def test_idioms_hedges_and_explained_away_signs_count(text, sign):
    assert signs(text).get(sign, "missing") is None


def test_a_frame_with_a_negation_inside_denies_the_sign():
    assert signs("my foot isn't dragging at all").get("foot_drop") == "absent"


def test_long_past_is_history_and_now_is_the_complaint():
    assert "major_trauma" not in signs("I was in a car crash in 2009. Now my shin tingles")
    assert values("had shingles in 2015, now my knee aches", "body_region") == {"knee"}
    assert signs("I had breast cancer 8 years ago").get("cancer_history", "missing") is None
    assert signs("I fell off a ladder yesterday").get("major_trauma", "missing") is None


def test_an_unsure_sign_is_only_suspected():
    assert signs("my groin feels a bit numb").get("saddle_numbness") == "suspected"


def test_a_sign_said_plainly_is_not_also_suspected():
    entities = extractor().entities("my bum is numb and my groin is numb", today=TODAY)
    roles = [e.get("role") for e in entities if e["value"] == "saddle_numbness"]
    assert roles == [None]


def test_words_inside_a_sign_are_not_findings_of_their_own():
    assert "buttock" not in values("my bum feels numb", "body_region")
