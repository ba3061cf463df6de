"""The interview's questions and notices in words."""

from typing import List, Mapping, Optional, Tuple

from engine.questions import ONE_FLAG, SLOT, SUSPECTED_FLAG, Question, question
from engine.turn import Notice
from knowledge import Knowledge
from wording import buttons, listing, say


def question_text(question: Question, kb: Knowledge) -> Tuple[str, List[str]]:
    """(text, button titles) for a question of the interview."""
    if question.form == SLOT:
        spec = next(q for q in kb.questions.questions if q.slot == question.slot)
        return spec.text or "", list(spec.buttons) + buttons(kb, "dont_know")
    if question.form == SUSPECTED_FLAG:
        return kb.responses.sign_suspected[question.slot], buttons(kb, "yes_no_unsure")
    if question.form == ONE_FLAG:
        return kb.responses.sign_questions[question.slot], buttons(kb, "yes_no_unsure")
    group = kb.red_flags.groups[question.group or ""]
    items = [kb.red_flags.flags[flag] for flag in question.flags]
    titles = [item.label for item in items] + [group.none_button]
    lines = listing(kb, [item.ask for item in items])
    return say(kb, "flag_list", intro=group.intro, items=lines), titles


def why_text(question: Optional[Question], kb: Knowledge) -> str:
    """Why the question is asked; in general when nothing is being asked."""
    if question is None:
        return say(kb, "why_in_general")
    if question.group:
        reason = " ".join(kb.red_flags.flags[flag].why for flag in question.flags[:2])
    else:
        reason = next(q.why for q in kb.questions.questions if q.slot == question.slot) or ""
    return say(kb, "why_asked", reason=reason)


def notice_text(notice: Notice, kb: Knowledge) -> Optional[str]:
    """The words for a notice; None for a non-answer, which has a response of its own."""
    if notice.kind == "non_answer":
        return None
    if notice.kind == "flag_acknowledged":
        return say(kb, "flag_acknowledged", why=kb.red_flags.flags[notice.value or ""].why)
    return say(kb, notice.kind)


def slot_question(slot: str, slots: Mapping, kb: Knowledge) -> Tuple[str, List[str]]:
    """Convenience for adapters: the question for `slot` as it stands now."""
    return question_text(question(slot, slots, kb), kb)
