"""FakeTelegram: an in-memory Bot API used by both test transports.

FakeRequest (in-process) and FakeBotApiServer (real HTTP) only translate requests into
``FakeTelegram.handle``; all Telegram behaviour lives here, so both see the same rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.support import tg_objects as tg
from tests.support.botapi import check_call

JSON = dict[str, Any]
Clock = Callable[[], float]

# Update types Telegram withholds unless allowed_updates asks for them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart part; ``name`` is the form field (or attach:// name)."""

    name: str
    filename: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Call:
    method: str
    params: Mapping[str, Any]
    status: int
    files: Mapping[str, Upload] = field(default_factory=dict)  # parts referenced by attach://
    at: float = field(default_factory=time.monotonic, compare=False)  # when it was answered


class ApiError(Exception):
    """Raised inside the fake to answer a request the way Telegram reports errors."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class _Fault:
    status: int
    description: str
    parameters: JSON | None


class _Signal:
    """Wakes coroutines on any event loop when something happens, from any thread.

    A generation counter closes the check-then-wait race: waiters pass the generation they
    saw before checking, and return at once if anything happened since.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def notify(self) -> None:
        with self._lock:
            self.generation += 1
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_finish, future)

    async def wait(self, generation: int, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if generation != self.generation:
                return
            self._waiters.append((loop, future))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(future, max(timeout, 0))


def _finish(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _SlidingWindow:
    """At most ``limit`` messages in any ``seconds``-long span, like Telegram's flood control."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.stamps: deque[float] = deque()

    def retry_after(self, now: float, count: int = 1) -> int:
        """0 if `count` more messages fit now, else whole seconds until they would."""
        while self.stamps and self.stamps[0] <= now - self.seconds:
            self.stamps.popleft()
        over = len(self.stamps) + min(count, self.limit) - self.limit
        if over <= 0:
            return 0
        frees_at = self.stamps[over - 1] + self.seconds
        return max(1, math.ceil(frees_at - now))

    def add(self, now: float, count: int = 1) -> None:
        self.stamps.extend([now] * count)


GLOBAL_LIMIT = (30, 1.0)  # messages per second over all chats
GROUP_LIMIT = (20, 60.0)  # messages per minute in one group
PRIVATE_LIMIT = (1, 1.0)  # messages per second in one private chat
_SENDS_NOT_NAMED_SEND = frozenset(
    {"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"}
)
_CONTENT_KEYS = (
    "text", "entities", "photo", "document", "video", "audio", "voice", "animation", "sticker",
    "caption", "caption_entities", "location", "contact",
)  # fmt: skip
_COMMAND_NAME = r"[a-z0-9_]{1,32}"


def _is_send(method: str) -> bool:
    # sendChatAction shows "typing…" and is not a message, so flood control ignores it.
    is_send = method.startswith("send") and method != "sendChatAction"
    return is_send or method in _SENDS_NOT_NAMED_SEND


def _now() -> int:
    return int(time.time())


def _true(params: JSON) -> bool:
    return True


def _user(user_id: int, first_name: str, language_code: str, username: str | None) -> JSON:
    user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    return user | {"language_code": language_code}


def _text_content(text: str) -> JSON:
    entities = tg.command_entities(text)
    return {"text": text, "entities": entities} if entities else {"text": text}


def _inline_markup(params: JSON) -> JSON:
    """Telegram echoes only inline keyboards back in Message.reply_markup."""
    markup = params.get("reply_markup")
    if problem := tg.markup_problem(markup):
        raise ApiError(400, f"Bad Request: {problem}")
    is_inline = isinstance(markup, dict) and "inline_keyboard" in markup
    return {"reply_markup": markup} if is_inline else {}


def _formatted(params: Mapping[str, Any], key: str) -> JSON:
    """Apply parse_mode as Telegram does: strip HTML, refuse bad markup and overlong text."""
    if params.get(key) is None:
        return {}
    text = str(params[key])
    if str(params.get("parse_mode", "")).lower() == "html":
        text, error = tg.parse_html(text)
        if error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}")
    if key == "text" and not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if tg.utf16_len(text) > (tg.MAX_TEXT if key == "text" else tg.MAX_CAPTION):
        what = "message" if key == "text" else "message caption"
        raise ApiError(400, f"Bad Request: {what} is too long")
    entities_key = "entities" if key == "text" else "caption_entities"
    entities = params.get(entities_key)
    return {key: text, entities_key: entities} if entities else {key: text}


class FakeTelegram:
    """In-memory Telegram: records calls, answers like the Bot API, builds incoming updates."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        bot_id: int = 123456,
        username: str = "ryhmakaveri_test_bot",
        enforce_rate_limits: bool = False,
        clock: Clock = time.monotonic,
    ) -> None:
        self.token, self.bot_id, self.username = token, bot_id, username
        self.enforce_rate_limits, self.clock = enforce_rate_limits, clock
        self.bot_user: JSON = {
            "id": bot_id, "is_bot": True, "first_name": "Ryhmäkaveri", "username": username,
        }  # fmt: skip
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.rate_limited = 0
        self.chats: dict[int, JSON] = {}
        self.users: dict[int, JSON] = {}
        self.messages: dict[tuple[int, int], JSON] = {}  # live messages, incoming and sent
        self.sent: dict[tuple[int, int], JSON] = {}  # live messages the bot sent, as now shown
        self.deleted: set[tuple[int, int]] = set()
        self.file_ids: set[str] = set()  # every file id Telegram issued (and still accepts)
        self.files: dict[str, bytes] = {}  # downloadable content of issued file ids (getFile)
        self.uploaded_bytes = 0  # bytes of every file uploaded to any method
        self.members: dict[tuple[int, int], str] = {}  # (chat_id, user_id) -> status
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope json, language) -> list
        self.menu_buttons: dict[int | None, JSON] = {}
        self.pinned: dict[int, int] = {}
        self.answered_queries: dict[str, JSON] = {}
        self.open_queries: set[str] = set()  # callback queries the bot has not answered yet
        self.webhook_url = ""
        self._updates: list[JSON] = []
        self._allowed_updates: frozenset[str] | None = None  # None: Telegram's default set
        self._update_ids = itertools.count(100_000)
        self._query_ids = itertools.count(9_000_000)
        self._message_ids: defaultdict[int, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1)
        )
        self._unreachable: dict[int, _Fault] = {}  # chat_id -> error for anything sent there
        self._faults: defaultdict[str, deque[_Fault]] = defaultdict(deque)
        self._windows: dict[object, _SlidingWindow] = {}
        self._lock = threading.RLock()
        self._call_signal = _Signal()
        self._update_signal = _Signal()
        self._poll_signal = _Signal()
        self._poll_epoch = 0
        self.polls_begun = 0  # getUpdates requests received (a Call is recorded when one ends)
        self._handlers = self._method_table()

    # ----- entry points -------------------------------------------------------------------

    def handle(
        self, method: str, params: Mapping[str, Any], files: Mapping[str, Upload] | None = None
    ) -> tuple[int, JSON]:
        """Answer one Bot API call: (HTTP status, Telegram's JSON body)."""
        params = dict(params)
        with self._lock:
            uploads = [v for v in params.values() if isinstance(v, Upload)]
            self.uploaded_bytes += sum(len(u.data) for u in [*uploads, *(files or {}).values()])
            status, body = self._respond(method, params)
            self.calls.append(Call(method, params, status, dict(files or {})))
        self._call_signal.notify()
        return status, body

    async def handle_async(
        self, method: str, params: Mapping[str, Any], files: Mapping[str, Upload] | None = None
    ) -> tuple[int, JSON]:
        """Like handle(), but getUpdates long-polls as Telegram does."""
        if method == "getUpdates":
            await self._long_poll(params)
        return self.handle(method, params, files)

    def release_pollers(self) -> None:
        """End pending long polls now, e.g. when a server shuts down."""
        self._poll_epoch += 1
        self._update_signal.notify()

    def _respond(self, method: str, params: JSON) -> tuple[int, JSON]:
        try:
            self._check_schema(method, params)
            self._take_fault(method)
            self._check_reachable(params)
            self._check_rate_limit(method, params)
            result = self._handlers.get(method, _true)(params)
        except ApiError as err:
            return err.status, err.body()
        return 200, {"ok": True, "result": result}

    def _method_table(self) -> dict[str, Callable[[JSON], Any]]:
        return {
            "getMe": lambda p: self._me(),
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._webhook_info,
            "sendMessage": lambda p: self._post(p, _formatted(p, "text")),
            "sendPhoto": lambda p: self._send_file(p, "photo"),
            "sendDocument": lambda p: self._send_file(p, "document"),
            "sendVideo": lambda p: self._send_file(p, "video"),
            "sendAnimation": lambda p: self._send_file(p, "animation"),
            "sendAudio": lambda p: self._send_file(p, "audio"),
            "sendVoice": lambda p: self._send_file(p, "voice"),
            "getFile": self._get_file,
            "sendMediaGroup": self._send_media_group,
            "copyMessage": self._copy_message,
            "copyMessages": self._copy_messages,
            "forwardMessage": self._forward_message,
            "editMessageText": self._edit_text,
            "editMessageCaption": self._edit_caption,
            "editMessageReplyMarkup": lambda p: self._edit(p, {}),
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback,
            "leaveChat": self._leave_chat,
            "setMyCommands": self._set_commands,
            "deleteMyCommands": self._delete_commands,
            "getMyCommands": lambda p: self.commands.get(self._commands_key(p), []),
            "setChatMenuButton": self._set_menu_button,
            "pinChatMessage": self._pin,
            "unpinChatMessage": self._unpin,
            "getChat": lambda p: tg.full_chat(self._chat(self._chat_id(p))),
            "getChatMember": self._get_member,
        }

    # ----- checks applied before any method --------------------------------------------------

    def _check_schema(self, method: str, params: JSON) -> None:
        problems = check_call(method, params)
        if problems:
            self.violations.extend(problems)
            raise ApiError(400, "Bad Request: " + "; ".join(problems))

    def _take_fault(self, method: str) -> None:
        queue = self._faults.get(method)
        if queue:
            fault = queue.popleft()
            raise ApiError(fault.status, fault.description, fault.parameters)

    def _check_reachable(self, params: JSON) -> None:
        if "chat_id" not in params:
            return
        fault = self._unreachable.get(self._chat_id(params))
        if fault:
            raise ApiError(fault.status, fault.description, fault.parameters)
        if "from_chat_id" in params:  # a copy from a chat that blocked the bot
            fault = self._unreachable.get(self._chat_id(params, "from_chat_id"))
            if fault and fault.status == 403:
                raise ApiError(fault.status, fault.description, fault.parameters)

    def _check_rate_limit(self, method: str, params: JSON) -> None:
        if not (self.enforce_rate_limits and _is_send(method)):
            return
        chat_id = self._chat_id(params)
        per_chat = GROUP_LIMIT if chat_id < 0 else PRIVATE_LIMIT
        windows = [self._window("all", GLOBAL_LIMIT), self._window(chat_id, per_chat)]
        now = self.clock()
        # A call that carries several messages counts each of them.
        carried = params.get("message_ids", params.get("media"))
        count = len(carried) if isinstance(carried, list) and carried else 1
        wait = max(window.retry_after(now, count) for window in windows)
        if wait:
            self.rate_limited += 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        for window in windows:
            window.add(now, count)

    def _window(self, key: object, limit: tuple[int, float]) -> _SlidingWindow:
        if key not in self._windows:
            self._windows[key] = _SlidingWindow(*limit)
        return self._windows[key]

    # ----- chats, users and stored messages --------------------------------------------------

    def _chat_id(self, params: Mapping[str, Any], key: str = "chat_id") -> int:
        value = params.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        for chat in self.chats.values():
            if isinstance(value, str) and value == f"@{chat.get('username')}":
                return int(chat["id"])
        raise ApiError(400, "Bad Request: chat not found")

    def _chat(self, chat_id: int) -> JSON:
        # Unknown chats are created on demand so service tests need no setup per chat.
        return dict(self.chats.setdefault(chat_id, tg.default_chat(chat_id)))

    def _store(self, chat_id: int, sender: JSON, content: JSON) -> JSON:
        message_id = next(self._message_ids[chat_id])
        message = {
            "message_id": message_id, "from": sender, "chat": self._chat(chat_id), "date": _now(),
        }  # fmt: skip
        message.update(content)
        self.messages[(chat_id, message_id)] = message
        self.file_ids.update(tg.file_ids_in(content))
        return message

    def _existing(self, chat_id: int, message_id: object, verb: str) -> JSON:
        message = self.messages.get((chat_id, int(str(message_id))))
        if message is None:
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        return message

    def _post(self, params: JSON, content: JSON) -> JSON:
        """Store a message from the bot, with reply and keyboard as Telegram echoes them."""
        chat_id = self._chat_id(params)
        content = content | _inline_markup(params) | self._reply_to(chat_id, params)
        message = self._store(chat_id, self.bot_user, content)
        self.sent[(chat_id, message["message_id"])] = message
        return message

    def _reply_to(self, chat_id: int, params: JSON) -> JSON:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict):
            return {}
        target = self.messages.get((chat_id, int(reply.get("message_id", 0))))
        if target is None and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        if target is None:
            return {}
        return {"reply_to_message": {k: v for k, v in target.items() if k != "reply_to_message"}}

    # ----- sending ------------------------------------------------------------------------------

    def _me(self) -> JSON:
        flags = ("can_join_groups", "can_read_all_group_messages", "supports_inline_queries")
        extra = {"can_connect_to_business": False, "has_main_web_app": False}
        return self.bot_user | {flag: flag != "supports_inline_queries" for flag in flags} | extra

    def _send_file(self, params: JSON, kind: str) -> JSON:
        upload = params.get(kind)
        filename = upload.filename if isinstance(upload, Upload) else "file.bin"
        file_id = self._known_file(upload)
        content = tg.media_content(kind, filename, file_id)
        return self._post(params, content | _formatted(params, "caption"))

    def _known_file(self, value: object) -> str | None:
        """A file sent by id must be one Telegram issued; an upload gets a new id."""
        if not isinstance(value, str) or value.startswith("attach://"):
            return None
        if value not in self.file_ids:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return value

    def _send_media_group(self, params: JSON) -> list[JSON]:
        media = params["media"]
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media specified (2-10 allowed)")
        group_id = str(next(self._update_ids))
        contents = [
            tg.media_content(str(item.get("type")), file_id=self._known_file(item.get("media")))
            | _formatted(item, "caption")
            for item in media
        ]
        return [self._post(params, c | {"media_group_id": group_id}) for c in contents]

    def _get_file(self, params: JSON) -> JSON:
        file_id = str(params["file_id"])
        if file_id not in self.file_ids:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        data = self.files.setdefault(file_id, f"content of {file_id}".encode())
        unique = file_id.replace("file", "uniq")
        return {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_size": len(data),
            "file_path": f"files/{file_id}.bin",
        }

    def revoke_file(self, file_id: str) -> None:
        """Telegram no longer accepts this file id."""
        with self._lock:
            self.file_ids.discard(file_id)

    def _copy_content(self, source: JSON, params: JSON) -> JSON:
        content = {k: source[k] for k in _CONTENT_KEYS if k in source}
        return content | _formatted(params, "caption")

    def _copy_message(self, params: JSON) -> JSON:
        source = self._existing(self._chat_id(params, "from_chat_id"), params["message_id"], "copy")
        return {"message_id": self._post(params, self._copy_content(source, params))["message_id"]}

    def _copy_messages(self, params: JSON) -> list[JSON]:
        # Telegram silently skips messages that cannot be found.
        from_chat = self._chat_id(params, "from_chat_id")
        sources = [self.messages.get((from_chat, int(i))) for i in params["message_ids"]]
        copies = [self._post(params, self._copy_content(s, {})) for s in sources if s]
        return [{"message_id": copy["message_id"]} for copy in copies]

    def _forward_message(self, params: JSON) -> JSON:
        from_chat = self._chat_id(params, "from_chat_id")
        source = self._existing(from_chat, params["message_id"], "forward")
        origin = {"type": "user", "sender_user": source["from"], "date": source["date"]}
        return self._post(params, self._copy_content(source, {}) | {"forward_origin": origin})

    # ----- editing and deleting ------------------------------------------------------------

    def _edit_text(self, params: JSON) -> JSON | bool:
        return self._edit(params, _formatted(params, "text"), replaces=("text", "entities"))

    def _edit_caption(self, params: JSON) -> JSON | bool:
        changes = _formatted(params, "caption")
        return self._edit(params, changes, replaces=("caption", "caption_entities"))

    def _edit(self, params: JSON, changes: JSON, replaces: tuple[str, ...] = ()) -> JSON | bool:
        """Apply an edit; like Telegram, an edit without reply_markup drops the keyboard."""
        if "inline_message_id" in params:
            return True
        key = (self._chat_id(params), int(params["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        old = self.sent.get(key)
        if old is None:
            raise ApiError(400, "Bad Request: message can't be edited")
        if "text" in replaces and "text" not in old:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        kept = {k: v for k, v in old.items() if k not in (*replaces, "reply_markup", "edit_date")}
        new = kept | changes | _inline_markup(params)
        if new == {k: v for k, v in old.items() if k != "edit_date"}:
            raise ApiError(400, _NOT_MODIFIED)
        self.sent[key] = self.messages[key] = new | {"edit_date": _now()}
        return self.sent[key]

    def _delete_message(self, params: JSON) -> bool:
        chat_id = self._chat_id(params)
        self._existing(chat_id, params["message_id"], "delete")
        self._forget((chat_id, int(params["message_id"])))
        return True

    def _delete_messages(self, params: JSON) -> bool:
        # Telegram skips ids that do not exist instead of failing.
        chat_id = self._chat_id(params)
        for message_id in params["message_ids"]:
            self._forget((chat_id, int(message_id)))
        return True

    def _forget(self, key: tuple[int, int]) -> None:
        if self.messages.pop(key, None) is not None:
            self.sent.pop(key, None)
            self.deleted.add(key)

    # ----- other methods -----------------------------------------------------------------------

    def _answer_callback(self, params: JSON) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self.open_queries:
            raise ApiError(400, _QUERY_INVALID)
        self.open_queries.discard(query_id)
        self.answered_queries[query_id] = params
        return True

    def _leave_chat(self, params: JSON) -> bool:
        chat_id = self._chat_id(params)
        self.members[(chat_id, self.bot_id)] = "left"
        description = f"Forbidden: bot is not a member of the {tg.chat_type(chat_id)} chat"
        self._unreachable[chat_id] = _Fault(403, description, None)
        return True

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = json.dumps(params.get("scope", {"type": "default"}), sort_keys=True)
        return scope, str(params.get("language_code", ""))

    def _set_commands(self, params: JSON) -> bool:
        commands = list(params["commands"])
        for command in commands:
            if not re.fullmatch(_COMMAND_NAME, str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description is invalid")
        self.commands[self._commands_key(params)] = commands
        return True

    def _delete_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _set_menu_button(self, params: JSON) -> bool:
        chat_id = self._chat_id(params) if "chat_id" in params else None
        self.menu_buttons[chat_id] = params.get("menu_button", {"type": "default"})
        return True

    def _pin(self, params: JSON) -> bool:
        chat_id = self._chat_id(params)
        self._existing(chat_id, params["message_id"], "pin")
        self.pinned[chat_id] = int(params["message_id"])
        return True

    def _unpin(self, params: JSON) -> bool:
        self.pinned.pop(self._chat_id(params), None)
        return True

    def _get_member(self, params: JSON) -> JSON:
        chat_id, user_id = self._chat_id(params), int(params["user_id"])
        user = self.bot_user if user_id == self.bot_id else self.users.get(user_id)
        user = user or _user(user_id, "Testi", "fi", None)
        return tg.member(self.members.get((chat_id, user_id), "member"), user)

    # ----- updates and webhooks ------------------------------------------------------------

    def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        if "allowed_updates" in params:
            self._allowed_updates = frozenset(params["allowed_updates"]) or None
        self._confirm(params.get("offset"))
        return self._updates[: int(params.get("limit") or 100)]

    def _confirm(self, offset: object) -> None:
        """Forget confirmed updates: ids below a positive offset, or all but the last -offset."""
        offset = int(str(offset or 0))
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._updates = [u for u in self._updates if self._is_allowed(u)]

    def _is_allowed(self, update: JSON) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates is None:
            return kind not in _OPT_IN_UPDATES
        return kind in self._allowed_updates

    def _has_updates(self, offset: object) -> bool:
        with self._lock:
            if self.webhook_url:
                return True  # getUpdates fails at once while a webhook is set
            start = int(str(offset or 0))
            return any(u["update_id"] >= start for u in self._updates if self._is_allowed(u))

    async def _long_poll(self, params: Mapping[str, Any]) -> None:
        self.polls_begun += 1
        self._poll_signal.notify()
        # Real time, not self.clock: this is how long the HTTP request stays open.
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        epoch = self._poll_epoch
        while epoch == self._poll_epoch:
            generation = self._update_signal.generation
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._has_updates(params.get("offset")):
                return
            await self._update_signal.wait(generation, remaining)

    def _set_webhook(self, params: JSON) -> bool:
        self.webhook_url = str(params["url"])
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _delete_webhook(self, params: JSON) -> bool:
        return self._set_webhook({**params, "url": ""})

    def _webhook_info(self, params: JSON) -> JSON:
        info = {"url": self.webhook_url, "has_custom_certificate": False}
        return info | {"pending_update_count": len(self._updates)}

    # ----- incoming updates ------------------------------------------------------------------

    def _enqueue(self, payload: JSON) -> JSON:
        with self._lock:
            update = {"update_id": next(self._update_ids), **payload}
            self._updates.append(update)
        self._update_signal.notify()
        return update

    def _sender(
        self, user_id: int, first_name: str, language_code: str, username: str | None
    ) -> JSON:
        self.users[user_id] = _user(user_id, first_name, language_code, username)
        private = {"id": user_id, "type": "private", "first_name": first_name}
        self.chats.setdefault(user_id, private | ({"username": username} if username else {}))
        return self.users[user_id]

    def _group(self, chat_id: int, title: str) -> None:
        self.chats.setdefault(
            chat_id, {"id": chat_id, "type": tg.chat_type(chat_id), "title": title}
        )

    def private_message(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str = "fi",
        first_name: str = "Testi",
        username: str | None = None,
    ) -> JSON:
        """A user writes to the bot in private; a leading /command gets its entity."""
        with self._lock:
            user = self._sender(user_id, first_name, language_code, username)
            message = self._store(user_id, user, _text_content(text))
        return self._enqueue({"message": message})

    def group_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        title: str = "Testiryhmä",
        language_code: str = "fi",
        first_name: str = "Testi",
        username: str | None = None,
        reply_to: JSON | None = None,
    ) -> JSON:
        """A member writes in a group (negative id) or supergroup (id below -10**12)."""
        with self._lock:
            user = self._sender(user_id, first_name, language_code, username)
            self._group(chat_id, title)
            reply = {"reply_to_message": reply_to} if reply_to else {}
            message = self._store(chat_id, user, _text_content(text) | reply)
        return self._enqueue({"message": message})

    def photo_message(
        self,
        user_id: int,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
        language_code: str = "fi",
        first_name: str = "Testi",
        media_group_id: str | None = None,
    ) -> JSON:
        """A user sends a photo, in private unless chat_id names a group; album parts
        share a media_group_id."""
        content = tg.media_content("photo") | ({"caption": caption} if caption else {})
        if media_group_id:
            content["media_group_id"] = media_group_id
        return self.content_message(
            user_id, content, chat_id=chat_id, language_code=language_code, first_name=first_name
        )

    def content_message(
        self,
        user_id: int,
        content: JSON,
        *,
        chat_id: int | None = None,
        language_code: str = "fi",
        first_name: str = "Testi",
    ) -> JSON:
        """A user sends a message with the given content fields (a poll, a sticker, …)."""
        with self._lock:
            user = self._sender(user_id, first_name, language_code, None)
            target = user_id if chat_id is None else chat_id
            if target < 0:
                self._group(target, "Testiryhmä")
            message = self._store(target, user, content)
        return self._enqueue({"message": message})

    def edited_message(self, message: JSON, text: str) -> JSON:
        """The author edits an incoming message the test built earlier."""
        with self._lock:
            key = (message["chat"]["id"], message["message_id"])
            current = self.messages.get(key, message)
            kept = {k: v for k, v in current.items() if k not in ("text", "entities")}
            edited = kept | _text_content(text) | {"edit_date": _now()}
            self.messages[key] = edited
        return self._enqueue({"edited_message": edited})

    def callback_query(
        self,
        user_id: int,
        message: JSON,
        data: str,
        *,
        first_name: str = "Testi",
        forged: bool = False,
    ) -> JSON:
        """A user presses a button; the message must be live and carry that callback_data,
        unless `forged` (a modified client sending data no button carries)."""
        with self._lock:
            key = (message["chat"]["id"], message["message_id"])
            current = self.sent.get(key)
            if current is None:
                raise ValueError(f"no live bot message {key} to press a button on")
            if not forged and data not in tg.callback_data_of(current.get("reply_markup")):
                raise ValueError(f"message {key} has no button with callback_data {data!r}")
            user = self.users.get(user_id) or self._sender(user_id, first_name, "fi", None)
            query_id = str(next(self._query_ids))
            self.open_queries.add(query_id)
            query = {"id": query_id, "from": user, "message": current, "data": data}
        return self._enqueue({"callback_query": query | {"chat_instance": f"ci{key[0]}"}})

    def my_chat_member(self, chat_id: int, user_id: int, old_status: str, new_status: str) -> JSON:
        """The bot's own membership changes; blocking/kicking also makes sends fail."""
        with self._lock:
            user = self.users.get(user_id) or self._sender(user_id, "Testi", "fi", None)
            self.members[(chat_id, self.bot_id)] = new_status
            if new_status not in ("kicked", "left"):
                self.restore(chat_id)
            elif chat_id > 0:
                self.block(chat_id)
            else:
                self.kick(chat_id)
            change = {
                "chat": self._chat(chat_id), "from": user, "date": _now(),
                "old_chat_member": tg.member(old_status, self.bot_user),
                "new_chat_member": tg.member(new_status, self.bot_user),
            }  # fmt: skip
        return self._enqueue({"my_chat_member": change})

    @property
    def pending_updates(self) -> list[JSON]:
        with self._lock:
            return list(self._updates)

    # ----- fault injection -------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: everything sent to the chat gets 403."""
        self._unreachable[chat_id] = _Fault(403, "Forbidden: bot was blocked by the user", None)

    def kick(self, chat_id: int) -> None:
        """The bot was removed from the group: everything sent there gets 403."""
        description = f"Forbidden: bot was kicked from the {tg.chat_type(chat_id)} chat"
        self._unreachable[chat_id] = _Fault(403, description, None)

    def restore(self, chat_id: int) -> None:
        """Undo block/kick/migrate/leaveChat for a chat."""
        self._unreachable.pop(chat_id, None)

    def migrate(self, chat_id: int, new_id: int) -> None:
        """The group became a supergroup; Telegram points callers to the new id."""
        description = "Bad Request: group chat was upgraded to a supergroup chat"
        fault = _Fault(400, description, {"migrate_to_chat_id": new_id})
        with self._lock:
            self._unreachable[chat_id] = fault
            title = self.chats.get(chat_id, tg.default_chat(chat_id)).get("title", "Testiryhmä")
            self.chats[new_id] = {"id": new_id, "type": "supergroup", "title": title}

    def migration(self, chat_id: int, new_id: int, user_id: int) -> tuple[JSON, JSON]:
        """The group becomes a supergroup: Telegram posts a service message in each chat,
        `migrate_to_chat_id` in the old one and `migrate_from_chat_id` in the new one."""
        self.migrate(chat_id, new_id)
        return (
            self.content_message(user_id, {"migrate_to_chat_id": new_id}, chat_id=chat_id),
            self.content_message(user_id, {"migrate_from_chat_id": chat_id}, chat_id=new_id),
        )

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        *,
        parameters: JSON | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with this error."""
        with self._lock:
            self._faults[method].extend(
                _Fault(status, description, parameters) for _ in range(times)
            )

    # ----- inspection --------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def sent_messages(self, chat_id: int) -> list[JSON]:
        """The bot's messages still in the chat, oldest first, as currently shown."""
        with self._lock:
            return [m for (chat, _), m in sorted(self.sent.items()) if chat == chat_id]

    def sent_texts(self, chat_id: int) -> list[str]:
        """Visible text (or caption) of the bot's live messages in a chat, oldest first."""
        return [str(m.get("text", m.get("caption", ""))) for m in self.sent_messages(chat_id)]

    async def wait_for_poll(self, after: int, timeout: float = 30) -> None:
        """Wait until more than `after` getUpdates requests have begun."""
        deadline = time.monotonic() + timeout
        while self.polls_begun <= after:
            generation = self._poll_signal.generation
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no getUpdates request within {timeout}s")
            await self._poll_signal.wait(generation, remaining)

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 10) -> Call:
        """Return the first recorded call, past or future, that matches the predicate."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            generation = self._call_signal.generation
            with self._lock:
                fresh = self.calls[seen:]
            seen += len(fresh)
            match = next((call for call in fresh if predicate(call)), None)
            if match is not None:
                return match
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                methods = [call.method for call in self.calls]
                raise TimeoutError(f"no matching Bot API call within {timeout}s; got {methods}")
            await self._call_signal.wait(generation, remaining)
