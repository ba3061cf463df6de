"""The assessment payload of CONTRACT section 4 and the messages that explain it."""
from typing import Any, Dict, List

from engine.assessment import EXPLAINED_CAUSES, Assessment, assess
from engine.findings import Findings
from engine.scoring import ScoredCause
from knowledge import Knowledge
from wording import listing, say

MAX_REASONS = 4  # reasons given for one cause
SHOWN_TIPS = 5


def _why(cause: ScoredCause, findings: Findings, assessment: Assessment,
         kb: Knowledge) -> List[str]:
    said = kb.responses.reasons.get(cause.id, {})
    roots = "/".join(assessment.dermatomes) or "one"
    regions = ", ".join(findings.regions)
    return [said[feature].format(dermatomes=roots, regions=regions)
            for feature in cause.evidence if feature in said][:MAX_REASONS]


def _triage_reason(reason: str, kb: Knowledge) -> str:
    kind, _, value = reason.partition(":")
    if kind == "flag":
        return kb.red_flags.flags[value].why
    if kind == "cause":
        return say(kb, "cause_possible", name=kb.conditions[value].name)
    return kb.responses.triage_reasons[reason]


def payload(assessment: Assessment, findings: Findings, kb: Knowledge) -> Dict[str, Any]:
    """Everything a widget, a bridge or the evaluation needs, as plain JSON data."""
    care = kb.care.triage[assessment.level]
    top = kb.conditions[assessment.top]
    sources = [say(kb, "citation", publisher=kb.sources[s].publisher, title=kb.sources[s].title,
                   url=kb.sources[s].url) for s in assessment.sources]
    return {
        "triage": assessment.level,
        "triage_headline": care.headline,
        "triage_reasons": list(dict.fromkeys(_triage_reason(r, kb) for r in assessment.reasons)),
        "causes": [{"id": c.id, "name": c.name, "score": c.score,
                    "why": _why(c, findings, assessment, kb)} for c in assessment.causes],
        "dermatomes": list(assessment.dermatomes),
        "neighbouring_dermatomes": list(assessment.neighbouring_dermatomes),
        "red_flags": list(assessment.red_flags),
        "self_care": [say(kb, "tip", text=kb.tips[t].text, caveat=kb.tips[t].caveat)
                      for t in assessment.tips],
        "see_doctor": say(kb, "see_doctor", advice=care.advice,
                          cause_advice=top.see_doctor).strip(),
        "doctor_may": [kb.care.doctor_may[item] for item in assessment.doctor_may],
        "not_a_diagnosis": kb.care.not_a_diagnosis,
        "sources": sources,
    }


def assessment_payload(findings: Findings, kb: Knowledge) -> Dict[str, Any]:
    """Assess and say it: the payload adapters send."""
    return payload(assess(findings, kb), findings, kb)


def _dermatome_sentence(result: Dict[str, Any], kb: Knowledge) -> str:
    roots = result["dermatomes"]
    if not roots:
        return ""
    skin = "; ".join(say(kb, "root_skin", root=root, skin=kb.roots[root].skin) for root in roots)
    return say(kb, "dermatome", roots="/".join(roots), skin=skin)


def explain(result: Dict[str, Any], kb: Knowledge) -> List[str]:
    """The assessment payload as a few short messages, the most important first."""
    messages = [say(kb, "first_message", headline=result["triage_headline"],
                    see_doctor=result["see_doctor"])]
    lines = [say(kb, "causes_intro")]
    for number, cause in enumerate(result["causes"][:EXPLAINED_CAUSES], start=1):
        plain = kb.conditions[cause["id"]].plain.split(". ")[0].rstrip(".")
        because = say(kb, "because", reasons=", ".join(cause["why"])) if cause["why"] else ""
        lines.append(say(kb, "cause_line", number=number, name=cause["name"], plain=plain,
                         because=because))
    messages.append("\n".join(lines))
    sentence = _dermatome_sentence(result, kb)
    if sentence:
        messages.append(sentence)
    if result["self_care"]:
        messages.append(say(kb, "self_care_intro") + "\n"
                        + listing(kb, result["self_care"][:SHOWN_TIPS]))
    if result["doctor_may"]:
        messages.append(say(kb, "doctor_may", items="; ".join(result["doctor_may"])))
    messages.append(result["not_a_diagnosis"])
    return messages
