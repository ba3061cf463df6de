"""The pain diary's check-in in the patient's words: the entry saved, the trend since last week,
what changed the advice (engine.diary_log.changes ids)."""

import datetime as dt
from typing import Any, List, Mapping, Optional, Sequence

from engine.diary_log import WEEK_DAYS, Entry, baseline, helped_since, trend
from knowledge import Knowledge
from wording import say

DAY_FORMAT = "%A %d %B"


def _plain(value: str) -> str:
    return value.replace("_", " ")


def entry_summary(entries: Sequence[Entry], today: dt.date, kb: Knowledge) -> List[str]:
    """ "Saved for Tuesday 01 December: worst pain 6 out of 10. Your pain is worse than last
    week." The latest entry is today's."""
    latest = entries[-1]
    day = latest.day.strftime(DAY_FORMAT)
    if latest.severity is None:
        lines = [say(kb, "diary_saved_no_score", day=day)]
    else:
        lines = [say(kb, "diary_saved", day=day, severity=f"{latest.severity:g}")]
    lines += trend_lines(entries, today, kb)
    return [" ".join(lines)]


def trend_lines(entries: Sequence[Entry], today: dt.date, kb: Knowledge) -> List[str]:
    direction = trend(entries, today)
    if direction == "too_early":
        return [say(kb, "diary_trend_too_early")]
    week_ago = any((today - e.day).days >= WEEK_DAYS for e in entries)
    since = say(kb, "diary_since_last_week" if week_ago else "diary_since_start")
    lines = [say(kb, f"diary_trend_{direction}", since=since)]
    helped = helped_since(entries, today)
    if helped:
        what, day = helped
        lines.append(say(kb, "diary_helped_since", day=day.strftime(DAY_FORMAT), what=_plain(what)))
    return lines


def changes_text(
    found: Sequence[str], interview: Mapping[str, Any], entries: Sequence[Entry], kb: Knowledge
) -> Optional[str]:
    """What in today's entry changes the advice, or None."""
    said = []
    for change in found:
        if change.startswith("flag:"):
            flag = kb.red_flags.flags[change.split(":", 1)[1]]
            said.append(say(kb, "diary_change_flag", sign=flag.label))
        elif change == "rise":
            start = baseline(interview, entries[:-1]) or 0.0
            points = (entries[-1].severity or 0.0) - start
            said.append(say(kb, "diary_change_rise", points=f"{points:g}"))
        else:
            said.append(say(kb, f"diary_change_{change}"))
    return say(kb, "diary_changes", changes="; ".join(said)) if said else None
