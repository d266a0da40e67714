"""Moving library items between municipalities (`python -m bot library export|import DIR`).

Export downloads each approved item's media with getFile and writes one folder per item:
the media files and a small metadata file (topic, language, title, attribution, captions).
Import checks every folder first, then uploads the media to a coordinator's private chat
(Telegram issues file ids only for what a bot has sent) and stores the items in one
transaction: a missing file or a broken metadata file is one line naming it, and nothing
is half imported.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
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

from bot.delivery.library import InputMedia, media_sender, part_of
from bot.domain.library import (
    METADATA,
    FilePart,
    Item,
    Metadata,
    Part,
    PartKind,
    file_name,
)
from bot.services.library_folders import Loaded, TransferProblem

# --- export -------------------------------------------------------------------------------


async def export_items(bot: ExtBot[Any], items: Sequence[Item], target: Path) -> None:
    """Write every item into `target` (a new folder), or nothing at all."""
    if target.exists():
        raise TransferProblem(f"{target} exists already: choose a new folder")
    if not target.parent.is_dir():
        raise TransferProblem(f"the folder {target.parent} does not exist: create it first")
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".export-"))
    try:
        for number, item in enumerate(items, 1):
            folder = work / f"{number:03d}-{item.topic}"
            folder.mkdir()
            parts = [await _download(bot, folder, i, part) for i, part in enumerate(item.parts, 1)]
            metadata = Metadata(
                item.topic, item.language, item.title, item.author_name, tuple(parts)
            )
            (folder / METADATA).write_text(metadata.to_json(), encoding="utf-8")
        work.rename(target)  # all at once: a failure above leaves no half export
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


async def _download(bot: ExtBot[Any], folder: Path, number: int, part: Part) -> FilePart:
    if part.file_id is None:
        return FilePart(part.kind, None, part.text, part.entities)
    file = await bot.get_file(part.file_id)
    suffix = Path(file.file_path).suffix if file.file_path else None
    name = file_name(part.kind, number, suffix or None)
    await file.download_to_drive(folder / name)
    return FilePart(part.kind, name, part.text, part.entities)


# --- import -------------------------------------------------------------------------------


async def upload(bot: ExtBot[Any], chat: int, item: Loaded) -> tuple[Part, ...]:
    """Send the item's media to `chat` once, for Telegram to issue file ids."""
    parts = item.metadata.parts
    media = [p for p in parts if p.file is not None]
    if not media:
        return tuple(Part(p.kind, None, p.text, p.entities) for p in parts)
    if len(parts) == 1:
        sent = [await _upload_one(bot, chat, item.folder, parts[0])]
    else:
        sent = list(await bot.send_media_group(chat, [_input(item.folder, p) for p in parts]))
    return tuple(
        Part(p.kind, _file_id(message), p.text, p.entities)
        for p, message in zip(parts, sent, strict=True)
    )


def _file_id(message: Message) -> str:
    part = part_of(message)
    if part is None or part.file_id is None:
        raise TransferProblem("Telegram did not return a file for an uploaded part")
    return part.file_id


def _file(folder: Path, part: FilePart) -> bytes:
    """The bytes (not an InputFile: PTB names an album's parts only for raw content)."""
    assert part.file is not None
    return (folder / part.file).read_bytes()


async def _upload_one(bot: ExtBot[Any], chat: int, folder: Path, part: FilePart) -> Message:
    send = media_sender(bot, part.kind)
    message: Message = await send(
        chat,
        _file(folder, part),
        filename=part.file,
        caption=part.text or None,
        caption_entities=_entities(part),
        parse_mode=None,
    )
    return message


def _entities(part: FilePart) -> list[MessageEntity] | None:
    return [MessageEntity.de_json(dict(e), None) for e in part.entities] or None


def _input(folder: Path, part: FilePart) -> InputMedia:
    kinds: dict[PartKind, Any] = {
        PartKind.PHOTO: InputMediaPhoto,
        PartKind.VIDEO: InputMediaVideo,
        PartKind.AUDIO: InputMediaAudio,
        PartKind.DOCUMENT: InputMediaDocument,
    }
    media: InputMedia = kinds[part.kind](
        _file(folder, part),
        filename=part.file,
        caption=part.text or None,
        caption_entities=_entities(part),
        parse_mode=None,
    )
    return media
