"""What the one-page report says, as plain data both the PDF and the HTML page lay out.

Everything comes from the conversation: the slots (what the patient reported and the warning
signs asked) and the assessment the assistant gave (engine.assessment.build_assessment: its
payload as sent, or rebuilt from the slots with the same functions when the conversation
has none). No clinical logic
here; the words are in knowledge/data/report_en.yml and the knowledge base.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from engine.diary_log import daily, helped_since, load, trend
from engine.findings import findings_from_slots
from knowledge import Knowledge
from report.words import words

try:  # the engine decides (ids), the wording layer says it (the lead's split of the engine)
    from wording.assessment import assessment_payload
except ImportError:  # before that split: engine.assessment.build_assessment did both
    from engine.assessment import build_assessment as assessment_payload  # type: ignore


@dataclass(frozen=True)
class Cause:
    name: str
    why: List[str]


@dataclass(frozen=True)
class Diary:
    points: List[Tuple[dt.date, float]]  # the worst pain of each day, for the chart
    summary: List[str]


@dataclass(frozen=True)
class Report:
    title: str
    made_on: str
    reported: List[Tuple[str, str]]
    warning_signs: List[Tuple[str, str]]
    triage: str
    headline: str
    see_doctor: str
    urgency_why: str
    causes: List[Cause]
    dermatomes: List[str]
    map_caption: str
    notice: str
    headings: Dict[str, str] = field(default_factory=dict)
    diary: Optional[Diary] = None


def _plain(value: Any) -> str:
    return str(value).replace("_", " ")


def _items(values: Any, text: Mapping[str, Any]) -> str:
    if not values:
        return text["answers"]["not_said"]
    values = values if isinstance(values, (list, tuple)) else [values]
    return ", ".join(_plain(v) for v in values)


def _yes_no(value: Any, text: Mapping[str, Any], unknown: str = "not_said") -> str:
    if value is True:
        return text["answers"]["yes"]
    if value is False:
        return text["answers"]["no"]
    return text["answers"][unknown]


def _days(days: Any, text: Mapping[str, Any]) -> str:
    words_for = text["duration"]
    try:
        days = float(days)
    except (TypeError, ValueError):
        return text["answers"]["not_said"]
    if days < 1:
        return words_for["under_a_day"]
    if days < 14:
        return words_for["one_day"] if round(days) == 1 else words_for["days"].format(n=f"{days:g}")
    if days < 60:
        return words_for["weeks"].format(n=round(days / 7))
    return words_for["months"].format(n=round(days / 30))


def _number(value: Any, text: Mapping[str, Any]) -> str:
    if value is None or isinstance(value, bool):
        return text["answers"]["not_said"]
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return text["answers"]["not_said"]


def _reported(
    slots: Mapping[str, Any], kb: Knowledge, text: Mapping[str, Any]
) -> List[Tuple[str, str]]:
    f = text["fields"]
    risks = [
        kb.risk_factors[r].label for r in slots.get("risk_factors") or [] if r in kb.risk_factors
    ]
    return [
        (f["where"], _items(slots.get("pain_location") or slots.get("vague_location"), text)),
        (f["side"], _items(slots.get("pain_side"), text)),
        (f["quality"], _items(slots.get("pain_quality"), text)),
        (f["triggers"], _items(slots.get("pain_triggers"), text)),
        (f["relievers"], _items(slots.get("pain_relievers"), text)),
        (f["duration"], _days(slots.get("pain_duration_days"), text)),
        (f["severity"], _number(slots.get("pain_severity"), text)),
        (f["back_pain"], _yes_no(slots.get("back_pain"), text)),
        (f["age"], _number(slots.get("age"), text)),
        (f["rash"], _yes_no(slots.get("rash"), text)),
        (f["chickenpox"], _yes_no(slots.get("chickenpox_history"), text)),
        (f["diabetes"], _yes_no(slots.get("diabetes_history"), text)),
        (f["background"], ", ".join(risks) if risks else text["answers"]["not_said"]),
    ]


def _warning_signs(
    slots: Mapping[str, Any], assessment: Mapping[str, Any], kb: Knowledge, text: Mapping[str, Any]
) -> List[Tuple[str, str]]:
    """Every warning sign with the patient's answer; the ones present first."""
    present = set(assessment.get("red_flags") or [])
    rows = []
    for flag_id, flag in kb.red_flags.flags.items():
        answer = True if flag_id in present else slots.get(flag_id)
        rows.append((flag.label, _yes_no(answer, text, unknown="not_asked")))
    order = {text["answers"]["yes"]: 0, text["answers"]["no"]: 1}
    return sorted(rows, key=lambda row: order.get(row[1], 2))


def _reason(reason: str, kb: Knowledge) -> Optional[str]:
    """A triage reason in words: payloads carry either the words or engine reason ids."""
    kind, _, what = reason.partition(":")
    if kind == "flag" and what in kb.red_flags.flags:
        return kb.red_flags.flags[what].label
    if kind == "cause" and what in kb.conditions:
        return kb.conditions[what].name
    return kb.responses.triage_reasons.get(reason, reason)


def urgency_reasons(assessment: Mapping[str, Any], kb: Knowledge) -> List[str]:
    said = (_reason(r, kb) for r in assessment.get("triage_reasons") or [])
    return list(dict.fromkeys(r for r in said if r))


def _diary(slots: Mapping[str, Any], today: dt.date, text: Mapping[str, Any]) -> Optional[Diary]:
    """The pain diary's trend (engine/diary_log.py), when the patient keeps one."""
    entries = load(slots.get("diary_entries"))
    if not entries:
        return None
    said = text["diary"]
    summary = [
        said["days"].format(
            n=len(entries),
            first=entries[0].day.strftime("%d %b"),
            last=entries[-1].day.strftime("%d %b"),
        ),
        said["trend"][trend(entries, today)],
    ]
    helped = helped_since(entries, today)
    if helped:
        summary.append(
            said["helped_since"].format(day=helped[1].strftime("%d %b"), what=_plain(helped[0]))
        )
    return Diary(daily(entries), summary)


def build_report(
    slots: Mapping[str, Any],
    assessment: Optional[Mapping[str, Any]],
    kb: Knowledge,
    when: dt.datetime,
) -> Report:
    text = words()
    if not assessment or "triage" not in assessment:
        assessment = assessment_payload(findings_from_slots(slots), kb)
    reasons = urgency_reasons(assessment, kb)
    roots: Sequence[str] = assessment.get("dermatomes") or []
    return Report(
        title=text["title"],
        made_on=text["made_on"].format(date=when.strftime("%d %B %Y, %H:%M UTC")),
        reported=_reported(slots, kb, text),
        warning_signs=_warning_signs(slots, assessment, kb, text),
        triage=str(assessment.get("triage")),
        headline=str(
            assessment.get("triage_headline") or kb.care.triage[assessment["triage"]].headline
        ),
        see_doctor=str(assessment.get("see_doctor") or ""),
        urgency_why=text["why_urgency"].format(reasons="; ".join(reasons)) if reasons else "",
        causes=[Cause(c["name"], list(c.get("why") or [])) for c in assessment.get("causes") or []],
        dermatomes=list(roots),
        map_caption=(
            text["map_caption"].format(roots=", ".join(roots)) if roots else text["no_map"]
        ),
        notice=str(assessment.get("not_a_diagnosis") or kb.care.not_a_diagnosis),
        headings=dict(text["sections"]),
        diary=_diary(slots, when.date(), text),
    )
