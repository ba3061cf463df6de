"""Asking the interview's questions (texts and buttons from the knowledge base), and
explaining why a question is asked."""

from typing import Any, Dict, List, Text, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import slot_values
from engine.questions import question
from knowledge import knowledge
from knowledge.contract import ASK_ACTION_PREFIX, ASKED_SLOTS
from wording.interview import question_text, why_text


def buttons(titles: List[str]) -> List[Dict[str, Any]]:
    return [{"title": title, "payload": title} for title in titles]


class AskQuestion(Action):
    """Asks for one slot; a red-flag slot asks every unanswered sign of its group."""

    slot = ""

    def name(self) -> Text:
        return f"{ASK_ACTION_PREFIX}{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        text, titles = question_text(question(self.slot, slot_values(tracker), kb), kb)
        dispatcher.utter_message(text=text, buttons=buttons(titles))
        return []


def _ask_action(slot: str) -> Type[AskQuestion]:
    return type(f"AskFor_{slot}", (AskQuestion,), {"slot": slot})


# rasa-sdk registers every Action subclass by name(): one per slot the form may request.
ASK_ACTIONS = [_ask_action(slot) for slot in ASKED_SLOTS]


class ActionExplainQuestion(Action):
    def name(self) -> Text:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        asked = tracker.get_slot("requested_slot")
        shown = question(asked, slot_values(tracker), kb) if asked else None
        dispatcher.utter_message(text=why_text(shown, kb))
        return []
