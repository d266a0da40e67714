"""Thin PTB handlers, registered in one ordered place.

Every command handler takes only new messages: a command made by editing an old
message is ignored (edited messages reach no handler at all).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import RyhmaApp
from bot.handlers import broadcast, chats, coordinator, leader, meetings, plans, private
from bot.handlers.errors import on_error

NEW = filters.UpdateType.MESSAGE
PRIVATE = NEW & filters.ChatType.PRIVATE
GROUPS = NEW & filters.ChatType.GROUPS


def _private_commands() -> list[BaseHandler[Any, Any, Any]]:
    commands = {
        "start": private.start,
        "help": private.help_command,
        "privacy": private.privacy,
        "language": private.language,
        "stop": private.stop,
        "forget": private.forget,
        "newgroup": coordinator.new_group,
        "cancel": private.cancel,
        "groups": coordinator.groups,
        "summary": coordinator.summary,
        "links": leader.links,
        "meetings": meetings.meetings,
        "checkin": meetings.checkin_now,
        "contact": meetings.contact,
        "plan": plans.start,
        "tips": broadcast.tips,
        "scheduled": broadcast.scheduled,
    }
    return [CommandHandler(name, callback, filters=PRIVATE) for name, callback in commands.items()]


def _buttons() -> list[BaseHandler[Any, Any, Any]]:
    patterns = {
        r"^ng:": coordinator.pressed_answer,
        r"^ngok:": coordinator.confirm,
        r"^ngx:": coordinator.cancel_button,
        r"^g[lr]:": coordinator.leader_link,
        r"^l[nr]:": leader.links_button,
        r"^bc:": broadcast.pressed,
        r"^bcok:": broadcast.confirm,
        r"^bcx:": broadcast.cancel_draft,
        r"^bcc:": broadcast.cancel_scheduled,
        r"^bctb:": broadcast.take_back,
        r"^t[pvs]:": broadcast.tip_button,
        r"^m[crmu]:": meetings.meeting_button,
        r"^mv:": meetings.move_button,
        r"^ci:": meetings.answer,  # check-in answers, in group chats and private ones
        r"^ck:": meetings.checkin_for_group,
        r"^ch:": meetings.handled,
        r"^pl:": plans.button,
        r"^lc:": meetings.contact_logged,
        r"^cs:": private.consent,
        r"^cn$": private.decline,
        r"^lang:": private.choose_language,
        r"^stop:(yes|no)$": private.stop_answer,
        r"^fg:(yes|no)$": private.forget_answer,
    }
    handlers: list[BaseHandler[Any, Any, Any]] = [
        CallbackQueryHandler(callback, pattern=pattern) for pattern, callback in patterns.items()
    ]
    # Anything else is forged or from an old version: say so, change nothing.
    handlers.append(CallbackQueryHandler(private.unknown_button))
    return handlers


def _group_chats() -> list[BaseHandler[Any, Any, Any]]:
    return [
        ChatMemberHandler(chats.membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, chats.chat_migrated),
        CommandHandler("start", chats.start_in_group, filters=GROUPS),
        CommandHandler(["help", "privacy"], chats.group_command, filters=GROUPS),
        MessageHandler(GROUPS & ~filters.StatusUpdate.ALL, chats.unbound_chat_message),
    ]


def register(app: RyhmaApp) -> None:
    app.add_handlers(_private_commands())
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, private.text))
    # Anything else a person sends in private: a leader's post to their groups.
    app.add_handler(
        MessageHandler(PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL, broadcast.post)
    )
    app.add_handlers(_buttons())
    app.add_handlers(_group_chats())
    app.add_error_handler(on_error)
