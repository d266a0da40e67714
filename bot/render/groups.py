"""Groups, leader and participant links, joining and stopping, and the group chat."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.invites import InviteToken, start_link
from bot.domain.models import Group
from bot.i18n import Translator
from bot.render import leadership as leadership_texts
from bot.render.common import Entry, Reply, paged, picker, plan_line
from bot.render.general import Controller, privacy_notice
from bot.services.onboarding import GroupLinks, GroupOverview, Outcome

# --- groups, links and invites ---------------------------------------------------------------


def group_list(
    tr: Translator, groups: list[GroupOverview], coordinator: bool, page: int = 0
) -> Reply:
    if not groups:
        text = (
            tr._("There are no groups yet. Create one with /newgroup.")
            if coordinator
            else tr._("You do not lead any group yet.")
        )
        return Reply(text)
    header = tr.ngettext("{n} group", "{n} groups", len(groups))
    entries = [_group_entry(tr, item, coordinator) for item in groups]
    return paged(tr, "groups", header, entries, page)


def _group_entry(tr: Translator, item: GroupOverview, coordinator: bool) -> Entry:
    group = item.group
    chat = tr._("group chat connected") if group.chat_id else tr._("no group chat yet")
    text = (
        f"<b>{escape(group.name)}</b> ({escape(item.area_name)})\n"
        + plan_line(tr, group)
        + "\n"
        + tr.ngettext("{n} leader", "{n} leaders", item.leaders)
        + ", "
        + tr.ngettext(
            "{n} participant gets private messages",
            "{n} participants get private messages",
            item.participants,
        )
        + f", {chat}"
    )
    # Button labels are plain text: no HTML escaping.
    if coordinator:
        row = [
            InlineKeyboardButton(
                tr._("Leader link: {name}", name=group.name),
                callback_data=cb.NewLeaderLink(group.id).pack(),
            ),
            InlineKeyboardButton(
                tr._("Cancel unused"), callback_data=cb.RevokeLeaderLinks(group.id).pack()
            ),
        ]
        if not item.leaders:  # flagged: a coordinator removed the last one, or none joined
            text += "\n" + tr._("⚠️ No leader")
        return Entry(text, [row, [leadership_texts.list_button(tr, group)]])
    row = [
        InlineKeyboardButton(
            tr._("Links: {name}", name=group.name),
            callback_data=cb.GroupLinks(group.id).pack(),
        )
    ]
    return Entry(text, [row])


def leader_invite(tr: Translator, group: Group, bot: str, invite: InviteToken, days: int) -> str:
    return tr._(
        "A new leader link for <b>{name}</b>. It works once and for {days} days:\n{link}",
        name=escape(group.name),
        days=days,
        link=start_link(bot, invite),
    )


def invites_revoked(tr: Translator, group: Group, count: int) -> str:
    return tr.ngettext(
        "{n} unused leader link of {name} no longer works.",
        "{n} unused leader links of {name} no longer work.",
        count,
        name=escape(group.name),
    )


def choose_group_for_links(tr: Translator, groups: list[Group], page: int = 0) -> Reply:
    rows = [
        [InlineKeyboardButton(g.name, callback_data=cb.GroupLinks(g.id).pack())] for g in groups
    ]
    return picker(tr, "links", tr._("Which group?"), rows, page)


def group_links(tr: Translator, links: GroupLinks, bot: str) -> Reply:
    group = links.group
    chat_part = (
        tr._(
            "I am already in the group's chat. If the group moves to a new chat, add me there with this link:"
        )
        if group.chat_id
        else tr._(
            "1. Add me to the group's Telegram chat with this link (you must be in that chat):"
        )
    )
    text = tr._(
        "<b>{name}</b>\n\n{chat_part}\n{chat_link}\n\n"
        "2. Participants who want my messages privately can open this link:\n{participant_link}",
        name=escape(group.name),
        chat_part=chat_part,
        chat_link=start_link(bot, links.chat),
        participant_link=start_link(bot, links.participant),
    )
    renew = InlineKeyboardButton(
        tr._("New participant link (old ones stop working)"),
        callback_data=cb.RenewParticipantLink(group.id).pack(),
    )
    return Reply(text, [[renew]])


def leader_welcome(tr: Translator, outcome: Outcome, group: Group) -> Reply:
    if outcome is Outcome.ALREADY:
        text = tr._("You already lead the group <b>{name}</b>.", name=escape(group.name))
    else:
        text = tr._("Welcome! You now lead the group <b>{name}</b>.", name=escape(group.name))
        text += "\n\n" + tr._(
            "First, add me to your group's Telegram chat: press the button below."
        )
    button = InlineKeyboardButton(
        tr._("Get the group's links"), callback_data=cb.GroupLinks(group.id).pack()
    )
    return Reply(text, [[button]])


def leader_how_to(tr: Translator) -> str:
    """What a new leader can do, and how: short, for someone who has never used a bot."""
    return tr._(
        "Here is what you can do as a leader:\n"
        "• Send me a message, photo or video. I ask which groups and when, and pass it on.\n"
        "• /tips – ready tips to send to your group.\n"
        "• /meetings – the coming meetings. You can cancel or move one there.\n"
        "• /checkin – ask your group how they are doing.\n"
        "• /contact – note down a phone call or a visit.\n\n"
        "The buttons at the bottom of the screen do the same. /help lists everything I can do."
    )


def link_problem(tr: Translator, outcome: Outcome) -> str:
    return {
        Outcome.EXPIRED: tr._("This link has expired. Please ask for a new one."),
        Outcome.USED: tr._("This link has already been used. Please ask for a new one."),
        Outcome.REVOKED: tr._("This link no longer works. Please ask for a new one."),
        Outcome.NOT_ALLOWED: tr._("Only the group's leaders can use this link."),
    }.get(outcome, tr._("I do not recognise this link. Please check it, or ask for a new one."))


def consent_request(tr: Translator, group: Group, payload: str, facts: Controller) -> Reply:
    text = tr._(
        "Hello! This link is for the group <b>{name}</b>."
        " I can send you the group's messages here, privately.",
        name=escape(group.name),
    )
    buttons = [
        [InlineKeyboardButton(tr._("Yes, that is fine"), callback_data=cb.Consent(payload).pack())],
        [InlineKeyboardButton(tr._("No, thank you"), callback_data=cb.Decline().pack())],
    ]
    return Reply(
        text + "\n\n" + privacy_notice(tr, facts) + "\n\n" + tr._("Is this all right?"), buttons
    )


def participant_joined(tr: Translator, group: Group) -> str:
    return tr._(
        "Thank you! From now on you get the messages of <b>{name}</b> here too."
        " You can stop at any time with /stop.",
        name=escape(group.name),
    )


def participant_already(tr: Translator, group: Group) -> str:
    return tr._("You already get the messages of <b>{name}</b> here.", name=escape(group.name))


def participant_link_for_leader(tr: Translator, group: Group) -> str:
    return tr._(
        "This is the participant link of <b>{name}</b>. You lead this group,"
        " so you get its messages anyway. You can share the link with participants.",
        name=escape(group.name),
    )


def consent_declined(tr: Translator) -> str:
    return tr._("All right. I did not save anything about you. You are welcome back any time.")


def chat_link_in_private(tr: Translator) -> str:
    return tr._("This link adds me to a group chat. Please open it and choose the group's chat.")


def stop_confirm(tr: Translator, groups: int) -> Reply:
    if not groups:
        return Reply(tr._("You do not get private messages from any group."))
    buttons = [
        [
            InlineKeyboardButton(
                tr._("Yes, stop the messages"), callback_data=cb.StopAnswer("yes").pack()
            )
        ],
        [InlineKeyboardButton(tr._("No, keep them"), callback_data=cb.StopAnswer("no").pack())],
    ]
    return Reply(tr._("Do you want to stop the private messages from your group?"), buttons)


def stopped(tr: Translator, count: int) -> str:
    if not count:
        return tr._("You do not get private messages from any group.")
    return tr._(
        "Done. I will not send you the group's messages any more."
        " I keep only anonymous counts. Welcome back any time through your group's link."
    )


def kept(tr: Translator) -> str:
    return tr._("Good, nothing changed.")


# --- the group chat -------------------------------------------------------------------------


def chat_bound(tr: Translator, group: Group) -> str:
    return tr._(
        "Hello everyone! I am Ryhmäkaveri, the group buddy of <b>{name}</b>."
        " I pass on your leaders' tips and messages here, also when you cannot meet.\n\n"
        "I do not keep your messages, names or phone numbers. Answers to my questions are"
        " counted without names. /privacy tells more.",
        name=escape(group.name),
    )


def chat_already_bound(tr: Translator, group: Group) -> str:
    return tr._("I am already the group buddy of <b>{name}</b> here.", name=escape(group.name))


def unbound_chat(tr: Translator) -> str:
    return tr._(
        "Hello! I work only in the chats of Arkeen Voimaa groups. A group leader can"
        " connect a chat with the link they get from me with /links. I will leave now."
    )
