"""The shared shape of the in-process policies that take over a turn (an emergency, a
request to erase): they outrank the form and the rules with a no-user prediction, and
predict nothing otherwise. Subclasses say which action comes next."""

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


def latest_intent(tracker: DialogueStateTracker) -> Optional[str]:
    message = tracker.latest_message
    return (message.intent or {}).get("name") if message else None


class InterruptPolicy(Policy):
    PRIORITY = 5  # RulePolicy is 4

    @classmethod
    def get_default_config(cls) -> Dict[Text, Any]:
        return {"priority": cls.PRIORITY}

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn: the next action follows from the tracker

    def next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        raise NotImplementedError

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self.next_action(tracker)
        probabilities = self._default_predictions(domain)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)
