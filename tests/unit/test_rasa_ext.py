"""The in-process adapters: emergencies are decided by the knowledge base and interrupt."""

from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME

from language.extract import extractor
from rasa_ext.emergency_policy import next_emergency_action
from rasa_ext.intent_override import corrected_intent


def test_an_emergency_sign_makes_the_message_an_emergency_whatever_the_classifier_said():
    entities = extractor().entities("and I wet myself this morning")
    assert corrected_intent("inform", entities) == "report_emergency"


def test_a_denied_emergency_sign_does_not():
    entities = extractor().entities("I can pee fine and no numbness in my groin")
    assert corrected_intent("inform", entities) == "inform"


def test_the_classifier_alone_cannot_raise_an_emergency():
    assert corrected_intent("report_emergency", extractor().entities("my heel hurts")) == "inform"


def test_symptoms_the_classifier_was_unsure_of_start_the_interview():
    entities = extractor().entities("weird tingly feeling in my shin")
    assert corrected_intent("nlu_fallback", entities) == "inform"


def test_the_policy_closes_the_interview_then_sends_the_emergency_assessment():
    steps = [
        next_emergency_action("report_emergency", ACTION_LISTEN_NAME, True),
        next_emergency_action("report_emergency", ACTION_DEACTIVATE_LOOP_NAME, False),
        next_emergency_action("report_emergency", "utter_emergency_assessment", False),
    ]
    assert steps == [ACTION_DEACTIVATE_LOOP_NAME, "utter_emergency_assessment", ACTION_LISTEN_NAME]
    assert next_emergency_action("inform", ACTION_LISTEN_NAME, True) is None


def test_a_clinical_answer_is_never_taken_for_start_over_or_goodbye():
    entities = extractor().entities("it was sore at the start, better now")
    assert corrected_intent("start_over", entities) == "inform"
    assert corrected_intent("start_over", extractor().entities("start over please")) == "start_over"
