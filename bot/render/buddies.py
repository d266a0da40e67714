"""Texts and buttons of phone buddies. Kind and plain: participants may be elderly or unwell.
Buddies are shown only as links that open a chat (tg://user?id=…): no names, no numbers."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.buddies import Answer, BuddyStatus, GroupBuddies, Pair, Standing
from bot.domain.models import Group
from bot.i18n import Translator
from bot.render.common import Reply


def _links(tr: Translator, others: tuple[int, ...]) -> str:
    if len(others) == 1:
        labels = [tr._("your buddy")]
    else:
        labels = [tr._("buddy {number}", number=n) for n in range(1, len(others) + 1)]
    return ", ".join(
        f'<a href="tg://user?id={user}">{label}</a>'
        for user, label in zip(others, labels, strict=True)
    )


def _button(label: str, data: cb.Callback) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=data.pack())]


def _paired_buttons(
    tr: Translator, pair_id: int, group_id: int
) -> list[list[InlineKeyboardButton]]:
    return [
        _button(tr._("Ask my buddy to write to me"), cb.BuddyNudge(pair_id)),
        _button(tr._("Leave phone buddies"), cb.BuddyLeave(group_id, "ask")),
    ]


# --- a participant's /buddy ---------------------------------------------------------------


def no_group(tr: Translator) -> str:
    return tr._(
        "Phone buddies are for people in a group. Join your group first with the link"
        " your leader gave you."
    )


def status(tr: Translator, found: BuddyStatus) -> Reply:
    name = escape(found.group.name)
    if found.standing is Standing.PAIRED and found.pair_id is not None:
        text = tr._(
            "<b>Phone buddy</b> ({name})\nYour buddy: {links}\nTap the link to open a chat."
            " You can write, or call from the chat.",
            name=name,
            links=_links(tr, found.others),
        )
        return Reply(text, _paired_buttons(tr, found.pair_id, found.group.id))
    if found.standing is Standing.WAITING:
        text = tr._(
            "<b>Phone buddy</b> ({name})\nYou are waiting for a buddy. I will tell you"
            " as soon as I find one.",
            name=name,
        )
        return Reply(text, [_button(tr._("Stop waiting"), cb.BuddyLeave(found.group.id, "ask"))])
    text = tr._(
        "<b>Phone buddy</b> ({name})\nWould you like a phone buddy from your group? I will"
        " pair you with another person from the group, and you can call or write to each"
        " other. Once a week I will ask whether you talked. You can stop at any time.\n"
        "Your buddy gets a link that opens a chat with you. I never share your phone number.",
        name=name,
    )
    return Reply(text, [_button(tr._("Yes, I would like a buddy"), cb.BuddyJoin(found.group.id))])


def joined(tr: Translator, standing: Standing) -> str:
    if standing is Standing.PAIRED:
        return tr._("Good! You have a buddy now. I will send you a message with a link.")
    return tr._(
        "Thank you! I will find you a buddy as soon as another person from the group"
        " wants one. Your group's leader knows you are waiting."
    )


def leave_confirm(tr: Translator, group_id: int) -> Reply:
    text = tr._(
        "Do you want to leave phone buddies? If you have a buddy, I will tell them kindly"
        " and offer them a new buddy."
    )
    return Reply(
        text,
        [
            _button(tr._("Yes, leave"), cb.BuddyLeave(group_id, "yes")),
            _button(tr._("No, stay"), cb.BuddyLeave(group_id, "no")),
        ],
    )


def left(tr: Translator) -> str:
    return tr._(
        "You have left phone buddies. Thank you for taking part! You can join again"
        " with /buddy whenever you like."
    )


def declined(tr: Translator) -> str:
    return tr._("All right. You can ask for a buddy with /buddy whenever you like.")


def answered(tr: Translator, answer: Answer) -> str:
    match answer:
        case Answer.YES:
            return tr._("Lovely! Thank you for telling me.")
        case Answer.NOT_THIS_WEEK:
            return tr._("That is all right. Maybe next week.")
        case Answer.STOP:
            return left(tr)


def nudged(tr: Translator, sent: bool) -> str:
    if sent:
        return tr._("I have asked your buddy to write to you.")
    return tr._("I already asked today. Let us give your buddy a little time.")


# --- messages the bot sends (written at send time) ---------------------------------------


def introduction(tr: Translator, group: Group, pair: Pair, reader: int) -> Reply:
    text = tr._(
        "<b>You have a phone buddy!</b>\nYour buddy is from your group {name}."
        " Tap here to open a chat: {links}\nYou can write, or call from the chat."
        " Once a week I will ask whether you talked.\n\nIf the link does not open,"
        " your buddy's Telegram settings may not allow it. That is all right: press the"
        " button below and I will ask your buddy to write to you.",
        name=escape(group.name),
        links=_links(tr, pair.others(reader)),
    )
    return Reply(text, _paired_buttons(tr, pair.id, group.id))


def weekly_question(tr: Translator, pair: Pair, reader: int) -> Reply:
    text = tr._(
        "Did you talk with your phone buddy this week? ({links})",
        links=_links(tr, pair.others(reader)),
    )
    return Reply(
        text,
        [
            _button(tr._("Yes, we talked"), cb.BuddyAnswer(pair.id, Answer.YES)),
            _button(tr._("Not this week"), cb.BuddyAnswer(pair.id, Answer.NOT_THIS_WEEK)),
            _button(tr._("Stop phone buddies"), cb.BuddyAnswer(pair.id, Answer.STOP)),
        ],
    )


def nudge(tr: Translator, pair: Pair, reader: int) -> Reply:
    text = tr._(
        "Your phone buddy would like to hear from you. Tap here to write: {links}",
        links=_links(tr, pair.others(reader)),
    )
    return Reply(text)


def buddy_left(tr: Translator, group: Group) -> Reply:
    text = tr._(
        "Your phone buddy has left the buddy calls. That happens, and it is nobody's"
        " fault. Would you like a new buddy from your group {name}?",
        name=escape(group.name),
    )
    return Reply(
        text,
        [
            _button(tr._("Yes, a new buddy"), cb.BuddyJoin(group.id)),
            _button(tr._("No, thank you"), cb.BuddyLeave(group.id, "decline")),
        ],
    )


def waiting_alone(tr: Translator, found: GroupBuddies) -> Reply:
    text = tr._(
        "<b>{name}</b>: one person is waiting for a phone buddy. I will pair them with the"
        " next person who wants a buddy. You can also add them to a pair, so that three"
        " talk together. /buddies shows the pairs.",
        name=escape(found.group.name),
    )
    rows = []
    if found.can_make_three:
        rows.append(_button(tr._("Make a group of three"), cb.BuddyThree(found.group.id)))
    return Reply(text, rows)


# --- a leader's /buddies -------------------------------------------------------------------


def no_buddies(tr: Translator) -> str:
    return tr._("No phone buddies yet.")


def overview(tr: Translator, found: GroupBuddies) -> Reply:
    """One group's pairs (a leader has a message per group: each stays short)."""
    lines = [
        tr._(
            "<b>{name}</b>: pairs {pairs}, waiting {waiting}",
            name=escape(found.group.name),
            pairs=len(found.pairs),
            waiting=len(found.waiting),
        )
    ]
    rows: list[list[InlineKeyboardButton]] = []
    person = 0
    for number, pair in enumerate(found.pairs, start=1):
        links = []
        for user in pair.members:
            person += 1
            label = tr._("participant {number}", number=person)
            links.append(f'<a href="tg://user?id={user}">{label}</a>')
        lines.append(f"{number}. {', '.join(links)}")
        rows.append(_button(tr._("Split pair {number}", number=number), cb.BuddySplit(pair.id)))
    if found.can_make_three:
        rows.append(_button(tr._("Make a group of three"), cb.BuddyThree(found.group.id)))
    lines.append(
        tr._(
            "Participants join with /buddy. Once a week I ask each pair whether they"
            " talked; you see only how many pairs talked."
        )
    )
    return Reply("\n".join(lines), rows)


def split_done(tr: Translator) -> str:
    return tr._("The pair is split. They get new buddies when others are waiting.")


def three_done(tr: Translator) -> str:
    return tr._("Done: three buddies talk together now.")
