"""A scripted patient for end-to-end tests: answers whatever the tracker says is asked."""

from typing import Any, Dict, List, Optional

from tests.support.servers import Servers

S1_SCIATICA = {
    "pain_location": "the outer edge of my foot and my little toe",
    "pain_side": "left",
    "pain_quality": "shooting, with pins and needles in the little toe",
    "pain_duration_days": "about 10 days",
    "pain_triggers": "sitting and coughing",
    "pain_relievers": "walking about",
    "pain_severity": "5",
    "back_pain": "yes",
    "age": "38",
    "rash": "no",
    "chickenpox_history": "yes",
    "diabetes_history": "no",
}


def assessment_in(messages: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and "assessment" in custom:
            return custom["assessment"]
    return None


def interview(
    servers: Servers, sender: str, opening: str, answers: Dict[str, str], max_turns: int = 20
) -> Dict[str, Any]:
    """Play the patient until an assessment arrives; every question must be a form slot
    request with buttons. Returns the assessment and the questions asked."""
    asked: List[str] = []
    reply = servers.send(sender, opening)
    for _ in range(max_turns):
        found = assessment_in(reply)
        if found:
            return {"assessment": found, "asked": asked, "reply": reply}
        slot = servers.slots(sender)["requested_slot"]
        assert slot, f"the bot asked something that is not a slot request: {reply}"
        assert any(m.get("buttons") for m in reply), f"no quick replies for {slot}"
        asked.append(slot)
        reply = servers.send(sender, answers.get(slot, "no"))
    raise AssertionError(f"no assessment after {max_turns} turns; asked {asked}")
