"""When a leader wants a post to go out (or a meeting moved): quick choices, or a time typed
as people type it, in fi, sv or en.

Understood, in any order: a day ("tänään", "huomenna", "ke", "ke.", "keskiviikkona",
"ensi maanantaina", "9.12.", "9.12.2026", "2026-12-09", "i morgon", "onsdag", "tomorrow",
"next monday"), a time ("18", "klo 18", "kello 9.30", "kl. 16.20", "7.15pm") and a part of
the day ("aamulla", "illalla", "tänä iltana", "i kväll", "tonight", "morning"). A day with
no time is at `default_time`; a time with no day is its next coming moment.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.domain.parsing import Invalid, Problem, parse_date, parse_time

MAX_AHEAD = timedelta(days=366)
MORNING = time(9)

_PHRASES = {  # several words that mean one thing, joined first
    "i morgon bitti": "imorgon morgon",
    "i morgon": "imorgon",
    "i övermorgon": "övermorgon",
    "i dag": "idag",
    "i kväll": "idag kväll",
    "ikväll": "idag kväll",
    "i eftermiddag": "idag eftermiddag",
    "tänä iltana": "tänään illalla",
    "tänä aamuna": "tänään aamulla",
    "tänä iltapäivänä": "tänään iltapäivällä",
    "this evening": "today evening",
    "this morning": "today morning",
    "this afternoon": "today afternoon",
    "tonight": "today evening",
}
_RELATIVE = {
    "tänään": 0,
    "idag": 0,
    "today": 0,
    "huomenna": 1,
    "imorgon": 1,
    "tomorrow": 1,
    "ylihuomenna": 2,
    "övermorgon": 2,
}
_WEEKDAYS = [
    ("ma", "maanantai", "maanantaina", "mån", "måndag", "måndagen", "mon", "monday"),
    ("ti", "tiistai", "tiistaina", "tis", "tisdag", "tisdagen", "tue", "tues", "tuesday"),
    ("ke", "keskiviikko", "keskiviikkona", "ons", "onsdag", "onsdagen", "wed", "wednesday"),
    ("to", "torstai", "torstaina", "tor", "tors", "torsdag", "torsdagen", "thu", "thursday"),
    ("pe", "perjantai", "perjantaina", "fre", "fredag", "fredagen", "fri", "friday"),
    ("la", "lauantai", "lauantaina", "lör", "lördag", "lördagen", "sat", "saturday"),
    ("su", "sunnuntai", "sunnuntaina", "sön", "söndag", "söndagen", "sun", "sunday"),
]
_WEEKDAY = {name: index for index, names in enumerate(_WEEKDAYS) for name in names}
_PART_OF_DAY = {
    "aamulla": MORNING,
    "aamupäivällä": time(10),
    "päivällä": time(12),
    "iltapäivällä": time(15),
    "illalla": time(18),
    "morgon": MORNING,
    "morgonen": MORNING,
    "förmiddag": time(10),
    "eftermiddag": time(15),
    "eftermiddagen": time(15),
    "kväll": time(18),
    "kvällen": time(18),
    "morning": MORNING,
    "noon": time(12),
    "afternoon": time(15),
    "evening": time(18),
}
# Words that carry no meaning of their own here ("ensi maanantaina" is the coming Monday).
_FILLER = {"klo", "kello", "kl", "at", "om", "on", "i", "på", "ensi", "nästa", "next", "the"}
_AMPM = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)$")


def parse_when(text: str, now: datetime, default_time: time = MORNING) -> datetime | Invalid:
    """A future local time, from `now` (aware, in the local zone)."""
    words = _words(text)
    if not words:
        return Invalid(Problem.NOT_UNDERSTOOD)
    today = now.date()
    day_words = _day_words(words)
    day = _agreed_day([_day(w, today) for w in day_words], day_words)
    if isinstance(day, Invalid):
        return day
    at = _time_of([w for w in words if w not in day_words], default_time if day else None)
    if isinstance(at, Invalid):
        return at
    if day is None:  # only a time: its next coming moment
        day = today if at > now.time() else today + timedelta(days=1)
    elif all(w in _WEEKDAY for w in day_words) and day == today and at <= now.time():
        day += timedelta(weeks=1)  # "tuesday 9" said on a Tuesday afternoon: next week
    moment = datetime.combine(day, at, tzinfo=now.tzinfo)
    if moment <= now:
        return Invalid(Problem.IN_THE_PAST)
    if moment - now > MAX_AHEAD:
        return Invalid(Problem.TOO_FAR)
    return moment


def _words(text: str) -> list[str]:
    text = " ".join(text.lower().replace(",", " ").split())
    for phrase, meaning in _PHRASES.items():
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", meaning, text)
    words = []
    for word in text.split():
        if word.rstrip(".") in _WEEKDAY or word.rstrip(".") in _FILLER:
            word = word.rstrip(".")  # "ke." and "kl." are abbreviations, not filler
        if word not in _FILLER:
            words.append(word)
    return words


def _day_words(words: list[str]) -> list[str]:
    """The words that name a day. "12.1." and "2026-01-12" always do; "12.1" does only
    beside a time and no other day ("12.1 10"); beside a day it is a time ("huomenna 9.12")."""
    certain = [w for w in words if w in _RELATIVE or w in _WEEKDAY or _dated(w)]
    if certain or len(words) < 2:
        return certain
    return [w for w in words if _day_and_month(w)][:1]


def _dated(word: str) -> bool:
    return "-" in word or word.count(".") >= 2


def _day_and_month(word: str) -> bool:
    day, dot, month = word.partition(".")
    return bool(dot) and day.isdigit() and month.isdigit() and 1 <= int(month) <= 12


def _day(word: str, today: date) -> date | Invalid:
    if word in _RELATIVE:
        return today + timedelta(days=_RELATIVE[word])
    if word in _WEEKDAY:
        return today + timedelta(days=(_WEEKDAY[word] - today.weekday()) % 7)
    return parse_date(word, today)


def _agreed_day(days: list[date | Invalid], words: list[str]) -> date | Invalid | None:
    """The one day the words name. A weekday beside a date must be that date's ("ke 9.12.")."""
    for day in days:
        if isinstance(day, Invalid):
            return day
    exact = {d for d, w in zip(days, words, strict=True) if w not in _WEEKDAY}
    weekdays = {_WEEKDAY[w] for w in words if w in _WEEKDAY}
    if len(exact) > 1 or len(weekdays) > 1:
        return Invalid(Problem.WEEKDAY_MISMATCH)
    if exact:
        (day,) = exact
        assert isinstance(day, date)
        if weekdays and weekdays != {day.weekday()}:
            return Invalid(Problem.WEEKDAY_MISMATCH)
        return day
    first = days[0] if days else None
    return first if isinstance(first, date) else None


def _time_of(rest: list[str], default: time | None) -> time | Invalid:
    parts = [_PART_OF_DAY[w] for w in rest if w in _PART_OF_DAY]
    clock = [w for w in rest if w not in _PART_OF_DAY]
    if clock:
        at = _time(" ".join(clock))
        if isinstance(at, time) and parts and at.hour < 12 <= parts[0].hour:
            at = at.replace(hour=at.hour + 12)  # "illalla 7" is 19.00
        return at
    if parts:
        return parts[0]
    return default if default is not None else Invalid(Problem.NOT_UNDERSTOOD)


def _time(text: str) -> time | Invalid:
    match = _AMPM.match(text.strip())
    if match is None:
        return parse_time(text)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if not 1 <= hour <= 12 or minute > 59:
        return Invalid(Problem.NO_SUCH_TIME)
    return time(hour % 12 + (12 if half == "pm" else 0), minute)


def this_evening(now: datetime) -> datetime | None:
    """18:00 today, while it is still ahead."""
    evening = now.replace(hour=18, minute=0, second=0, microsecond=0)
    return evening if evening > now else None


def tomorrow_morning(now: datetime) -> datetime:
    return datetime.combine(now.date() + timedelta(days=1), MORNING, tzinfo=now.tzinfo)
