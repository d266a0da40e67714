"""What a leader's post becomes in the library: only what Telegram needs to send it again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import Message

from bot.delivery.library import part_of
from bot.domain.library import Part, PartKind, parts_from_json, parts_to_json, sendable
from tests.support import tg_objects as tg


def message(content: dict[str, Any]) -> Message:
    data = {
        "message_id": 5,
        "date": int(datetime(2026, 12, 1, tzinfo=UTC).timestamp()),
        "chat": {"id": 2001, "type": "private", "first_name": "Anna"},
    } | content
    return Message.de_json(data, None)


def test_a_photo_keeps_its_largest_size_caption_and_formatting() -> None:
    entities = [{"type": "italic", "offset": 0, "length": 5}]
    photo = message(tg.media_content("photo") | {"caption": "Ilta", "caption_entities": entities})
    part = part_of(photo)
    assert part is not None
    assert part.kind is PartKind.PHOTO and part.file_id == photo.photo[-1].file_id
    assert part.text == "Ilta" and [dict(e) for e in part.entities] == entities


def test_a_text_keeps_its_entities() -> None:
    entities = [{"type": "bold", "offset": 0, "length": 3}]
    part = part_of(message({"text": "Hei kaikki", "entities": entities}))
    assert part == Part(PartKind.TEXT, None, "Hei kaikki", tuple(entities))


@pytest.mark.parametrize(
    "content",
    [
        {"location": {"latitude": 62.9, "longitude": 27.7}},
        {
            "poll": {
                "id": "1",
                "question": "Mitä?",
                "options": [
                    {"text": "a", "voter_count": 0, "persistent_id": "a"},
                    {"text": "b", "voter_count": 0, "persistent_id": "b"},
                ],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            }
        },
        {"contact": {"phone_number": "+358401234567", "first_name": "Anna"}},
    ],
)
def test_a_poll_a_location_or_a_contact_cannot_be_kept(content: dict[str, Any]) -> None:
    assert part_of(message(content)) is None


def test_parts_survive_the_database_and_bad_ones_are_refused() -> None:
    parts = (
        Part(PartKind.PHOTO, "p1", "Kuva", ({"type": "bold", "offset": 0, "length": 4},)),
        Part(PartKind.VIDEO, "v1", ""),
    )
    assert parts_from_json(parts_to_json(parts)) == parts
    with pytest.raises(ValueError):
        parts_from_json('[{"kind": "video", "file_id": null, "text": ""}]')
    with pytest.raises(ValueError):
        parts_from_json('[{"kind": "poll", "file_id": "x", "text": ""}]')


def test_albums_of_what_send_media_group_takes_only() -> None:
    photo, voice = Part(PartKind.PHOTO, "p", ""), Part(PartKind.VOICE, "v", "")
    assert sendable((voice,))
    assert sendable((photo, photo))
    assert not sendable((photo, voice))
    assert not sendable((photo,) * 11)
