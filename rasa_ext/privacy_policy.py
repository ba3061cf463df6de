"""'Delete my data': a yes/no confirmation, then the conversation is erased, at any point.

A policy rather than rules, because a running interview (a form) would otherwise take the
patient's "yes" or "no" as the answer to its pending question. Asked mid-interview, the
interview is paused first (action_deactivate_loop clears the pending question), the patient
confirms, and on "no" the interview starts again where it was. The erasure itself happens in
the tracker store (rasa_ext/tracker_store.py) when a turn ends with ERASED_RESPONSE. All of
this runs inside the Rasa server: it works in every channel and without the action server.
"""

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.interrupt_policy import InterruptPolicy, latest_intent
from rasa_ext.tracker_store import ERASED_RESPONSE

REQUEST_INTENT = "request_erasure"
YES_INTENTS = {"affirm", REQUEST_INTENT}
NO_INTENTS = {"deny"}
CONFIRM = "utter_confirm_erasure"
CONFIRM_MID_INTERVIEW = "utter_confirm_erasure_mid_interview"
DECLINED = "utter_erasure_declined"
INTERVIEW_FORM = "symptom_form"
PRIORITY = 6  # above EmergencyInterruptPolicy (5) and RulePolicy (4)


def next_privacy_action(
    intent: Optional[str],
    latest_action: Optional[str],
    asked_before: Optional[str],
    loop_active: bool,
) -> Optional[str]:
    """The next action of the erasure dialogue, or None when it is not going on.
    `asked_before` is the bot's last action before the latest user message."""
    confirming = asked_before in (CONFIRM, CONFIRM_MID_INTERVIEW)
    if latest_action == ACTION_LISTEN_NAME:
        if confirming and intent in YES_INTENTS:
            return ERASED_RESPONSE
        if confirming and intent in NO_INTENTS:
            return DECLINED
        if intent == REQUEST_INTENT:
            return ACTION_DEACTIVATE_LOOP_NAME if loop_active else CONFIRM
        return None
    if latest_action == ACTION_DEACTIVATE_LOOP_NAME and intent == REQUEST_INTENT:
        return CONFIRM_MID_INTERVIEW
    if latest_action in (CONFIRM, CONFIRM_MID_INTERVIEW, ERASED_RESPONSE):
        return ACTION_LISTEN_NAME
    if latest_action == DECLINED:
        return INTERVIEW_FORM if asked_before == CONFIRM_MID_INTERVIEW else ACTION_LISTEN_NAME
    return None


def paused_form(tracker: DialogueStateTracker) -> str:
    """The form that was running when the patient asked (the interview or a diary check-in)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActiveLoop) and event.name:
            return event.name
    return INTERVIEW_FORM


def bot_action_before_latest_message(tracker: DialogueStateTracker) -> Optional[str]:
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            seen_message = True
        elif (
            seen_message
            and isinstance(event, ActionExecuted)
            and event.action_name != ACTION_LISTEN_NAME
        ):
            return event.action_name
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class ErasurePolicy(InterruptPolicy):
    PRIORITY = PRIORITY

    def next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        intent = latest_intent(tracker)
        action = None
        if intent in YES_INTENTS | NO_INTENTS:
            action = next_privacy_action(
                intent,
                tracker.latest_action_name,
                bot_action_before_latest_message(tracker),
                bool(tracker.active_loop_name),
            )
        if action == INTERVIEW_FORM:  # "no": the paused form goes on, whichever it was
            return paused_form(tracker)
        return action
