"""Answers to "what is a dermatome / sciatica / an MRI?" from the knowledge base."""

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_entities
from knowledge import knowledge
from wording import say


class ActionAnswerKnowledge(Action):
    def name(self) -> Text:
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        topics = [
            e["value"]
            for e in latest_entities(tracker)
            if e.get("entity") == "topic" and e.get("value") in kb.glossary
        ]
        for topic in dict.fromkeys(topics):
            entry = kb.glossary[topic]
            source = kb.sources[entry.sources[0]]
            dispatcher.utter_message(
                text=say(
                    kb,
                    "topic_answer",
                    answer=entry.answer,
                    publisher=source.publisher,
                    title=source.title,
                )
            )
        if not topics:
            known = ", ".join(key.replace("_", " ") for key in kb.glossary)
            dispatcher.utter_message(text=say(kb, "topics_offered", topics=known))
        return []
