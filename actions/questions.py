"""Asking the interview's questions (texts and buttons from the knowledge base), and
explaining why a question is asked."""
from typing import Any, Dict, List, Text, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import slot_values
from engine.interview import question_for, why_asked
from knowledge import knowledge
from knowledge.contract import FINDING_SLOTS, RED_FLAG_IDS


def buttons(titles: List[str]) -> List[Dict[str, Any]]:
    return [{"title": title, "payload": title} for title in titles]


class AskQuestion(Action):
    """Asks for one slot; a red-flag slot asks every unanswered sign of its group."""

    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        text, titles = question_for(self.slot, slot_values(tracker), knowledge())
        dispatcher.utter_message(text=text, buttons=buttons(titles))
        return []


def _ask_action(slot: str) -> Type[AskQuestion]:
    return type(f"AskFor_{slot}", (AskQuestion,), {"slot": slot})


# rasa-sdk registers every Action subclass by name(): one per slot the form may request.
ASK_ACTIONS = [_ask_action(slot) for slot in FINDING_SLOTS + RED_FLAG_IDS]


class ActionExplainQuestion(Action):
    def name(self) -> Text:
        return "action_explain_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        asked = tracker.get_slot("requested_slot")
        if asked:
            reason = why_asked(asked, slot_values(tracker), knowledge())
            dispatcher.utter_message(text=f"I ask because: {reason}")
        else:
            dispatcher.utter_message(text="I ask about your symptoms so that I can tell which "
                                          "nerve or blood vessel is involved and how urgently "
                                          "you need care.")
        return []
