"""The assessment of CONTRACT section 4, and the plain words that explain it."""
from typing import Any, Dict, List

from engine.dermatomes import dermatomes_for, neighbours_for
from engine.findings import Findings
from engine.scoring import ScoredCause, score_causes
from engine.triage import decide_triage
from knowledge import Knowledge

LISTED_CAUSES = 5
LEAST_LISTED = 3  # CONTRACT: at least the three most likely, where three fit
EXPLAINED_CAUSES = 3
# An emergency cause with less than this share does not fit: naming it ("cauda equina
# syndrome" in a home-care assessment) would only alarm.
LISTED_SHARE = 0.02


def _citation(source_id: str, kb: Knowledge) -> str:
    source = kb.sources[source_id]
    return f"{source.publisher}: {source.title} ({source.url})"


def _tips(causes: List[ScoredCause], kb: Knowledge) -> List[str]:
    tip_ids = dict.fromkeys(tip for cause in causes[:2] for tip in kb.conditions[cause.id].self_care)
    return [f"{kb.tips[tip].text} {kb.tips[tip].caveat}" for tip in tip_ids]


def _listed(causes: List[ScoredCause], kb: Knowledge) -> List[ScoredCause]:
    """The likely causes, at least three, leaving out emergencies that do not fit."""
    listed: List[ScoredCause] = []
    for cause in causes:
        fits = cause.score >= LISTED_SHARE
        if fits or (len(listed) < LEAST_LISTED and kb.conditions[cause.id].triage != "emergency"):
            listed.append(cause)
        if len(listed) == LISTED_CAUSES or (len(listed) >= LEAST_LISTED and not fits):
            break
    return listed


def build_assessment(findings: Findings, kb: Knowledge) -> Dict[str, Any]:
    """Everything a widget, a bridge or the evaluation needs, as plain JSON data."""
    causes = score_causes(findings, kb)
    decision = decide_triage(findings, causes, kb)
    listed = _listed(causes, kb)
    top = kb.conditions[causes[0].id]
    care = kb.care.triage[decision.level]
    source_ids = dict.fromkeys(
        [s for cause in causes[:EXPLAINED_CAUSES] for s in kb.conditions[cause.id].sources]
        + [s for flag in sorted(findings.red_flags) for s in kb.red_flags.flags[flag].sources])
    doctor_may = [kb.care.doctor_may[item] for item in top.doctor_may]
    return {
        "triage": decision.level,
        "triage_headline": care.headline,
        "triage_reasons": list(decision.reasons),
        "causes": [{"id": c.id, "name": c.name, "score": c.score, "why": list(c.why)}
                   for c in listed],
        "dermatomes": dermatomes_for(findings.regions, kb),
        "neighbouring_dermatomes": neighbours_for(findings.regions, kb),
        "red_flags": sorted(findings.red_flags),
        "self_care": [] if decision.level == "emergency" else _tips(causes, kb),
        "see_doctor": f"{care.advice} {top.see_doctor}".strip(),
        "doctor_may": doctor_may,
        "not_a_diagnosis": kb.care.not_a_diagnosis,
        "sources": [_citation(source_id, kb) for source_id in source_ids],
    }


def _dermatome_sentence(assessment: Dict[str, Any], kb: Knowledge) -> str:
    roots = assessment["dermatomes"]
    if not roots:
        return ""
    skin = "; ".join(f"{root} supplies {kb.roots[root].skin}" for root in roots)
    return (f"Where you feel it matches the {'/'.join(roots)} dermatome "
            f"(the strip of skin one nerve root supplies): {skin}.")


def explain(assessment: Dict[str, Any], kb: Knowledge) -> List[str]:
    """The assessment as a few short messages, the most important first."""
    messages = [f"{assessment['triage_headline']} {assessment['see_doctor']}"]
    causes = assessment["causes"][:EXPLAINED_CAUSES]
    lines = ["What could be causing it, most likely first:"]
    for number, cause in enumerate(causes, start=1):
        plain = kb.conditions[cause["id"]].plain.split(". ")[0].rstrip(".")
        why = f" I think so because {', '.join(cause['why'])}." if cause["why"] else ""
        lines.append(f"{number}. {cause['name']}. {plain}.{why}")
    messages.append("\n".join(lines))
    sentence = _dermatome_sentence(assessment, kb)
    if sentence:
        messages.append(sentence)
    if assessment["self_care"]:
        messages.append("What you can do at home:\n- " + "\n- ".join(assessment["self_care"][:5]))
    if assessment["doctor_may"]:
        messages.append("A doctor may check: " + "; ".join(assessment["doctor_may"]) + ".")
    messages.append(assessment["not_a_diagnosis"])
    return messages


def assess(findings: Findings, kb: Knowledge) -> Dict[str, Any]:
    """Convenience for adapters: the payload and its explanation together."""
    assessment = build_assessment(findings, kb)
    return {"assessment": assessment, "messages": explain(assessment, kb)}
