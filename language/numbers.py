"""Durations, pain scores and ages in everyday words ("3 wks", "about a seven", "I'm 66")."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import List, Optional

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "couple": 2,
    "a couple of": 2,
    "a couple": 2,
    "a good couple of": 2,
    "good couple of": 2,
    "few": 3,
    "a few": 3,
    "several": 4,
    "half a": 0.5,
    "half an": 0.5,
    "zero": 0,
    "nought": 0,
}
UNIT_DAYS = {
    "hour": 1 / 24,
    "hr": 1 / 24,
    "day": 1,
    "night": 1,
    "week": 7,
    "wk": 7,
    "fortnight": 14,
    "month": 30,
    "mo": 30,
    "mth": 30,
    "year": 365,
    "yr": 365,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# The day of the month a part of it stands for ("since the middle of May" is the 15th).
MONTH_PARTS = {"beginning of": 1, "start of": 1, "early": 1, "middle of": 15, "mid": 15}
MONTH_PARTS.update({"end of": 28, "late": 28})
FIXED_DAYS = {"christmas": (12, 25), "new year": (1, 1), "bonfire night": (11, 5)}
RELATIVE_DAYS = {
    "today": 0.5,
    "this morning": 0.5,
    "tonight": 0.2,
    "this afternoon": 0.3,
    "yesterday": 1,
    "last night": 1,
    "the day before yesterday": 2,
    "last week": 7,
    "last month": 30,
    "last year": 365,
}
SEVERITY_WORDS = {
    "unbearable": 10,
    "worst ever": 10,
    "worst pain": 10,
    "excruciating": 10,
    "agony": 9,
    "agonising": 9,
    "agonizing": 9,
    "really bad": 8,
    "severe": 8,
    "terrible": 8,
    "awful": 8,
    "horrible": 8,
    "moderate": 5,
    "bad": 6,
    "manageable": 4,
    "mild": 3,
    "not too bad": 3,
    "slight": 2,
    "a bit sore": 3,
}

_NUM = (
    r"(\d+(?:\.\d+)?|"
    + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
    + r")"
)
_UNIT = r"(hours?|hrs?|days?|nights?|weeks?|wks?|fortnights?|months?|mos?|mths?|years?|yrs?)"
_DURATION = re.compile(
    rf"\b{_NUM}(?:\s+(?:and\s+a\s+half|or\s+so|odd))?\s*(?:-|\s)?\s*{_UNIT}\b(\s+and\s+a\s+half)?"
    r"(?!\s*-?\s*old)"
)
_VAGUE = {
    "for weeks": 21,
    "for months": 90,
    "for years": 730,
    "for ages": 180,
    "a long time": 180,
}
# "not slept properly in ages", "worse in years": a comparison, not how long it has hurt.
_NOT_VAGUE_BEFORE = re.compile(r"\b(in|for the first time in)\s*$")
_CUE_BEFORE = re.compile(
    r"(for|since|been|past|last|about|around|nearly|almost|over|"
    r"roughly|started|began|had it|just|maybe|like|than|under|from)\W*$"
)
_HOURS_CUE = re.compile(r"\b(ago|since|started|began|past|last)\b")
_CUE_AFTER = re.compile(r"^\W*(ago|now|already|running|straight|after|since)\b")
_SINCE_DAY = re.compile(
    r"\bsince\s+(?:last\s+|on\s+)?("
    + "|".join(WEEKDAYS)
    + r")\b|\b(?:on|last)\s+("
    + "|".join(WEEKDAYS)
    + r")\b"
)
# "started on wednesday", "came on last friday": the day it began.
_DAY_CUE = re.compile(r"\b(since|started|start|began|begun|came on|come on|kicked off|flared)\b")
_SINCE_MONTH = re.compile(
    r"\b(?:since|from|started|began|came on)\s+(?:about\s+|around\s+)?(?:the\s+)?("
    + "|".join(sorted(map(re.escape, MONTH_PARTS), key=len, reverse=True))
    + r")?[\s-]*("
    + "|".join(MONTHS + tuple(FIXED_DAYS))
    + r")\b"
)
_RELATIVE = re.compile(r"\b(?:since\s+)?(" + "|".join(map(re.escape, RELATIVE_DAYS)) + r")\b")
_SCORE = re.compile(rf"\b{_NUM}\s*(?:/|out of|outta)\s*(?:10|ten)\b")
_SMALL = r"(\d+(?:\.\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten)"
_SCORE_WORDED = re.compile(
    rf"\b(?:about|around|maybe|like|a solid|solid|level|its|it's|a)\s+(?:an?\s+)?{_SMALL}\b"
    rf"(?!\s*(?:-|\s)?\s*{_UNIT})"
)
_WHO = (
    r"i'?m|i am|aged?|age is|he'?s|she'?s|he is|she is|(?:mum|dad|mother|father|husband|"
    r"wife|son|daughter|partner|nan|gran|grandad|grandma|brother|sister|lad|girl|boy)"
    r"(?: is|'s)"
)
_AGE = re.compile(
    rf"\b(?:{_WHO})\s+(?:only\s+|just\s+|nearly\s+|almost\s+|now\s+)?(\d{{1,3}})\b"
    rf"(?!\s*(?:/|out of|{_UNIT}|%|weeks pregnant))"
    rf"|\b(\d{{1,3}})\s*(?:-\s*)?(?:years?|yrs?)(?:\s*-\s*|\s+)old\b|\b(\d{{1,3}})\s*yo\b"
)
_BARE = re.compile(r"^\D{0,12}?(\d{1,3}(?:\.\d+)?)\D{0,20}$")


@dataclass(frozen=True)
class Number:
    kind: str  # duration_days | severity | age
    value: float
    start: int
    end: int
    cued: bool  # said in a way that leaves no doubt what the number is
    vague: bool = False  # "for ages": only when no exact duration is said


def _value(word: str) -> float:
    word = word.strip()
    return float(word) if word[0].isdigit() else float(NUMBER_WORDS[word])


def _unit_days(unit: str) -> float:
    return UNIT_DAYS[unit[:-1] if unit.endswith("s") and unit[:-1] in UNIT_DAYS else unit]


def durations(text: str, today: Optional[dt.date] = None) -> List[Number]:
    today = today or dt.date.today()
    found = []
    for m in _DURATION.finditer(text):
        days = _value(m[1]) * _unit_days(m[2])
        if "half" in m.group(0):
            days += 0.5 * _unit_days(m[2])
        # Bounded windows around the match keep this linear in the length of the text.
        before, after = text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 40]
        # A duration closing the message ("..., 10 days") says how long it has been.
        closing = (
            m.end() + 40 >= len(text) and not after.strip(" .!?") and before.rstrip().endswith(",")
        )
        cued = bool(_CUE_BEFORE.search(before) or _CUE_AFTER.search(after) or closing)
        if m[2].startswith("h"):  # "cycle for an hour" is not how long it has hurt
            cued = bool(_HOURS_CUE.search(text[max(0, m.start() - 20) : m.end() + 6]))
        found.append(Number("duration_days", round(days, 2), m.start(), m.end(), cued))
    for m in _SINCE_DAY.finditer(text):
        day = WEEKDAYS.index(m[1] or m[2])
        days = (today.weekday() - day) % 7 or 7
        cued = bool(_DAY_CUE.search(text[max(0, m.start() - 30) : m.end()]))
        found.append(Number("duration_days", float(days), m.start(), m.end(), cued))
    for m in _SINCE_MONTH.finditer(text):
        days = _days_since(m[2], MONTH_PARTS.get(m[1] or "", 1), today)
        found.append(Number("duration_days", float(days), m.start(), m.end(), True))
    for phrase, days in _VAGUE.items():
        for m in re.finditer(rf"\b{phrase}\b", text):
            if _NOT_VAGUE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                continue
            found.append(Number("duration_days", float(days), m.start(), m.end(), True, True))
    for m in _RELATIVE.finditer(text):
        found.append(
            Number(
                "duration_days",
                float(RELATIVE_DAYS[m[1]]),
                m.start(),
                m.end(),
                m[0].startswith("since") or len(text) < 25,
            )
        )
    return found


def _days_since(name: str, day: int, today: dt.date) -> int:
    """Days since the last time the calendar showed this month (on this day) or feast."""
    month, day = FIXED_DAYS.get(name, (MONTHS.index(name) + 1 if name in MONTHS else 1, day))
    start = dt.date(today.year, month, min(day, 28))
    if start > today:
        start = dt.date(today.year - 1, month, min(day, 28))
    return (today - start).days


def severities(text: str) -> List[Number]:
    found = [
        Number("severity", _value(m[1]), m.start(), m.end(), True)
        for m in _SCORE.finditer(text)
        if _value(m[1]) <= 10
    ]
    if not found:
        found = [
            Number("severity", _value(m[1]), m.start(), m.end(), False)
            for m in _SCORE_WORDED.finditer(text)
            if _value(m[1]) <= 10
        ]
    for word, score in SEVERITY_WORDS.items():
        for m in re.finditer(rf"\b{re.escape(word)}\b", text):
            found.append(Number("severity", float(score), m.start(), m.end(), False))
    return found


def ages(text: str) -> List[Number]:
    found = []
    for m in _AGE.finditer(text):
        word = next(group for group in m.groups() if group)
        value = _value(word)
        if 1 <= value <= 120:
            found.append(Number("age", value, m.start(), m.end(), True))
    return found


def bare_number(text: str) -> Optional[float]:
    """A lone number such as "42" or "7." (what it means depends on the question asked)."""
    m = _BARE.match(text.strip())
    if m and not _DURATION.search(text):
        return float(m[1])
    word = text.strip(" .!").lower()
    for prefix in ("about ", "around ", "maybe ", "probably ", "like ", "i'd say ", "a "):
        word = word[len(prefix) :] if word.startswith(prefix) else word
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS and word not in ("a", "an") else None


def numbers_in(text: str, today: Optional[dt.date] = None) -> List[Number]:
    text = text.lower()
    return durations(text, today) + severities(text) + ages(text)
