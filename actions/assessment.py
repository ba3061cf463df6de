"""The assessment at the end of the interview, and the pain diary."""

import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import slot_values
from engine.diary_log import daily, load
from engine.findings import findings_from_slots
from knowledge import knowledge
from knowledge.contract import DIARY_ENTRIES_SLOT
from wording.assessment import assessment_payload, explain
from wording.diary import pain_diary
from wording.diary_checkin import trend_lines


def dermatome_map_url(assessment: Dict[str, Any]) -> str:
    """The project's leg map with the patient's roots highlighted (PNG, so that messaging
    apps can show it), served by the web page's server."""
    base = os.environ.get("WEB_PUBLIC_URL", "http://localhost:8000").rstrip("/")
    return f"{base}/maps/dermatomes.png?highlight={','.join(assessment['dermatomes'])}"


class ActionAssessment(Action):
    def name(self) -> Text:
        return "action_assessment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        assessment = assessment_payload(findings_from_slots(slot_values(tracker)), kb)
        for text in explain(assessment, kb):
            dispatcher.utter_message(text=text)
        if assessment["dermatome_map"]:
            dispatcher.utter_message(image=dermatome_map_url(assessment))
        dispatcher.utter_message(json_message={"assessment": assessment})
        return []


class ActionPainDiary(Action):
    def name(self) -> Text:
        return "action_pain_diary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        slots = slot_values(tracker)
        kb = knowledge()
        dispatcher.utter_message(text=pain_diary(slots, kb))
        entries = load(slots.get(DIARY_ENTRIES_SLOT))
        if entries:  # the diary kept over days (actions/diary.py): its trend and chart
            dispatcher.utter_message(text=" ".join(trend_lines(entries, entries[-1].day, kb)))
            if len(daily(entries)) >= 2:
                dispatcher.utter_message(json_message={"diary_chart": {"days": len(entries)}})
        return []
