"""Responses from the domain, except the emergency assessment, which the engine writes from
the conversation so far plus the message that raised the alarm (in-process, so it works
while the action server is down)."""
import logging
from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from engine.assessment import build_assessment, explain
from engine.findings import findings_from_slots
from engine.interview import derived_slots, slot_updates
from knowledge import knowledge
from rasa_ext.constants import EMERGENCY_RESPONSE

logger = logging.getLogger(__name__)


def emergency_response(tracker: DialogueStateTracker) -> Dict[str, Any]:
    kb = knowledge()
    slots = tracker.current_slot_values()
    message = tracker.latest_message
    updates = slot_updates(message.entities if message else [], slots,
                           slots.get("requested_slot"), kb, (message.text or "") if message else "")
    merged = {**slots, **updates}
    merged.update(derived_slots(merged, kb))
    assessment = build_assessment(findings_from_slots(merged), kb)
    return {"text": "\n\n".join(explain(assessment, kb)), "custom": {"assessment": assessment}}


class EmergencyAwareNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None,
                 domain: Optional[Domain] = None, **kwargs: Any) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker,
                       output_channel: Text, **kwargs: Any) -> Optional[Dict[Text, Any]]:
        if utter_action == EMERGENCY_RESPONSE:
            try:
                return emergency_response(tracker)
            except Exception:  # the static emergency text must still go out
                logger.exception("emergency assessment failed; sending the static advice")
        return await super().generate(utter_action, tracker, output_channel, **kwargs)
