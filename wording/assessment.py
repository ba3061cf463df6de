"""The assessment payload of CONTRACT section 4 and the messages that explain it."""

from typing import Any, Dict, List

from engine.assessment import EXPLAINED_CAUSES, Assessment, assess
from engine.findings import Findings
from engine.scoring import ScoredCause
from knowledge import Knowledge
from wording import listing, say

MAX_REASONS = 4  # reasons given for one cause
SHOWN_TIPS = 5


def _why(
    cause: ScoredCause, findings: Findings, assessment: Assessment, kb: Knowledge
) -> List[str]:
    said = kb.responses.reasons.get(cause.id, {})
    roots = "/".join(assessment.dermatomes) or "one"
    regions = ", ".join(findings.regions)
    return [
        said[feature].format(dermatomes=roots, regions=regions)
        for feature in cause.evidence
        if feature in said
    ][:MAX_REASONS]


def _distinct_whys(assessment: Assessment, findings: Findings, kb: Knowledge) -> List[List[str]]:
    """Each listed cause's reasons; where a cause would repeat an earlier one's reasons word
    for word, what tells it apart comes first (a disc against sciatica in general)."""
    whys: List[List[str]] = []
    for cause in assessment.causes:
        why = _why(cause, findings, assessment, kb)
        if why and why in whys:
            why = [kb.responses.tells_apart[cause.id]] + why[: MAX_REASONS - 1]
        whys.append(why)
    return whys


def _sign(flag: str, kb: Knowledge) -> str:
    label = kb.red_flags.flags[flag].label
    return label[0].lower() + label[1:]


def _triage_reason(reason: str, kb: Knowledge) -> str:
    kind, _, value = reason.partition(":")
    if kind == "flag":
        return kb.red_flags.flags[value].why
    if kind == "unknown":
        level = kb.red_flags.flags[value].triage
        return say(kb, "not_ruled_out", sign=_sign(value, kb), level=say(kb, f"level_{level}"))
    if kind == "cause":
        return say(kb, "cause_possible", name=kb.conditions[value].name)
    return kb.responses.triage_reasons[reason]


def payload(assessment: Assessment, findings: Findings, kb: Knowledge) -> Dict[str, Any]:
    """Everything a widget, a bridge or the evaluation needs, as plain JSON data."""
    care = kb.care.triage[assessment.level]
    sources = [
        say(
            kb,
            "citation",
            publisher=kb.sources[s].publisher,
            title=kb.sources[s].title,
            url=kb.sources[s].url,
        )
        for s in assessment.sources
    ]
    return {
        "triage": assessment.level,
        "triage_headline": care.headline,
        "triage_reasons": list(dict.fromkeys(_triage_reason(r, kb) for r in assessment.reasons)),
        "causes": [
            {"id": c.id, "name": c.name, "score": c.score, "why": why}
            for c, why in zip(
                assessment.causes, _distinct_whys(assessment, findings, kb), strict=True
            )
        ],
        "dermatomes": list(assessment.dermatomes),
        "dermatome_map": assessment.dermatomes_explained,
        "neighbouring_dermatomes": list(assessment.neighbouring_dermatomes),
        "red_flags": list(assessment.red_flags),
        "self_care": [
            say(kb, "tip", text=kb.tips[t].text, caveat=kb.tips[t].caveat) for t in assessment.tips
        ],
        "see_doctor": _see_doctor(assessment, kb),
        "not_ruled_out": [kb.red_flags.flags[f].label for f in assessment.unknown_flags],
        "doctor_may": [kb.care.doctor_may[item] for item in assessment.doctor_may],
        "not_a_diagnosis": kb.care.not_a_diagnosis,
        "sources": sources,
    }


def _see_doctor(assessment: Assessment, kb: Knowledge) -> str:
    """One disposition: the level's advice; the top cause's own advice only when it asks
    for the same level; then what to do should a sign that could not be ruled out appear
    (nothing more for an emergency, which already says go now)."""
    parts = [kb.care.triage[assessment.level].advice]
    top = kb.conditions[assessment.top]
    if top.triage == assessment.level:
        parts.append(top.see_doctor)
    if assessment.level != "emergency" and assessment.unknown_flags:
        signs = ", ".join(_sign(f, kb) for f in assessment.unknown_flags)
        parts.append(say(kb, "could_not_rule_out", signs=signs))
        parts += [
            kb.responses.safety_net[kb.red_flags.flags[f].triage].format(sign=_sign(f, kb))
            for f in assessment.unknown_flags
        ]
    return " ".join(part.strip() for part in parts if part.strip())


def assessment_payload(findings: Findings, kb: Knowledge) -> Dict[str, Any]:
    """Assess and say it: the payload adapters send."""
    return payload(assess(findings, kb), findings, kb)


def _dermatome_sentence(result: Dict[str, Any], kb: Knowledge) -> str:
    roots = result["dermatomes"]
    if not roots or not result["dermatome_map"]:
        return ""
    skin = "; ".join(say(kb, "root_skin", root=root, skin=kb.roots[root].skin) for root in roots)
    return say(kb, "dermatome", roots="/".join(roots), skin=skin)


def explain(result: Dict[str, Any], kb: Knowledge) -> List[str]:
    """The assessment payload as a few short messages, the most important first."""
    messages = [
        say(
            kb, "first_message", headline=result["triage_headline"], see_doctor=result["see_doctor"]
        )
    ]
    lines = [say(kb, "causes_intro")]
    for number, cause in enumerate(result["causes"][:EXPLAINED_CAUSES], start=1):
        plain = kb.conditions[cause["id"]].plain.split(". ")[0].rstrip(".")
        because = say(kb, "because", reasons=", ".join(cause["why"])) if cause["why"] else ""
        lines.append(
            say(kb, "cause_line", number=number, name=cause["name"], plain=plain, because=because)
        )
    messages.append("\n".join(lines))
    sentence = _dermatome_sentence(result, kb)
    if sentence:
        messages.append(sentence)
    if result["self_care"]:
        messages.append(
            say(kb, "self_care_intro") + "\n" + listing(kb, result["self_care"][:SHOWN_TIPS])
        )
    if result["doctor_may"]:
        messages.append(say(kb, "doctor_may", items="; ".join(result["doctor_may"])))
    messages.append(result["not_a_diagnosis"])
    return messages
