"""Builders for Telegram objects and the text checks real Telegram applies to messages.

Kept apart from FakeTelegram so the state machine there stays readable.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from typing import Any

JSON = dict[str, Any]

SUPERGROUP_LIMIT = -1_000_000_000_000  # ids below this are supergroups/channels ("-100...")
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100

_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages",
)  # fmt: skip
_RESTRICTIONS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_react_to_messages",
    "can_edit_tag", "can_change_info", "can_invite_users", "can_pin_messages",
    "can_manage_topics",
)  # fmt: skip
_file_counter = itertools.count(1)


def chat_type(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    return "supergroup" if chat_id < SUPERGROUP_LIMIT else "group"


def default_chat(chat_id: int) -> JSON:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Testi"}
    return {"id": chat_id, "type": chat_type(chat_id), "title": f"Testiryhmä {chat_id}"}


def full_chat(chat: JSON) -> JSON:
    """ChatFullInfo as getChat returns it: the chat plus the always-present fields."""
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    accepted = {name: False for name in (*gifts, "gifts_from_channels")}
    return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": accepted}


def member(status: str, user: JSON) -> JSON:
    """A ChatMember of the right subtype; PTB rejects subtypes with missing fields."""
    extra: JSON = {}
    if status == "creator":
        extra = {"is_anonymous": False}
    elif status == "administrator":
        extra = {"can_be_edited": False, "is_anonymous": False} | dict.fromkeys(_ADMIN_RIGHTS, True)
    elif status == "restricted":
        extra = {"is_member": True, "until_date": 0} | dict.fromkeys(_RESTRICTIONS, False)
    elif status == "kicked":
        extra = {"until_date": 0}
    return {"status": status, "user": user, **extra}


def file_ids(kind: str) -> JSON:
    n = next(_file_counter)
    return {"file_id": f"{kind}-file-{n}", "file_unique_id": f"{kind}-uniq-{n}"}


def photo_sizes() -> list[JSON]:
    """Telegram returns several sizes of one photo, smallest first."""
    base = file_ids("photo")
    return [
        {**base, "file_id": f"{base['file_id']}-{w}", "width": w, "height": w * 3 // 4}
        for w in (90, 320, 800)
    ]


def media_content(kind: str, filename: str = "file.bin", file_id: str | None = None) -> JSON:
    """Message content for sendPhoto/sendDocument/sendMediaGroup items; `file_id` when the
    file was sent by an id Telegram issued earlier (the same file, the same id)."""
    ids = file_ids(kind)
    if file_id is not None:
        ids["file_id"] = file_id
    if kind == "photo":
        if file_id is None:
            return {"photo": photo_sizes()}
        return {"photo": [{**ids, "width": 800, "height": 600}]}
    if kind == "document":
        return {"document": {**ids, "file_name": filename}}
    if kind == "video":
        return {"video": {**ids, "width": 640, "height": 480, "duration": 1}}
    return {kind: {**ids, "duration": 1}}


def file_ids_in(value: object) -> list[str]:
    """Every file_id inside a message's content."""
    if isinstance(value, dict):
        found = [value["file_id"]] if isinstance(value.get("file_id"), str) else []
        return found + [f for v in value.values() for f in file_ids_in(v)]
    if isinstance(value, list):
        return [f for v in value for f in file_ids_in(v)]
    return []


def command_entities(text: str) -> list[JSON]:
    """Telegram marks a leading /command (incl. /cmd@bot) as a bot_command entity."""
    match = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    return [{"type": "bot_command", "offset": 0, "length": match.end()}] if match else []


def utf16_len(text: str) -> int:
    """Telegram measures lengths and offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def callback_data_of(markup: JSON | None) -> set[str]:
    rows = (markup or {}).get("inline_keyboard", [])
    return {b["callback_data"] for row in rows for b in row if "callback_data" in b}


def markup_problem(markup: object) -> str | None:
    """Telegram refuses callback_data over 64 bytes with BUTTON_DATA_INVALID, and more
    than 100 buttons in one keyboard."""
    if not isinstance(markup, dict):
        return None
    if sum(len(row) for row in markup.get("inline_keyboard", [])) > MAX_BUTTONS:
        return "reply markup is too long"
    for data in callback_data_of(markup):
        if not data or len(data.encode()) > MAX_CALLBACK_DATA:
            return "BUTTON_DATA_INVALID"
    return None


_HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote", "tg-time",
}  # fmt: skip
_BAD_ENTITY = re.compile(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class _TelegramHtml(HTMLParser):
    """Parses the HTML subset Telegram accepts, collecting the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.error = self.error or f'Unexpected end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> tuple[str, str | None]:
    """Return (visible text, error) the way Telegram's parse_mode=HTML sees it."""
    if _BAD_ENTITY.search(text):
        return text, "Unsupported HTML entity or unescaped '&'"
    if re.search(r"<(?![A-Za-z/])", text):
        return text, "Unescaped '<' character"
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open and not parser.error:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.open[-1]}"'
    return "".join(parser.text), parser.error
