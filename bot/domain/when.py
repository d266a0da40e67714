"""When a leader wants a post to go out: quick choices, or a time typed in fi, sv or en.

Understood forms: "ti 18", "huomenna 9.30", "12.1. klo 10", "2026-12-01 10:00",
"imorgon 9", "tomorrow 9am", "18" (today, or tomorrow if 18 has passed).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.domain.parsing import Invalid, Problem, parse_date, parse_time

MAX_AHEAD = timedelta(days=366)

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
    ("ma", "maanantai", "maanantaina", "mån", "måndag", "mon", "monday"),
    ("ti", "tiistai", "tiistaina", "tis", "tisdag", "tue", "tues", "tuesday"),
    ("ke", "keskiviikko", "keskiviikkona", "ons", "onsdag", "wed", "wednesday"),
    ("to", "torstai", "torstaina", "tor", "tors", "torsdag", "thu", "thur", "thurs", "thursday"),
    ("pe", "perjantai", "perjantaina", "fre", "fredag", "fri", "friday"),
    ("la", "lauantai", "lauantaina", "lör", "lördag", "sat", "saturday"),
    ("su", "sunnuntai", "sunnuntaina", "sön", "söndag", "sun", "sunday"),
]
_WEEKDAY = {name: index for index, names in enumerate(_WEEKDAYS) for name in names}
_FILLER = {"klo", "kl", "kl.", "at", "om", "on", "i", "ke."}
_AMPM = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)$")


def parse_when(text: str, now: datetime) -> datetime | Invalid:
    """A future local time, from `now` (aware, in the local zone)."""
    words = text.lower().replace(",", " ").replace("i morgon", "imorgon").split()
    words = [w for w in words if w not in _FILLER]
    if not words:
        return Invalid(Problem.NOT_UNDERSTOOD)
    today = now.date()
    day: date | Invalid | None = _day(words[0], today, followed=len(words) > 1)
    rest = words[1:] if day is not None else words
    at = _time(" ".join(rest)) if rest else Invalid(Problem.NOT_UNDERSTOOD)
    if isinstance(day, Invalid):
        return day
    if isinstance(at, Invalid):
        return at
    if day is None:  # only a time: the next such moment
        day = today if at > now.time() else today + timedelta(days=1)
    elif words[0] in _WEEKDAY and day == today and at <= now.time():
        day += timedelta(weeks=1)  # "tuesday 9" said on a Tuesday afternoon: next week
    moment = datetime.combine(day, at, tzinfo=now.tzinfo)
    if moment <= now:
        return Invalid(Problem.IN_THE_PAST)
    if moment - now > MAX_AHEAD:
        return Invalid(Problem.TOO_FAR)
    return moment


def _day(word: str, today: date, followed: bool) -> date | Invalid | None:
    if word in _RELATIVE:
        return today + timedelta(days=_RELATIVE[word])
    if word in _WEEKDAY:
        return today + timedelta(days=(_WEEKDAY[word] - today.weekday()) % 7)
    # "12.1." and "12.1.2027" are dates; "12.1" is one only when a time follows
    # ("9.30" alone is a time).
    if "-" in word or word.count(".") >= 2 or (followed and "." in word):
        return parse_date(word, today)
    return None


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
    return datetime.combine(now.date() + timedelta(days=1), time(9), tzinfo=now.tzinfo)
