"""Sending a library item again by Telegram file id: nothing is downloaded or uploaded,
an album stays an album, captions keep their formatting (the entities Telegram gave)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import (
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
    MessageEntity,
)
from telegram.ext import ExtBot

from bot.delivery.limits import BULK, Kind
from bot.domain.library import Part, PartKind

# Telegram's answers when it does not know (or no longer accepts) a file id.
_FILE_ID_WORDS = ("file identifier", "file_id", "file reference", "wrong remote file")

InputMedia = InputMediaPhoto | InputMediaVideo | InputMediaDocument | InputMediaAudio


def part_of(message: Message) -> Part | None:
    """What Telegram needs to send this message again by file id; None for a kind that
    cannot be kept (a poll, a location, a sticker, …)."""
    caption = message.caption or ""
    entities = tuple(e.to_dict() for e in message.caption_entities)
    media = (
        (PartKind.PHOTO, message.photo[-1] if message.photo else None),
        (PartKind.VIDEO, message.video),
        (PartKind.ANIMATION, message.animation),  # before document: a GIF is both
        (PartKind.DOCUMENT, message.document),
        (PartKind.AUDIO, message.audio),
        (PartKind.VOICE, message.voice),
    )
    for kind, file in media:
        if file is not None:
            return Part(kind, file.file_id, caption, entities)
    if message.text and not message.effective_attachment:
        return Part(PartKind.TEXT, None, message.text, tuple(e.to_dict() for e in message.entities))
    return None


def file_id_refused(description: str) -> bool:
    lowered = description.lower()
    return any(words in lowered for words in _FILE_ID_WORDS)


def _entities(bot: ExtBot[Any], part: Part) -> list[MessageEntity] | None:
    return [MessageEntity.de_json(dict(e), bot) for e in part.entities] or None


async def send_parts(
    bot: ExtBot[Any], chat: int, parts: Sequence[Part], kind: Kind | None = BULK
) -> tuple[int, ...]:
    """One call: the message, or the album with sendMediaGroup. parse_mode is None
    throughout: the text's formatting is in its entities, not HTML."""
    if len(parts) > 1:
        sent = await bot.send_media_group(
            chat, [_input_media(bot, p) for p in parts], rate_limit_args=kind
        )
        return tuple(m.message_id for m in sent)
    return ((await _send_one(bot, chat, parts[0], kind)).message_id,)


def media_sender(bot: ExtBot[Any], kind: PartKind) -> Callable[..., Awaitable[Message]]:
    """The Bot API method that sends one file of this kind (by file id or upload)."""
    senders: dict[PartKind, Callable[..., Awaitable[Message]]] = {
        PartKind.PHOTO: bot.send_photo,
        PartKind.VIDEO: bot.send_video,
        PartKind.DOCUMENT: bot.send_document,
        PartKind.ANIMATION: bot.send_animation,
        PartKind.AUDIO: bot.send_audio,
        PartKind.VOICE: bot.send_voice,
    }
    return senders[kind]


async def _send_one(bot: ExtBot[Any], chat: int, part: Part, kind: Kind | None) -> Message:
    entities = _entities(bot, part)
    if part.kind is PartKind.TEXT:
        return await bot.send_message(
            chat, part.text, entities=entities, parse_mode=None, rate_limit_args=kind
        )
    assert part.file_id is not None
    send = media_sender(bot, part.kind)
    message: Message = await send(
        chat,
        part.file_id,
        caption=part.text or None,
        caption_entities=entities,
        parse_mode=None,
        rate_limit_args=kind,
    )
    return message


def _input_media(bot: ExtBot[Any], part: Part) -> InputMedia:
    assert part.file_id is not None
    caption = part.text or None
    entities = _entities(bot, part)
    match part.kind:
        case PartKind.PHOTO:
            return InputMediaPhoto(
                part.file_id, caption=caption, caption_entities=entities, parse_mode=None
            )
        case PartKind.VIDEO:
            return InputMediaVideo(
                part.file_id, caption=caption, caption_entities=entities, parse_mode=None
            )
        case PartKind.AUDIO:
            return InputMediaAudio(
                part.file_id, caption=caption, caption_entities=entities, parse_mode=None
            )
        case _:
            return InputMediaDocument(
                part.file_id, caption=caption, caption_entities=entities, parse_mode=None
            )
