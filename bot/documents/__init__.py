"""Files for coordinators: charts and spreadsheets, made from figures (never from
anyone's answers). Nothing here knows about Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.i18n import Translator


class Shown(StrEnum):
    PHOTO = "photo"  # shown in the chat, e.g. a chart
    DOCUMENT = "document"  # a file to open or forward, e.g. a spreadsheet


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    shown: Shown = Shown.DOCUMENT


def made_line(tr: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """When a file was made, in local time: 'Tehty 30.11.2026 klo 8.00'."""
    local = moment.astimezone(zone)
    day = f"{local.day}.{local.month}.{local.year}"
    return tr._("Made {date} at {time}", date=day, time=f"{local.hour}.{local.minute:02d}")
