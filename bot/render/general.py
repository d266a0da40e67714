"""Texts for everyone: welcome, help, privacy, language, command menus, erasure, kind errors."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import BotCommand, InlineKeyboardButton, ReplyKeyboardMarkup

from bot import callbacks as cb
from bot.domain.commands import name_in
from bot.domain.dialogs import DialogKind
from bot.domain.languages import LANGUAGES
from bot.i18n import N_, Translator, translator
from bot.render.common import LANGUAGE_NAMES, Reply
from bot.services.privacy import Erasure

# --- general ----------------------------------------------------------------------------


def welcome(tr: Translator, role: str) -> Reply:
    text = tr._(
        "Hello! I am Ryhmäkaveri, the group buddy of Arkeen Voimaa groups."
        " I help your group keep in touch when you cannot meet."
    )
    return Reply(text + "\n\n" + help_text(tr, role))


def help_text(tr: Translator, role: str) -> str:
    lines = {
        "coordinator": [
            tr._("/newgroup – create a new group"),
            tr._("/groups – your groups, and links for leaders"),
            tr._("/summary – contact figures for this week; /summary 48 for week 48"),
            tr._("/summary – contact figures for this week, or /summary 2026-W48"),
            tr._("/leaders – a message to your groups' leaders"),
            tr._("/library – leaders' own posts in the library, and retiring one"),
        ],
        "leader": [
            tr._("Send me any message, photo or video, and I will pass it on to your groups."),
            tr._("/tips – ready tips by weekly topic, and other leaders' posts"),
            tr._("/scheduled – messages waiting for their time"),
            tr._("/meetings – your groups' coming meetings, and cancelling one"),
            tr._("/checkin – a check-in to your group now"),
            tr._("/contact – log a phone call or a visit"),
            tr._("/groups – your groups"),
            tr._("/links – links to add me to the group chat and for participants"),
            tr._("/buddies – phone buddies of your groups"),
        ],
        "participant": [
            tr._("Write to me, and I can pass your message on to your group's leaders."),
            tr._("/plan – make an action plan for this week"),
            tr._("/buddy – a phone buddy from your group"),
            tr._("/stop – stop the private messages"),
            tr._("/forget – erase everything I know about you"),
        ],
        "guest": [
            tr._(
                "If your group leader gave you a link, open it and I will take you to your group."
            ),
        ],
    }[role]
    common = [tr._("/privacy – how I handle your information"), tr._("/language – change language")]
    return "\n".join([*lines, *common])


def group_chat_help(tr: Translator) -> str:
    return tr._(
        "I am the group buddy of this Arkeen Voimaa group. I pass on your leaders' messages."
        " /privacy tells how I handle your information."
    )


@dataclass(frozen=True)
class Controller:
    """Who answers for the data (the notice names them): from the settings."""

    municipality: str
    contact: str
    retention_days: int


def privacy_notice(tr: Translator, controller: Controller) -> str:
    return (
        tr._(
            "<b>How I handle your information</b>\n\n"
            "• I keep the ID Telegram gave your account (it is not your phone number),"
            " your language and which group you are in, so that I can send you messages."
            " I do not keep your name, your phone number or what you write.\n"
            "• I keep your answers to my questions and, if you make an action plan, how sure"
            " you were. They are kept without your name. Your leaders see only counts, such as how"
            " many answered,"
            " unless you ask them to contact you.\n"
            "• You can stop with /stop, and erase everything with /forget, whenever you like.\n"
            "• Your information is deleted {days} days after your group's last meeting."
            " Only counts without names remain.\n\n"
            "{municipality} is responsible for your information. Questions: {contact}",
            days=controller.retention_days,
            municipality=escape(controller.municipality),
            contact=escape(controller.contact),
        )
        + "\n\n"
        + tr._(
            "Leaders: if you offer a post to the library, I keep what is needed to send it again,"
            " and your first name if you choose so. It is the one kind of message content I keep."
            " /forget withdraws it."
        )
    )


def language_menu(tr: Translator) -> Reply:
    buttons = [
        [InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=cb.ChooseLanguage(code).pack())]
        for code in LANGUAGES
    ]
    return Reply(tr._("Choose your language:"), buttons)


def language_set(tr: Translator, remembered: bool) -> str:
    if remembered:
        return tr._("Done! I will speak to you in English from now on.")
    return tr._("Done! I will speak English with you here.")


def not_understood(tr: Translator) -> str:
    return tr._("Sorry, I did not understand. /help shows what I can do.")


def stale_button(tr: Translator) -> str:
    return tr._("This button no longer works. Please start again.")


def not_allowed(tr: Translator) -> str:
    return tr._("Sorry, this is not available to you.")


def something_went_wrong(tr: Translator) -> str:
    return tr._("Sorry, something went wrong on my side. Please try again in a moment.")


# --- command menus --------------------------------------------------------------------------


def commands(tr: Translator, role: str) -> list[BotCommand]:
    menu = {
        "coordinator": [
            ("newgroup", tr._("Create a new group")),
            ("groups", tr._("Your groups and leader links")),
            ("summary", tr._("This week's contact figures")),
            ("leaders", tr._("A message to your leaders")),
            ("library", tr._("Library: approved posts")),
        ],
        "leader": [
            ("tips", tr._("Ready tips to send")),
            ("scheduled", tr._("Scheduled messages")),
            ("meetings", tr._("Coming meetings")),
            ("checkin", tr._("A check-in now")),
            ("contact", tr._("Log a phone call or a visit")),
            ("groups", tr._("Your groups")),
            ("links", tr._("Links for the group chat and participants")),
            ("buddies", tr._("Phone buddies of your groups")),
        ],
        "participant": [
            ("plan", tr._("Make an action plan")),
            ("buddy", tr._("A phone buddy from your group")),
            ("stop", tr._("Stop private messages")),
            ("forget", tr._("Erase what I know about you")),
        ],
        "guest": [],
    }[role]
    common = [
        ("help", tr._("What I can do")),
        ("privacy", tr._("How I handle your information")),
        ("language", tr._("Change language")),
    ]
    return _localized(tr, [*menu, *common])


def group_chat_commands(tr: Translator) -> list[BotCommand]:
    return _localized(
        tr,
        [
            ("help", tr._("What I do in this group")),
            ("privacy", tr._("How I handle your information")),
        ],
    )


def _localized(tr: Translator, menu: list[tuple[str, str]]) -> list[BotCommand]:
    """The menu shows each command by its name in the reader's language (/vinkit, /tips)."""
    return [BotCommand(name_in(name, tr.language), description) for name, description in menu]


