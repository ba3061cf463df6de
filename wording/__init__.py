"""Patient-facing words: the engine's structured results said in the patient's language,
from the response catalogue in the knowledge base (knowledge/data/responses/)."""

from typing import Any, List

from knowledge import Knowledge, KnowledgeError


def say(kb: Knowledge, key: str, **values: Any) -> str:
    """The catalogue's message `key` with its {placeholders} filled in."""
    try:
        return kb.responses.messages[key].format(**values)
    except KeyError as exc:
        raise KnowledgeError(
            f"responses/{kb.responses.language}.yml: message '{key}' is "
            f"missing or lacks a value ({exc})"
        ) from exc


def buttons(kb: Knowledge, key: str) -> List[str]:
    return list(kb.responses.buttons[key])


def listing(kb: Knowledge, items: List[str]) -> str:
    """One line per item, as the catalogue writes a list."""
    return "\n".join(say(kb, "list_item", item=item) for item in items)
