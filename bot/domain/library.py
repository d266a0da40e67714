"""The co-created library: what a leader's post is made of, and an item's life.

A part keeps only what Telegram needs to send it again by file id; nothing is downloaded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class PartKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    VIDEO = "video"
    DOCUMENT = "document"
    ANIMATION = "animation"
    AUDIO = "audio"
    VOICE = "voice"


# What sendMediaGroup takes: an album of these stays an album.
ALBUM_KINDS = frozenset({PartKind.PHOTO, PartKind.VIDEO, PartKind.DOCUMENT, PartKind.AUDIO})


@dataclass(frozen=True)
class Part:
    """One message of a post: its kind, its file id (none for text), its text or caption
    and the entities (formatting) Telegram gave with it, as Telegram's JSON."""

    kind: PartKind
    file_id: str | None
    text: str
    entities: tuple[Mapping[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "file_id": self.file_id,
            "text": self.text,
            "entities": [dict(e) for e in self.entities],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Part:
        kind = PartKind(data["kind"])
        file_id = data.get("file_id")
        if (kind is PartKind.TEXT) != (file_id is None):
            raise ValueError("a text part has no file id; a media part needs one")
        if file_id is not None and (not isinstance(file_id, str) or not file_id):
            raise ValueError("a file id is a non-empty string")
        text = data.get("text", "")
        entities = data.get("entities", [])
        if not isinstance(text, str) or not isinstance(entities, list):
            raise ValueError("text must be a string and entities a list")
        if not all(isinstance(e, dict) for e in entities):
            raise ValueError("each entity is an object")
        return cls(kind, file_id, text, tuple(entities))


def parts_to_json(parts: Sequence[Part]) -> str:
    return json.dumps([p.to_dict() for p in parts], ensure_ascii=False)


def parts_from_json(text: str) -> tuple[Part, ...]:
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError("parts are a list")
    return tuple(Part.from_dict(d) for d in data)


def sendable(parts: Sequence[Part]) -> bool:
    """One message of any kind, or an album Telegram can send again as one."""
    if len(parts) == 1:
        return True
    return 2 <= len(parts) <= 10 and all(p.kind in ALBUM_KINDS for p in parts)


class ItemState(StrEnum):
    OFFERED = "offered"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES = "changes"  # the coordinator asked the leader to change it
    RETIRED = "retired"  # never sent again


class Decision(StrEnum):
    APPROVE = "approve"
    APPROVE_EVERYWHERE = "everywhere"  # for every area (only a coordinator of all areas)
    REJECT = "reject"
    CHANGE = "change"


DECIDED = {
    Decision.APPROVE: ItemState.APPROVED,
    Decision.APPROVE_EVERYWHERE: ItemState.APPROVED,
    Decision.REJECT: ItemState.REJECTED,
    Decision.CHANGE: ItemState.CHANGES,
}


class RejectReason(StrEnum):
    """A short list of kind reasons, so nobody has to write a refusal."""

    NOT_FOR_GROUPS = "groups"  # fine for your group, less so for others
    SIMILAR = "similar"  # the library has a similar one
    HARD_TO_FOLLOW = "unclear"  # picture or sound hard to follow
    PEOPLE_SHOWN = "people"  # shows people who may not have agreed to it


@dataclass(frozen=True)
class Item:
    id: int
    area_id: int | None  # None: every area
    author_id: int | None
    author_name: str | None
    topic: str
    language: str
    title: str | None
    parts: tuple[Part, ...]
    source_chat_id: int | None
    source_message_ids: tuple[int, ...]
    state: ItemState
    reason: str | None
    created_at: datetime
    sent_count: int
    groups_reached: int = 0

    @property
    def label(self) -> str:
        """The title, or the first words of its text."""
        if self.title:
            return self.title
        words = " ".join(p.text for p in self.parts if p.text).split()
        text = " ".join(words)
        return text if len(text) <= 40 else text[:39].rstrip() + "…"


# --- moving items between municipalities: one folder per item -----------------------------

METADATA = "item.json"
MAX_TITLE = 60
MAX_ATTRIBUTION = 64
_EXTENSIONS = {
    PartKind.PHOTO: ".jpg",
    PartKind.VIDEO: ".mp4",
    PartKind.DOCUMENT: ".bin",
    PartKind.ANIMATION: ".mp4",
    PartKind.AUDIO: ".mp3",
    PartKind.VOICE: ".ogg",
}


@dataclass(frozen=True)
class FilePart:
    """A part as written to disk: its media file's name in the item's folder (None for
    text), its text or caption and its entities."""

    kind: PartKind
    file: str | None
    text: str
    entities: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Metadata:
    topic: str
    language: str
    title: str | None
    attribution: str | None  # the first name the author agreed to show
    parts: tuple[FilePart, ...]

    def to_json(self) -> str:
        parts = [
            {"kind": p.kind.value, "file": p.file, "text": p.text, "entities": list(p.entities)}
            for p in self.parts
        ]
        data = {
            "topic": self.topic,
            "language": self.language,
            "title": self.title,
            "attribution": self.attribution,
            "parts": parts,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def file_name(kind: PartKind, number: int, suffix: str | None = None) -> str:
    """The name of a part's media file in its folder, e.g. '1.mp4'."""
    return f"{number}{suffix or _EXTENSIONS[kind]}"


def parse_metadata(text: str, topics: frozenset[str], languages: Sequence[str]) -> Metadata:
    """An item's metadata file; ValueError with a short reason if it is broken."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("not valid JSON") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    topic, language = data.get("topic"), data.get("language")
    if topic not in topics:
        raise ValueError(f"unknown topic {topic!r}")
    if language not in languages:
        raise ValueError(f"unknown language {language!r}")
    title = _optional_text(data.get("title"), "title", MAX_TITLE)
    attribution = _optional_text(data.get("attribution"), "attribution", MAX_ATTRIBUTION)
    raw_parts = data.get("parts")
    if not isinstance(raw_parts, list) or not raw_parts:
        raise ValueError("parts must be a non-empty list")
    parts = tuple(_file_part(p) for p in raw_parts)
    if not sendable([Part(p.kind, p.file or None, p.text) for p in parts]):
        raise ValueError("these parts cannot be sent together")
    return Metadata(str(topic), str(language), title, attribution, parts)


def _optional_text(value: object, name: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise ValueError(f"{name} must be text of 1-{limit} characters")
    return value


def _file_part(data: object) -> FilePart:
    if not isinstance(data, dict):
        raise ValueError("each part is an object")
    try:
        kind = PartKind(str(data.get("kind")))
    except ValueError:
        raise ValueError(f"unknown part kind {data.get('kind')!r}") from None
    file, text, entities = data.get("file"), data.get("text", ""), data.get("entities", [])
    if (kind is PartKind.TEXT) != (file is None):
        raise ValueError("a text part has no file; a media part names one")
    if file is not None and (not isinstance(file, str) or "/" in file or file.startswith(".")):
        raise ValueError(f"file {file!r} must be a plain name in the item's folder")
    if not isinstance(text, str) or not isinstance(entities, list):
        raise ValueError("text must be text and entities a list")
    if not all(isinstance(e, dict) for e in entities):
        raise ValueError("each entity is an object")
    return FilePart(kind, file, text, tuple(entities))
