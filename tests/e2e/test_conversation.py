"""Conversations over REST with the real Rasa server and action server."""

import uuid

import pytest
import requests

from tests.e2e.patients import S1_SCIATICA, assessment_in, interview


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_an_interview_reaches_an_explained_assessment(servers):
    result = interview(
        servers, new_sender(), "I have a shooting pain down my left leg", S1_SCIATICA
    )
    assessment = result["assessment"]
    assert assessment["triage"] == "self_care"
    assert assessment["dermatomes"] == ["S1"]
    assert {c["id"] for c in assessment["causes"][:3]} & {"herniated_disc", "sciatica"}
    texts = " ".join(m.get("text") or "" for m in result["reply"])
    assert "not a diagnosis" in texts and "S1" in texts
    for screen in ("saddle_numbness", "cold_pale_leg", "fever"):
        assert screen in result["asked"], f"warning signs of {screen}'s group were not screened"


def test_several_facts_in_one_message_are_not_asked_again(servers):
    sender = new_sender()
    result = interview(
        servers,
        sender,
        "burning on the outside of my left foot when I sit, no rash, for 3 days",
        S1_SCIATICA,
    )
    for slot in (
        "pain_location",
        "pain_side",
        "pain_quality",
        "pain_triggers",
        "rash",
        "pain_duration_days",
    ):
        assert slot not in result["asked"]


def test_a_volunteered_emergency_interrupts_the_interview(servers):
    sender = new_sender()
    servers.send(sender, "shooting pain down the back of my right leg")
    assert servers.slots(sender)["requested_slot"]
    reply = servers.send(sender, "and I wet myself this morning")
    assessment = assessment_in(reply)
    assert assessment and assessment["triage"] == "emergency"
    assert "bladder_bowel_dysfunction" in assessment["red_flags"]
    assert assessment["causes"][0]["id"] == "cauda_equina_syndrome"
    assert "ambulance" in " ".join(m.get("text") or "" for m in reply)
    assert servers.slots(sender)["requested_slot"] is None


def test_why_do_you_ask_and_knowledge_questions_return_to_the_same_question(servers):
    sender = new_sender()
    servers.send(sender, "my left heel burns")
    asked = servers.slots(sender)["requested_slot"]
    why = servers.send(sender, "why do you ask?")
    assert why[0]["text"].startswith("I ask because")
    assert servers.slots(sender)["requested_slot"] == asked
    answer = servers.send(sender, "what is a dermatome?")
    assert "strip of skin" in answer[0]["text"]
    assert servers.slots(sender)["requested_slot"] == asked


def test_i_dont_know_is_accepted_and_not_asked_again(servers):
    sender = new_sender()
    servers.send(sender, "my left heel burns")
    asked = servers.slots(sender)["requested_slot"]
    servers.send(sender, "I don't know")
    slots = servers.slots(sender)
    assert asked in slots["unanswered"] and slots["requested_slot"] != asked


def test_a_correction_replaces_the_earlier_answer(servers):
    sender = new_sender()
    servers.send(sender, "shooting pain in my right calf")
    servers.send(sender, "actually it's my left leg")
    assert servers.slots(sender)["pain_side"] == "left"


def test_start_over_asks_first_then_clears_the_interview(servers):
    sender = new_sender()
    servers.send(sender, "shooting pain in my right calf")
    reply = servers.send(sender, "start over")
    assert "Do you want to start over" in reply[0]["text"]
    assert servers.slots(sender)["pain_location"] == ["calf"]
    reply = servers.send(sender, reply[0]["buttons"][0]["payload"])
    assert "start again" in reply[0]["text"]
    assert servers.slots(sender)["pain_location"] is None


def test_words_like_start_in_an_answer_never_wipe_the_interview(servers):
    sender = new_sender()
    servers.send(sender, "shooting pain in my right calf")
    servers.send(sender, "it was sore at the start, better now")
    assert servers.slots(sender)["pain_location"] == ["calf"]


@pytest.mark.parametrize(
    "message, expected",
    [
        ("are you a bot?", "automated"),
        ("what's the weather like?", "only help with"),
        ("bye", "Take care"),
    ],
)
def test_small_talk_gets_sensible_answers(servers, message, expected):
    assert expected in servers.send(new_sender(), message)[0]["text"]


@pytest.mark.parametrize("reply", ["qwzx plorb", "what's the capital of France"])
def test_a_non_answer_never_loops_the_same_question_more_than_twice(servers, reply):
    sender = new_sender()
    servers.send(sender, "my left heel burns")
    asked = servers.slots(sender)["requested_slot"]
    for _ in range(2):
        servers.send(sender, reply)
    slots = servers.slots(sender)
    assert slots["requested_slot"] != asked and asked in slots["unanswered"]


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "🦵🔥" * 20,
        "x" * 5000,
        "/inform{broken",
        '{"json": true}',
        "DROP TABLE users;",
    ],
)
def test_bad_input_gets_an_answer_not_an_error(servers, message):
    reply = servers.send(new_sender(), message)
    assert isinstance(reply, list)


def test_control_characters_get_a_clear_refusal_not_an_error(servers):
    """NUL and other control characters are refused before the NLU (tests/e2e/test_bounds.py
    has the whole table): a 400 with a short JSON reason, never a 500."""
    reply = requests.post(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        json={"sender": new_sender(), "message": "\u0000\u0001"},
        timeout=60,
    )
    assert reply.status_code == 400 and reply.json().get("error")


def test_the_pain_diary_after_the_assessment(servers):
    sender = new_sender()
    interview(servers, sender, "shooting pain down my left leg", S1_SCIATICA)
    diary = servers.send(sender, "yes")
    assert "Pain diary" in diary[0]["text"] and "little toe" in diary[0]["text"]


def test_patients_words_and_identifiers_are_not_logged(servers):
    canary = f"zebra{uuid.uuid4().hex[:6]} pain in my left heel"
    sender = f"canary-sender-{uuid.uuid4().hex[:8]}"
    servers.send(sender, canary)
    servers.send(sender, "yes")
    assert not any(canary.split()[0] in line for line in servers.log)
    assert not any(sender in line for line in servers.log)
