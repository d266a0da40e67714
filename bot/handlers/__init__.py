"""Thin PTB handlers, registered in one ordered place.

Every command handler takes only new messages: a command made by editing an old
message is ignored (edited messages reach no handler at all).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks as cb
from bot.context import BotContext, RyhmaApp
from bot.domain.commands import all_names
from bot.handlers import (
    broadcast,
    buddies,
    chat_moves,
    chats,
    coordinator,
    dialogs,
    leader,
    leaders_mail,
    leadership,
    library,
    meetings,
    messages,
    pages,
    plans,
    private,
    reminders,
)
from bot.handlers.common import resolve_actor
from bot.handlers.errors import on_error
from bot.render import general

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
        "groups": pages.opens("groups"),
        "summary": coordinator.summary,
        "links": leader.links,
        "meetings": pages.opens("meetings"),
        "checkin": meetings.checkin_now,
        "contact": pages.opens("contact"),
        "plan": plans.start,
        "tips": broadcast.tips,
        "library": library.curated,
        "scheduled": pages.opens("scheduled"),
        "buddy": buddies.buddy,
        "buddies": buddies.overview,
        "leaders": leaders_mail.leaders_command,
    }
    # Each command answers to its English name and to its names in Finnish and Swedish.
    return [
        CommandHandler(all_names(name), callback, filters=PRIVATE)
        for name, callback in commands.items()
    ]


def _leader_keys() -> list[BaseHandler[Any, Any, Any]]:
    """The leader's keyboard: its labels (in any language) run the same handlers as the
    commands. Before typed text, which would otherwise take a label as a post."""
    actions = {
        "tips": broadcast.tips,
        "meetings": pages.opens("meetings"),
        "checkin": meetings.checkin_now,
        "scheduled": pages.opens("scheduled"),
    }
    return [
        MessageHandler(PRIVATE & filters.Text(general.leader_key_labels(name)), callback)
        for name, callback in actions.items()
    ]


def _buttons() -> list[BaseHandler[Any, Any, Any]]:
    """One row per button family: its codec (the pattern) and the handler."""
    families: list[
        tuple[type[cb.Callback], Callable[[Update, BotContext], Coroutine[Any, Any, None]]]
    ] = [
        (cb.Page, pages.page_button),
        (cb.DraftAnswer, coordinator.pressed_answer),
        (cb.DraftConfirm, coordinator.confirm),
        (cb.DraftCancel, coordinator.cancel_button),
        (cb.NewLeaderLink, coordinator.new_leader_link),
        (cb.RevokeLeaderLinks, coordinator.revoke_leader_links),
        (cb.GroupLinks, leader.links_button),
        (cb.RenewParticipantLink, leader.renew_link_button),
        (cb.BroadcastPress, broadcast.pressed),
        (cb.BroadcastConfirm, broadcast.confirm),
        (cb.BroadcastDiscard, broadcast.cancel_draft),
        (cb.BroadcastCancel, broadcast.cancel_scheduled),
        (cb.BroadcastTakeBack, broadcast.take_back),
        (cb.BroadcastTakeBackSure, broadcast.take_back_sure),
        (cb.BroadcastKeep, broadcast.keep),
        (cb.BroadcastWaiting, broadcast.place_waiting),
        (cb.BroadcastShow, broadcast.show_scheduled),
        (cb.BroadcastSendAgain, broadcast.send_again),
        (cb.TipTopic, broadcast.tip_topic),
        (cb.TipView, broadcast.tip_view),
        (cb.TipSend, broadcast.tip_send),
        (cb.LibraryOffer, library.offer),
        (cb.LibraryOfferTopic, library.offer_topic),
        (cb.LibraryOfferAgree, library.offer_agree),
        (cb.LibraryDecide, library.decide),
        (cb.LibraryRetire, library.retire),
        (cb.LibraryView, library.view),
        (cb.LibrarySend, library.send_item),
        (cb.LibraryTitle, library.title_button),
        *((family, meetings.meeting_button) for family in meetings.MEETING_BUTTONS),
        (cb.MeetingMove, meetings.move_button),
        (cb.MeetingSetup, reminders.setup_button),
        (cb.MeetingAdd, reminders.add_button),
        (cb.ClosingSend, reminders.closing_button),
        (cb.ClosingWrite, reminders.closing_write_button),
        (cb.CheckinAnswer, meetings.answer),  # in group chats and private ones
        (cb.CheckinQuestion, meetings.question),
        (cb.CheckinFor, meetings.checkin_for_group),
        (cb.ContactHandled, meetings.handled),
        (cb.LeadersPick, leaders_mail.pick),
        (cb.LeadersAll, leaders_mail.pick_all),
        (cb.LeadersSend, leaders_mail.send_button),
        (cb.LeadersDiscard, leaders_mail.discard),
        (cb.AnswerCoordinator, leaders_mail.answer_button),
        (cb.LeaderList, leadership.leader_list),
        (cb.LeaderRemove, leadership.remove),
        (cb.LeaderKeep, leadership.keep),
        (cb.PlanChoice, plans.button),
        (cb.DropDialog, dialogs.drop),
        (cb.ContactLogged, meetings.contact_logged),
        (cb.ContactGroup, meetings.contact_group),
        (cb.ContactUndo, meetings.contact_undo),
        (cb.Consent, private.consent),
        (cb.Decline, private.decline),
        (cb.ChooseLanguage, private.choose_language),
        (cb.StopAnswer, private.stop_answer),
        (cb.ForgetAnswer, private.forget_answer),
        (cb.ChatMove, chat_moves.pressed),  # in group chats
        (cb.BuddyJoin, buddies.join),
        (cb.BuddyLeave, buddies.leave),
        (cb.BuddyAnswer, buddies.answer),
        (cb.BuddyNudge, buddies.nudge),
        (cb.BuddySplit, buddies.split),
        (cb.BuddyThree, buddies.make_three),
        (cb.ToLeaders, messages.to_leaders),
        (cb.NotToLeaders, messages.not_to_leaders),
        (cb.AnswerParticipant, messages.answer_button),
        (cb.SummaryWeek, coordinator.summary_week_button),
    ]
    handlers: list[BaseHandler[Any, Any, Any]] = [
        CallbackQueryHandler(callback, pattern=family.pattern()) for family, callback in families
    ]
    # Anything else is forged, malformed or from an old version: say so, change nothing.
    handlers.append(CallbackQueryHandler(private.unknown_button))
    return handlers


def _group_chats() -> list[BaseHandler[Any, Any, Any]]:
    return [
        ChatMemberHandler(chats.membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, chats.chat_migrated),
        CommandHandler("start", chats.start_in_group, filters=GROUPS),
        CommandHandler(
            [*all_names("help"), *all_names("privacy")], chats.group_command, filters=GROUPS
        ),
        MessageHandler(GROUPS & ~filters.StatusUpdate.ALL, chats.unbound_chat_message),
    ]


def register(app: RyhmaApp) -> None:
    # Group -1 runs first, like middleware: the acting person is read once per update.
    app.add_handler(TypeHandler(Update, resolve_actor), group=-1)
    app.add_handlers(_private_commands())
    app.add_handlers(_leader_keys())
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, dialogs.typed))
    # Anything else a person sends in private: the open guided chat's if it takes any
    # message; else a leader's post to their groups, or a participant's message, offered to
    # their leaders.
    app.add_handler(
        MessageHandler(PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL, dialogs.message)
    )
    # A private command none of the above knows: answered, not ignored.
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, private.unknown_command))
    app.add_handlers(_buttons())
    app.add_handlers(_group_chats())
    app.add_error_handler(on_error)
