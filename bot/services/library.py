"""The tip library: `content/tips/<lang>/<week>-<topic>-<n>/item.json`, validated at start-up.

Each tip is a text-only library item, read as `library import` reads an exported one
(bot/services/library_folders.py): its topic, language and title, and one text part with
Telegram's entities (only bold and italic). The week is the topic's. A broken tip stops
the start with one line that names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from bot.domain.languages import LANGUAGES
from bot.domain.library import PartKind
from bot.services.library_folders import Loaded, TransferProblem, read_items

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content" / "tips"

# Arkeen Voimaa's weekly topics, in the week the programme takes them up.
TOPICS = {
    "action_plans": 1,
    "problem_solving": 2,
    "difficult_emotions": 2,
    "physical_activity": 2,
    "sleep_fatigue": 3,
    "healthy_eating": 4,
    "communication": 4,
    "decision_making": 4,
    "medications": 5,
    "health_professionals": 6,
}
MAX_TITLE = 60
MAX_BODY = 1500
_NAME = re.compile(r"^(\d)-([a-z_]+)-(\d+)$")
_TAGS = {"bold": "b", "italic": "i"}  # the entities a tip may have, as Telegram HTML


class LibraryError(Exception):
    """A tip file is broken; the message names it."""


@dataclass(frozen=True)
class Tip:
    id: str  # "fi/2-physical_activity-1": language and file name, stable across restarts
    language: str
    topic: str
    week: int
    title: str
    text: str


class Library:
    def __init__(self, tips: list[Tip]) -> None:
        self._tips = {tip.id: tip for tip in tips}

    @classmethod
    def load(cls, directory: Path = CONTENT_DIR) -> Library:
        tips = []
        for language in LANGUAGES:
            folder = directory / language
            if not folder.is_dir():
                continue
            try:
                items = read_items(folder, frozenset(TOPICS), (language,))
            except TransferProblem as error:
                raise LibraryError(str(error)) from None
            tips += [_tip(item, language) for item in items]
        return cls(tips)

    def tip(self, tip_id: str) -> Tip | None:
        return self._tips.get(tip_id)

    def text(self, tip_id: str, language: str | None = None) -> str | None:
        """The tip's text, in `language` when the library has it in that language too."""
        tip = self._tips.get(tip_id)
        if tip is not None and language is not None:
            tip = self._tips.get(f"{language}/{tip_id.partition('/')[2]}", tip)
        return f"<b>{tip.title}</b>\n\n{tip.text}" if tip else None

    def topics(self, language: str) -> list[str]:
        present = {t.topic for t in self._tips.values() if t.language == language}
        return [topic for topic in TOPICS if topic in present]

    def tips(self, language: str, topic: str) -> list[Tip]:
        return [t for t in self._tips.values() if t.language == language and t.topic == topic]

    def for_week(self, language: str, week: int) -> list[Tip]:
        return [t for t in self._tips.values() if t.language == language and t.week == week]


def _tip(item: Loaded, language: str) -> Tip:
    where = f"{language}/{item.folder.name}"
    meta = item.metadata
    match = _NAME.match(item.folder.name)
    if match is None:
        raise LibraryError(f"{where}: the folder name should be like 2-physical_activity-1")
    topic, week = meta.topic, TOPICS[meta.topic]  # read_items knows only these topics
    if (topic, str(week)) != (match.group(2), match.group(1)):
        raise LibraryError(f"{where}: the folder name does not match the topic and its week")
    title = meta.title or ""
    if not 0 < len(title) <= MAX_TITLE or "<" in title or "&" in title:
        raise LibraryError(f"{where}: the title must be 1-{MAX_TITLE} characters of plain text")
    if len(meta.parts) != 1 or meta.parts[0].kind is not PartKind.TEXT:
        raise LibraryError(f"{where}: a tip is one text part")
    text = _html(meta.parts[0].text.strip(), meta.parts[0].entities)
    if text is None or not 0 < len(text) <= MAX_BODY:
        raise LibraryError(
            f"{where}: the text must be 1-{MAX_BODY} characters, entities only bold and italic"
        )
    return Tip(where, language, topic, week, title, text)


def _html(text: str, entities: tuple[Mapping[str, Any], ...]) -> str | None:
    """Telegram HTML of a text and its bold and italic entities (offsets count UTF-16 code
    units); None for any other entity, one out of range, or ones that overlap unnested."""
    units = text.encode("utf-16-le")
    # At one position, closing tags come first (the inner one first), then opening tags
    # (the outer one first): (position, closing 0 / opening 1, nesting, tag text).
    marks: list[tuple[int, int, int, int, str]] = []
    spans: list[tuple[int, int]] = []
    for number, entity in enumerate(entities):
        tag = _TAGS.get(entity.get("type", ""))
        start, length = entity.get("offset"), entity.get("length")
        if tag is None or not isinstance(start, int) or not isinstance(length, int):
            return None
        end = start + length
        if start < 0 or length <= 0 or 2 * end > len(units):
            return None
        if any(s < start < e < end or start < s < end < e for s, e in spans):
            return None
        spans.append((start, end))
        marks.append((start, 1, -end, number, f"<{tag}>"))
        marks.append((end, 0, -start, -number, f"</{tag}>"))
    marks.sort()
    out, at = [], 0
    for position, _, _, _, mark in marks:
        out.append(escape(units[2 * at : 2 * position].decode("utf-16-le"), quote=False))
        out.append(mark)
        at = position
    out.append(escape(units[2 * at :].decode("utf-16-le"), quote=False))
    return "".join(out)
