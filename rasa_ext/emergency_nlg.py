"""Responses from the domain, except the emergency assessment, which the engine writes from
the conversation so far plus the message that raised the alarm (in-process, so it works
while the action server is down)."""

import logging
from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from engine.findings import findings_from_slots
from engine.turn import read_message
from knowledge import knowledge
from knowledge.contract import EMERGENCY_RESPONSE
from wording.assessment import assessment_payload, explain

logger = logging.getLogger(__name__)


def emergency_response(tracker: DialogueStateTracker) -> Dict[str, Any]:
    kb = knowledge()
    slots = tracker.current_slot_values()
    message = tracker.latest_message
    # The message that raised the alarm is read here too: the action server that would
    # have filled its slots may be down.
    updates = read_message(
        message.entities if message else [], slots, slots.get("requested_slot"), kb
    )
    assessment = assessment_payload(findings_from_slots({**slots, **updates}), kb)
    return {"text": "\n\n".join(explain(assessment, kb)), "custom": {"assessment": assessment}}


class EmergencyAwareNLG(TemplatedNaturalLanguageGenerator):
    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        domain: Optional[Domain] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        if utter_action == EMERGENCY_RESPONSE:
            try:
                return emergency_response(tracker)
            except Exception as error:  # the static emergency text must still go out
                # The type only: a traceback could quote the patient's words.
                logger.error(
                    "emergency assessment failed (%s); sending the static advice",
                    type(error).__name__,
                )
        return await super().generate(utter_action, tracker, output_channel, **kwargs)
