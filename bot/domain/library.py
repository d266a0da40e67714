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
    REJECT = "reject"
    CHANGE = "change"


DECIDED = {
    Decision.APPROVE: ItemState.APPROVED,
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
