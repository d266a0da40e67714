"""The tip library: `content/tips/<lang>/<week>-<topic>-<n>.md`, validated at start-up.

Each file has a small header (topic, week, title) between `---` lines, then the tip's
text (Telegram HTML: only <b> and <i>). A broken file stops the start with one line
that names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.domain.languages import LANGUAGES

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
_NAME = re.compile(r"^(\d)-([a-z_]+)-(\d+)\.md$")
_TAG = re.compile(r"</?(\w+)>")


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
            for path in sorted((directory / language).glob("*.md")):
                tips.append(_read(path, language))
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


def _read(path: Path, language: str) -> Tip:
    where = f"{path.parent.name}/{path.name}"
    match = _NAME.match(path.name)
    if match is None:
        raise LibraryError(f"{where}: the name should be like 2-physical_activity-1.md")
    parts = path.read_text(encoding="utf-8").split("---\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise LibraryError(f"{where}: the header must stand between two '---' lines")
    header = dict(_field(line, where) for line in parts[1].strip().splitlines())
    if set(header) != {"topic", "week", "title"}:
        raise LibraryError(f"{where}: the header needs exactly topic, week and title")
    topic, week, title, text = header["topic"], header["week"], header["title"], parts[2].strip()
    if topic not in TOPICS or str(TOPICS[topic]) != week:
        raise LibraryError(f"{where}: unknown topic {topic!r} or a week that does not match it")
    if (topic, week) != (match.group(2), match.group(1)):
        raise LibraryError(f"{where}: the file name does not match the header")
    if not 0 < len(title) <= MAX_TITLE or "<" in title or "&" in title:
        raise LibraryError(f"{where}: the title must be 1-{MAX_TITLE} characters of plain text")
    if not 0 < len(text) <= MAX_BODY or not _tags_ok(text):
        raise LibraryError(
            f"{where}: the text must be 1-{MAX_BODY} characters, tags only <b> and <i>"
        )
    return Tip(f"{language}/{path.stem}", language, topic, int(week), title, text)


def _field(line: str, where: str) -> tuple[str, str]:
    key, colon, value = line.partition(":")
    if not colon:
        raise LibraryError(f"{where}: header line {line!r} is not 'key: value'")
    return key.strip(), value.strip()


def _tags_ok(text: str) -> bool:
    """Only balanced <b> and <i>, and no other markup characters (Telegram HTML)."""
    stack: list[str] = []
    for match in _TAG.finditer(text):
        tag, closing = match.group(1), match.group(0).startswith("</")
        if tag not in ("b", "i"):
            return False
        if closing:
            if not stack or stack.pop() != tag:
                return False
        else:
            stack.append(tag)
    rest = _TAG.sub("", text)
    return not stack and not any(ch in rest for ch in "<>&")
