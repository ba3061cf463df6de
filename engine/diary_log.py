"""The pain diary kept over days (issue 13): dated entries, the trend of the worst pain per day,
and what a new entry changes for the triage. Pure: no Rasa, no text, no dates from the clock.

Re-triage uses the interview's own rules: an entry is folded into the interview's slots (a new
warning sign is that sign's slot, the other leg makes `pain_side` "both", new weakness is the
`weakness` quality, a rise of RISE_POINTS or more is the `worsening` course), and the adapter
runs the usual assessment on them (engine.assessment.assess / build_assessment)."""

import datetime as dt
from dataclasses import dataclass, field
from statistics import mean
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from knowledge.contract import RED_FLAG_IDS

RISE_POINTS = 3  # the worst pain up by this much since the start gets re-triaged as worsening
WEEK_DAYS = 7
TREND_POINTS = 1.0  # a week's mean this much above or below the week before is a change
SIDES = ("left", "right", "both")


@dataclass(frozen=True)
class Entry:
    day: dt.date
    severity: Optional[float] = None  # today's worst pain, 0-10
    regions: Tuple[str, ...] = ()
    side: Optional[str] = None
    qualities: Tuple[str, ...] = ()
    helped: Tuple[str, ...] = ()  # relievers (CONTRACT pain_relievers values)
    new_flags: Tuple[str, ...] = field(default=())  # red-flag ids the patient says are new

    def to_json(self) -> Dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "severity": self.severity,
            "regions": list(self.regions),
            "side": self.side,
            "qualities": list(self.qualities),
            "helped": list(self.helped),
            "new_flags": list(self.new_flags),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Entry":
        """From a stored slot value; what is malformed is dropped, not trusted."""
        severity = data.get("severity")
        numeric = isinstance(severity, (int, float)) and not isinstance(severity, bool)
        if not numeric or not 0 <= float(severity) <= 10:  # type: ignore[arg-type]
            severity = None
        side = data.get("side") if data.get("side") in SIDES else None
        return cls(
            day=dt.date.fromisoformat(str(data["day"])),
            severity=None if severity is None else float(severity),
            regions=_strings(data.get("regions")),
            side=side,
            qualities=_strings(data.get("qualities")),
            helped=_strings(data.get("helped")),
            new_flags=tuple(f for f in _strings(data.get("new_flags")) if f in RED_FLAG_IDS),
        )


def _strings(value: Any) -> Tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(dict.fromkeys(str(v) for v in value if isinstance(v, str) and v))


def load(stored: Any) -> Tuple[Entry, ...]:
    """The entries of a `diary_entries` slot (a list of to_json() dicts), oldest first."""
    entries = []
    for item in stored if isinstance(stored, list) else []:
        try:
            entries.append(Entry.from_json(item))
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
    return tuple(sorted(entries, key=lambda e: e.day))


def record(entries: Sequence[Entry], entry: Entry) -> Tuple[Entry, ...]:
    """The diary with `entry` added; a second entry on the same day replaces the first."""
    kept = [e for e in entries if e.day != entry.day]
    return tuple(sorted([*kept, entry], key=lambda e: e.day))


def daily(entries: Sequence[Entry]) -> List[Tuple[dt.date, float]]:
    """The worst pain of each day that has one, oldest first (for the chart)."""
    return [(e.day, e.severity) for e in entries if e.severity is not None]


def trend(entries: Sequence[Entry], today: dt.date) -> str:
    """`worse`, `better` or `steady` this week against the week before (or against the first
    entry when there is no week before), `too_early` with fewer than two scored days."""
    points = [(day, score) for day, score in daily(entries) if day <= today]
    if len(points) < 2:
        return "too_early"
    this_week = [s for d, s in points if (today - d).days < WEEK_DAYS]
    last_week = [s for d, s in points if WEEK_DAYS <= (today - d).days < 2 * WEEK_DAYS]
    if not this_week:
        return "too_early"
    before = mean(last_week) if last_week else points[0][1]
    now = mean(this_week) if last_week else points[-1][1]
    if now - before >= TREND_POINTS:
        return "worse"
    if before - now >= TREND_POINTS:
        return "better"
    return "steady"


def helped_since(entries: Sequence[Entry], today: dt.date) -> Optional[Tuple[str, dt.date]]:
    """When the pain is better: something that helped from the day it first appeared, if the
    days since then score lower than the days before ("better since you started walking")."""
    if trend(entries, today) != "better":
        return None
    scored = daily(entries)
    for entry in entries:
        for reliever in entry.helped:
            before = [s for d, s in scored if d < entry.day]
            since = [s for d, s in scored if d >= entry.day]
            if before and since and mean(before) - mean(since) >= TREND_POINTS:
                return reliever, entry.day
    return None


def baseline(slots: Mapping[str, Any], entries: Sequence[Entry]) -> Optional[float]:
    """The pain the diary started from: the interview's score, else the first entry's."""
    value = slots.get("pain_severity")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    scored = daily(entries)
    return scored[0][1] if scored else None


def changes(slots: Mapping[str, Any], entries: Sequence[Entry]) -> Tuple[str, ...]:
    """What the latest entry brings that the interview did not know, as ids: `flag:<id>`,
    `other_leg`, `weakness`, `rise`."""
    if not entries:
        return ()
    latest = entries[-1]
    found = [f"flag:{flag}" for flag in latest.new_flags if slots.get(flag) is not True]
    side = slots.get("pain_side")
    if latest.side and side in ("left", "right") and latest.side != side:
        found.append("other_leg")
    if "weakness" in latest.qualities and "weakness" not in (slots.get("pain_quality") or []):
        found.append("weakness")
    start = baseline(slots, entries[:-1]) if len(entries) > 1 else baseline(slots, ())
    if start is not None and latest.severity is not None and latest.severity - start >= RISE_POINTS:
        found.append("rise")
    return tuple(found)


def retriage_slots(slots: Mapping[str, Any], entries: Sequence[Entry]) -> Dict[str, Any]:
    """The interview's slots with the latest entry folded in, for the interview's triage."""
    updated = dict(slots)
    if not entries:
        return updated
    latest = entries[-1]
    new = changes(slots, entries)
    for flag in latest.new_flags:
        updated[flag] = True
    if "other_leg" in new:  # now in both legs: the interview's warning sign, and its rules
        updated["pain_side"] = "both"
        updated["bilateral_leg_symptoms"] = True
    elif latest.side and not slots.get("pain_side"):
        updated["pain_side"] = latest.side
    updated["pain_location"] = list(
        dict.fromkeys([*(slots.get("pain_location") or []), *latest.regions])
    )
    updated["pain_quality"] = list(
        dict.fromkeys([*(slots.get("pain_quality") or []), *latest.qualities])
    )
    if latest.severity is not None:
        updated["pain_severity"] = latest.severity
    if "rise" in new:
        updated["risk_factors"] = list(
            dict.fromkeys([*(slots.get("risk_factors") or []), "worsening"])
        )
    return updated
