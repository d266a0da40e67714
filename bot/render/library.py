"""Texts and keyboards of the co-created library: offering, curating, using."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.library import MAX_TITLE, Decision, Item, ItemState, PartKind, RejectReason
from bot.i18n import N_, Translator
from bot.render.broadcasts import TOPIC_NAMES, tip_menu
from bot.render.common import LANGUAGE_NAMES, Entry, Reply, paged, picker
from bot.services.library import Tip

REASONS = {
    RejectReason.NOT_FOR_GROUPS: N_("Good for your own group, but less so for others"),
    RejectReason.SIMILAR: N_("The library already has something very like it"),
    RejectReason.HARD_TO_FOLLOW: N_("The picture or sound is hard to follow"),
    RejectReason.PEOPLE_SHOWN: N_("It shows people who may not have agreed to it"),
}
# Buttons are plain text, shown at a glance: a sign for what the item is.
_SIGNS = {
    PartKind.TEXT: "📝",
    PartKind.PHOTO: "🖼",
    PartKind.VIDEO: "🎬",
    PartKind.DOCUMENT: "📄",
    PartKind.ANIMATION: "🎞",
    PartKind.AUDIO: "🎵",
    PartKind.VOICE: "🎙",
}


def topic_name(tr: Translator, topic: str) -> str:
    return tr._(TOPIC_NAMES[topic]) if topic in TOPIC_NAMES else topic


# --- offering -------------------------------------------------------------------------------


def offer_topics(tr: Translator, broadcast_id: int, suggested: str | None) -> Reply:
    topics = sorted(TOPIC_NAMES, key=lambda t: t != suggested)
    buttons = [
        [
            InlineKeyboardButton(
                ("⭐ " if t == suggested else "") + topic_name(tr, t),
                callback_data=cb.LibraryOfferTopic(broadcast_id, t).pack(),
            )
        ]
        for t in topics
    ]
    text = tr._(
        "Thank you for sharing! Other leaders could use this post too.\n\n"
        "Which weekly topic does it fit? This week's topic has a star."
    )
    return Reply(text, buttons)


def offer_agree(tr: Translator, broadcast_id: int, topic: str, first_name: str) -> Reply:
    text = tr._(
        "Topic: {topic}. Language: {language}.\n\n"
        "If a coordinator approves it, leaders of other groups in your area may send this "
        "post to their groups. The bot keeps what is needed to send it again. "
        "If you later use /forget, it is withdrawn.\n\n"
        "Do you agree? Should your first name be shown with it?",
        topic=escape(topic_name(tr, topic)),
        language=LANGUAGE_NAMES.get(tr.language, tr.language),
    )
    named = tr._("Yes, show my name ({name})", name=first_name)
    buttons = [
        [
            InlineKeyboardButton(
                named, callback_data=cb.LibraryOfferAgree(broadcast_id, topic, "1").pack()
            )
        ],
        [
            InlineKeyboardButton(
                tr._("Yes, without my name"),
                callback_data=cb.LibraryOfferAgree(broadcast_id, topic, "0").pack(),
            )
        ],
    ]
    return Reply(text, buttons)


def offered(tr: Translator) -> str:
    return tr._("Thank you! A coordinator will look at it. I will tell you what they decide.")


def offered_thanks(tr: Translator, item_id: int) -> Reply:
    title = InlineKeyboardButton(tr._("Add a title"), callback_data=cb.LibraryTitle(item_id).pack())
    return Reply(offered(tr), [[title]])


def ask_title(tr: Translator) -> str:
    return tr._(
        "Type a short title for it, so that other leaders find it easily. /cancel skips this."
    )


def title_set(tr: Translator, title: str) -> str:
    return tr._("Thank you! Its title is: {title}", title=escape(title))


def title_too_long(tr: Translator) -> str:
    return tr._("Please type a title of at most {limit} characters, or /cancel.", limit=MAX_TITLE)


def offered_already(tr: Translator) -> str:
    return tr._("You have already offered this post. Thank you!")


def cannot_keep(tr: Translator) -> str:
    return tr._(
        "This kind of post cannot go to the library, for example a poll or a location. "
        "A text, a photo, a video or a file can."
    )


def send_again_first(tr: Translator) -> str:
    return tr._("I no longer have this post at hand. Please send it to me again, then offer it.")


def with_keep_choice(tr: Translator, reply: Reply) -> Reply:
    """/forget for a leader whose posts are in the library: withdrawn, or kept nameless."""
    keep = InlineKeyboardButton(
        tr._("Yes, but keep my library posts without my name"),
        callback_data=cb.ForgetAnswer("keep").pack(),
    )
    text = tr._(
        "{question}\n\nYour posts in the library are withdrawn too, unless you want to "
        "leave them there for other groups without your name.",
        question=reply.text,
    )
    return Reply(text, [reply.buttons[0], [keep], *reply.buttons[1:]])


# --- curating -------------------------------------------------------------------------------


def curate(tr: Translator, item: Item, all_areas: bool = False) -> Reply:
    """For a coordinator, under the copied post."""
    name = escape(item.author_name) if item.author_name else tr._("no name")
    text = tr._(
        "A leader offers the post above to the library.\n"
        "Topic: {topic}\nLanguage: {language}\nShown with: {name}",
        topic=escape(topic_name(tr, item.topic)),
        language=LANGUAGE_NAMES.get(item.language, item.language),
        name=name,
    )
    buttons = [
        [_decide(tr._("Approve"), item.id, Decision.APPROVE)],
        *(
            [[_decide(tr._("Approve for every area"), item.id, Decision.APPROVE_EVERYWHERE)]]
            if all_areas
            else []
        ),
        [_decide(tr._("Ask the leader to change it"), item.id, Decision.CHANGE)],
        *(
            [_decide(tr._("No: {reason}", reason=tr._(label)), item.id, Decision.REJECT, reason)]
            for reason, label in REASONS.items()
        ),
    ]
    return Reply(text, buttons)


def _decide(
    label: str, item_id: int, decision: Decision, reason: RejectReason | None = None
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        label, callback_data=cb.LibraryDecide(item_id, decision, reason).pack()
    )


def decided(tr: Translator, item: Item, won: bool) -> str:
    """What the coordinator sees after deciding (or after someone else decided first)."""
    state = {
        ItemState.APPROVED: tr._("Approved: leaders of the area can now send it."),
        ItemState.REJECTED: tr._("Not taken into the library. The leader was told kindly."),
        ItemState.CHANGES: tr._("The leader was asked to change it."),
        ItemState.RETIRED: tr._("Retired: it will not be sent again."),
        ItemState.OFFERED: tr._("Waiting for a decision."),
    }[item.state]
    if won:
        return state
    return tr._("Someone else already decided this one. {state}", state=state)


def to_author(tr: Translator, item: Item) -> str:
    if item.state is ItemState.APPROVED:
        return tr._(
            "Good news: your post is now in the library ({topic}). Other leaders can send it "
            "to their groups. Thank you!",
            topic=escape(topic_name(tr, item.topic)),
        )
    if item.state is ItemState.CHANGES:
        return tr._(
            "A coordinator would like a small change to the post you offered to the library. "
            "You can send a new version and offer it again."
        )
    label = REASONS.get(RejectReason(item.reason)) if item.reason in set(RejectReason) else None
    return tr._(
        "Thank you for offering your post to the library. This time it was not taken in. "
        "The reason: {reason}. Your own group got it all the same.",
        reason=escape(tr._(label) if label else tr._("the coordinator chose so")),
    )


def retired_notice(tr: Translator, item: Item) -> str:
    return tr._(
        "A library item could no longer be sent: Telegram no longer accepts its file. "
        "It was retired and will not be sent again: “{label}” ({topic}).",
        label=escape(item.label),
        topic=escape(topic_name(tr, item.topic)),
    )


def curated_list(tr: Translator, items: list[Item], page: int) -> Reply:
    """A page of a coordinator's /library: approved items, how far each went, a retire button."""
    if not items:
        return Reply(tr._("The library has no approved items in your area yet."))
    entries = []
    for number, item in enumerate(items, 1):
        reached = tr.ngettext("sent to {n} group", "sent to {n} groups", item.groups_reached)
        line = (
            f"{number}. {_sign(item)} {escape(item.label)} ({escape(topic_name(tr, item.topic))},"
            f" {reached})"
        )
        label = tr._("Retire {number}", number=number)
        retire = InlineKeyboardButton(label, callback_data=cb.LibraryRetire(item.id).pack())
        entries.append(Entry(line, [[retire]]))
    header = tr._("Approved library items, newest first:")
    return paged(tr, "library", header, entries, page, separator="\n")


