"""A reported emergency interrupts whatever is going on, without the action server.

Rasa lets an active form run before any rule; a form needs the action server. This policy
outranks the loop (a no-user prediction with a higher priority than RulePolicy) only when
the latest message is `report_emergency`: it closes the interview and sends the emergency
assessment, which the in-process NLG writes.
"""

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from knowledge.contract import EMERGENCY_INTENT, EMERGENCY_RESPONSE
from rasa_ext.interrupt_policy import InterruptPolicy, latest_intent

PRIORITY = 5  # RulePolicy is 4


def next_emergency_action(
    intent: Optional[str], latest_action: Optional[str], loop_active: bool
) -> Optional[str]:
    if intent != EMERGENCY_INTENT:
        return None
    if latest_action == ACTION_LISTEN_NAME:
        return ACTION_DEACTIVATE_LOOP_NAME if loop_active else EMERGENCY_RESPONSE
    if latest_action == ACTION_DEACTIVATE_LOOP_NAME:
        return EMERGENCY_RESPONSE
    if latest_action == EMERGENCY_RESPONSE:
        return ACTION_LISTEN_NAME
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class EmergencyInterruptPolicy(InterruptPolicy):
    PRIORITY = PRIORITY

    def next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        return next_emergency_action(
            latest_intent(tracker), tracker.latest_action_name, bool(tracker.active_loop_name)
        )