# --- the leader's keyboard ------------------------------------------------------------------

# A leader's four everyday actions, always at hand under the typing field. Each label runs
# the command of the same name, in whichever of the three languages it was shown.
LEADER_KEYS: tuple[tuple[str, str], ...] = (
    ("tips", N_("💡 Tips")),
    ("meetings", N_("📅 Meetings")),
    ("checkin", N_("💬 Check-in")),
    ("scheduled", N_("🕒 Scheduled")),
)


def leader_keyboard(tr: Translator) -> ReplyKeyboardMarkup:
    labels = [tr._(label) for _, label in LEADER_KEYS]
    return ReplyKeyboardMarkup(
        [labels[:2], labels[2:]],
        resize_keyboard=True,
        is_persistent=True,
        input_field_placeholder=tr._("Write a post to your group"),
    )


def leader_key_labels(command: str) -> list[str]:
    """The labels of a command's key in every language (a keyboard sent before a change of
    language keeps working)."""
    (label,) = [label for name, label in LEADER_KEYS if name == command]
    return sorted({translator(language)._(label) for language in LANGUAGES})


# --- erasure -----------------------------------------------------------------------------


def forget_confirm(tr: Translator, known: bool) -> Reply:
    if not known:
        return Reply(tr._("I have nothing saved about you."))
    rows = [
        [InlineKeyboardButton(tr._("Yes, erase me"), callback_data=cb.ForgetAnswer("yes").pack())],
        [InlineKeyboardButton(tr._("No, keep them"), callback_data=cb.ForgetAnswer("no").pack())],
    ]
    text = tr._(
        "Shall I erase everything I know about you? You will no longer get messages from your"
        " groups here, and your answers and action plans are deleted. Only anonymous counts remain."
    )
    return Reply(text, rows)


def forgotten(tr: Translator, erasure: Erasure) -> str:
    if erasure is Erasure.NOTHING:
        return tr._("I have nothing saved about you.")
    if erasure is Erasure.PENDING:
        return tr._(
            "I deleted everything I knew about you, but the last traces could not be wiped"
            " from the database yet because it is busy. I will keep trying, and it is usually"
            " done within a few minutes. Nothing about you is used in the meantime."
        )
    return tr._(
        "Done. I erased everything I knew about you. What remains are anonymous counts, such as"
        " how many answered a check-in, which no longer lead to you. Take care!"
    )


def dialog_name(tr: Translator, kind: DialogKind) -> str:
    names = {
        DialogKind.NEW_GROUP: tr._("creating a new group"),
        DialogKind.BROADCAST: tr._("a post that waits for your choices"),
        DialogKind.MOVE_SESSION: tr._("moving a meeting"),
        DialogKind.PLAN: tr._("an action plan"),
        DialogKind.ANSWER_PARTICIPANT: tr._("an answer to a participant"),
        DialogKind.MEETING_PLACE: tr._("the meeting place"),
        DialogKind.REMINDER_TIME: tr._("the reminder time"),
        DialogKind.ADD_SESSION: tr._("adding a meeting"),
        DialogKind.LEADERS_POST: tr._("a message to leaders that waits for your choices"),
        DialogKind.ANSWER_COORDINATOR: tr._("an answer to the coordinator"),
        DialogKind.LIBRARY_TITLE: tr._("a title for your post in the library"),
        DialogKind.CLOSING_OWN: tr._("your own closing message for the group"),
    }
    return names[kind]


def busy(tr: Translator, kind: DialogKind) -> Reply:
    text = tr._(
        "You are still in the middle of this: {name}. Finish it first, or drop it and start again.",
        name=dialog_name(tr, kind),
    )
    drop = InlineKeyboardButton(tr._("Drop it"), callback_data=cb.DropDialog(kind).pack())
    return Reply(text, [[drop]])


def dropped(tr: Translator) -> str:
    return tr._("All right, I dropped it. You can start again now.")


def stopped_that(tr: Translator) -> str:
    return tr._("All right, I stopped that. Nothing was sent or saved.")
