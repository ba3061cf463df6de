"""Rasa NLU adapter: the knowledge base, not the statistical classifier, decides emergencies.

Runs after DIET and the FallbackClassifier. A message naming a warning sign that calls for
emergency care on its own ("I wet myself") becomes `report_emergency`, whatever DIET said;
`report_emergency` without such a sign becomes `inform`; and a message the classifier was
unsure of that plainly describes leg symptoms becomes `inform` so the interview can start.
"""

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from engine.turn import interrupting_flags
from knowledge import knowledge
from knowledge.contract import EMERGENCY_INTENT, INFORM_INTENT, NLU_FALLBACK_INTENT

# A place in the leg or a warning sign: "my jaw aches" stays out of scope.
SYMPTOM_ENTITIES = {"body_region", "red_flag"}
UNSURE_INTENTS = {NLU_FALLBACK_INTENT, "out_of_scope", "chitchat"}
# Intents that end or wipe the conversation, or only greet, must not swallow a clinical answer
# ("it was sore at the start" is not "start over", "loosening the belt" is no greeting).
YIELDING_INTENTS = {"start_over", "start_over_confirmed", "goodbye", "greet"}
CLINICAL_ENTITIES = SYMPTOM_ENTITIES | {
    "quality",
    "trigger",
    "reliever",
    "risk_factor",
    "history",
    "rash",
}


def corrected_intent(intent: Optional[str], entities: List[Dict[str, Any]]) -> Optional[str]:
    if interrupting_flags(entities, knowledge()):
        return EMERGENCY_INTENT
    if intent == EMERGENCY_INTENT:
        return INFORM_INTENT
    if intent in UNSURE_INTENTS and any(e["entity"] in SYMPTOM_ENTITIES for e in entities):
        return INFORM_INTENT
    if intent in YIELDING_INTENTS and any(e["entity"] in CLINICAL_ENTITIES for e in entities):
        return INFORM_INTENT
    return intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ClinicalIntentOverride(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            new_intent = corrected_intent(intent, message.get(ENTITIES) or [])
            if new_intent and new_intent != intent:
                ranking = [
                    r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != new_intent
                ]
                chosen = {"name": new_intent, "confidence": 1.0}
                message.set(INTENT, chosen, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [chosen] + ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
