"""A reported emergency interrupts whatever is going on, without the action server.

Rasa lets an active form run before any rule; a form needs the action server. This policy
outranks the loop (a no-user prediction with a higher priority than RulePolicy) only when
the latest message is `report_emergency`: it closes the interview and sends the emergency
assessment, which the in-process NLG writes.
"""

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from knowledge.contract import EMERGENCY_INTENT, EMERGENCY_RESPONSE

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
class EmergencyInterruptPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": PRIORITY}

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        intent = (
            (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
        )
        action = next_emergency_action(
            intent, tracker.latest_action_name, bool(tracker.active_loop_name)
        )
        probabilities = self._default_predictions(domain)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)