# --- using ----------------------------------------------------------------------------------


def _sign(item: Item) -> str:
    return _SIGNS[item.parts[0].kind] if item.parts else ""


def item_buttons(items: list[Item]) -> list[list[InlineKeyboardButton]]:
    """Library items beside the written tips of a topic."""
    return [
        [
            InlineKeyboardButton(
                f"{_sign(item)} {item.label}", callback_data=cb.LibraryView(item.id).pack()
            )
        ]
        for item in items
    ]


def topic_list(tr: Translator, topic: str, tips: list[Tip], items: list[Item], page: int) -> Reply:
    """A page of a topic in /tips: leaders' own items first (newest, most used), then the
    written tips."""
    menu = tip_menu(tr, tips)
    rows = [*item_buttons(items), *menu.buttons]
    return picker(tr, "tips", menu.text, rows, page, key=topic)


def item_offer(tr: Translator, item: Item) -> Reply:
    """Under the item itself, shown to a leader."""
    if item.author_name:
        who = tr._("From the library. Made by a leader, {name}.", name=escape(item.author_name))
    else:
        who = tr._("From the library. Made by a leader.")
    send = InlineKeyboardButton(
        tr._("Send this to my groups"), callback_data=cb.LibrarySend(item.id).pack()
    )
    return Reply(who, [[send]])


def no_longer(tr: Translator) -> str:
    return tr._("This item is no longer in the library.")
