"""Texts and keyboards from domain objects, in the reader's language (HTML parse mode)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from html import escape
from zoneinfo import ZoneInfo

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.action_plans import Step as PlanStep
from bot.domain.broadcast_draft import Step as BroadcastStep
from bot.domain.broadcast_draft import When
from bot.domain.checkins import Mode, PlanAnswer, Reason, Tally
from bot.domain.group_draft import SESSION_CHOICES, Step
from bot.domain.invites import InviteToken, start_link
from bot.domain.languages import LANGUAGES
from bot.domain.models import Group, Session, SessionState
from bot.domain.outbox import Progress
from bot.domain.parsing import Invalid, Problem
from bot.i18n import N_, Translator
from bot.services.broadcasts import ComposeView, Queued, Scheduled
from bot.services.checkins import MeetingStatus, Refused
from bot.services.library import Tip
from bot.services.meetings import Plan
from bot.services.onboarding import DraftView, GroupLinks, GroupOverview, Outcome
from bot.services.summaries import Figures, GroupWeek, WeekReport

LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
WEEKDAYS = (
    N_("Mondays"),
    N_("Tuesdays"),
    N_("Wednesdays"),
    N_("Thursdays"),
    N_("Fridays"),
    N_("Saturdays"),
    N_("Sundays"),
)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[list[InlineKeyboardButton]] = field(default_factory=list)

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(self.buttons) if self.buttons else None


def local_date(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def local_time(at: time) -> str:
    return f"{at.hour}.{at.minute:02d}"


def session_line(session: Session, zone: ZoneInfo) -> str:
    start = session.starts_at.astimezone(zone)
    return f"{session.number}. {local_date(start.date())} {local_time(start.time())}"


def plan_line(tr: Translator, group: Group) -> str:
    return tr._(
        "{weekday} at {time}, from {date}",
        weekday=tr._(WEEKDAYS[group.weekday]),
        time=local_time(group.local_time),
        date=local_date(group.first_date),
    )


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
            tr._("/summary – contact figures for this week, or /summary 2026-W48"),
        ],
        "leader": [
            tr._("Send me any message, photo or video, and I will pass it on to your groups."),
            tr._("/tips – ready tips by weekly topic"),
            tr._("/scheduled – messages waiting for their time"),
            tr._("/meetings – your groups' coming meetings, and cancelling one"),
            tr._("/checkin – a check-in to your group now"),
            tr._("/contact – log a phone call or a visit"),
            tr._("/groups – your groups"),
            tr._("/links – links to add me to the group chat and for participants"),
        ],
        "participant": [
            tr._("/plan – make an action plan for this week"),
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


def privacy_notice(tr: Translator) -> str:
    return tr._(
        "<b>How I handle your information</b>\n\n"
        "• I keep only your Telegram number and your language, so that I can send you messages."
        " I do not keep your name, your phone number or what you write.\n"
        "• Your answers are counted without your name. Your leaders see only the totals,"
        " unless you ask them to contact you.\n"
        "• You can stop with /stop whenever you like.\n"
        "• Your information is deleted some time after your group has ended.\n\n"
        "The municipality that runs this group is responsible for your information."
    )


def language_menu(tr: Translator) -> Reply:
    buttons = [
        [InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=f"lang:{code}")]
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


# --- the guided chat for a new group ---------------------------------------------------


def draft_prompt(tr: Translator, view: DraftView) -> Reply:
    draft, rev = view.draft, view.revision
    cancel = [InlineKeyboardButton(tr._("Cancel"), callback_data=f"ngx:{rev}")]
    match draft.step:
        case Step.NAME:
            return Reply(
                tr._(
                    "Let's create a new group. What is the group's name? (for example Tuesday group, spring 2027)"
                ),
                [cancel],
            )
        case Step.AREA:
            areas = [
                [InlineKeyboardButton(a.name, callback_data=f"ng:{rev}:#{a.id}")]
                for a in view.options.areas
            ]
            text = (
                tr._("Which municipality is the group in? Choose one, or type a new name.")
                if view.options.may_create
                else tr._("Which municipality is the group in?")
            )
            return Reply(text, [*areas, cancel])
        case Step.DATE:
            return Reply(
                tr._("When is the first meeting? Type the date, for example 13.1.2027."), [cancel]
            )
        case Step.TIME:
            return Reply(tr._("At what time does the group meet? For example 17.30."), [cancel])
        case Step.SESSIONS:
            row = [
                InlineKeyboardButton(str(n), callback_data=f"ng:{rev}:{n}") for n in SESSION_CHOICES
            ]
            return Reply(
                tr._("How many times does the group meet? Usually 6. Choose or type a number."),
                [row, cancel],
            )
        case Step.LANGUAGE:
            row = [
                InlineKeyboardButton(LANGUAGE_NAMES[c], callback_data=f"ng:{rev}:{c}")
                for c in LANGUAGES
            ]
            return Reply(tr._("In which language does the group meet?"), [row, cancel])
        case Step.CONFIRM:
            assert draft.first_date and draft.local_time and draft.weekday is not None
            summary = tr._(
                "<b>{name}</b>\n{area}\n{weekday} at {time}, from {date}\n"
                "{sessions} meetings, language: {language}",
                name=escape(draft.name or ""),
                area=escape(draft.area_name or ""),
                weekday=tr._(WEEKDAYS[draft.weekday]),
                time=local_time(draft.local_time),
                date=local_date(draft.first_date),
                sessions=draft.sessions,
                language=LANGUAGE_NAMES[draft.language or "fi"],
            )
            confirm = InlineKeyboardButton(tr._("Create the group"), callback_data=f"ngok:{rev}")
            return Reply(tr._("Is this right?") + "\n\n" + summary, [[confirm], cancel])


def draft_problem(tr: Translator, step: Step, invalid: Invalid) -> str:
    problem = invalid.problem
    if step is Step.DATE:
        return {
            Problem.NO_SUCH_DATE: tr._(
                "That day does not exist in the calendar. Please check the date."
            ),
            Problem.IN_THE_PAST: tr._("That day has already passed. Please type a coming date."),
            Problem.TOO_FAR: tr._("That is very far away. Please type a date within two years."),
        }.get(problem, tr._("I did not understand the date. Please type it like 13.1.2027."))
    if step is Step.TIME:
        if problem is Problem.NO_SUCH_TIME:
            return tr._("That time does not exist. Please type a time between 0.00 and 23.59.")
        return tr._("I did not understand the time. Please type it like 17.30.")
    if step is Step.NAME or (step is Step.AREA and problem is not Problem.NOT_UNDERSTOOD):
        if problem is Problem.TOO_LONG:
            return tr._("That name is too long. Please use at most 64 characters.")
        return tr._("The name cannot be empty. Please type a name.")
    if step is Step.SESSIONS:
        return tr._("Please type a number from 1 to 20.")
    return tr._("Please choose one of the buttons.")


def draft_retry(tr: Translator, view: DraftView, invalid: Invalid) -> Reply:
    """What was wrong, and the same question again, in one message."""
    prompt = draft_prompt(tr, view)
    problem = draft_problem(tr, view.draft.step, invalid)
    return Reply(f"{problem}\n\n{prompt.text}", prompt.buttons)


def draft_cancelled(tr: Translator) -> str:
    return tr._("All right, I did not create a group.")


def group_created(
    tr: Translator,
    group: Group,
    sessions: list[Session],
    zone: ZoneInfo,
    bot: str,
    invite: InviteToken,
    days: int,
) -> str:
    dates = "\n".join(session_line(s, zone) for s in sessions)
    return tr._(
        "The group <b>{name}</b> is ready. Its meetings:\n{dates}\n\n"
        "Send this link to one leader. It works once and for {days} days:\n{link}\n\n"
        "For the second leader, get a new link with /groups.",
        name=escape(group.name),
        dates=dates,
        days=days,
        link=start_link(bot, invite),
    )


# --- groups, links and invites ---------------------------------------------------------------


def group_list(tr: Translator, groups: list[GroupOverview], coordinator: bool) -> Reply:
    if not groups:
        text = (
            tr._("There are no groups yet. Create one with /newgroup.")
            if coordinator
            else tr._("You do not lead any group yet.")
        )
        return Reply(text)
    blocks, buttons = [], []
    for item in groups:
        group = item.group
        chat = tr._("group chat connected") if group.chat_id else tr._("no group chat yet")
        blocks.append(
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
        label = escape(group.name)
        if coordinator:
            buttons.append(
                [
                    InlineKeyboardButton(
                        tr._("Leader link: {name}", name=label), callback_data=f"gl:{group.id}"
                    ),
                    InlineKeyboardButton(tr._("Cancel unused"), callback_data=f"gr:{group.id}"),
                ]
            )
        else:
            buttons.append(
                [
                    InlineKeyboardButton(
                        tr._("Links: {name}", name=label), callback_data=f"ln:{group.id}"
                    )
                ]
            )
    return Reply("\n\n".join(blocks), buttons)


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


def choose_group_for_links(tr: Translator, groups: list[Group]) -> Reply:
    buttons = [[InlineKeyboardButton(escape(g.name), callback_data=f"ln:{g.id}")] for g in groups]
    return Reply(tr._("Which group?"), buttons)


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
        tr._("New participant link (old ones stop working)"), callback_data=f"lr:{group.id}"
    )
    return Reply(text, [[renew]])


def leader_welcome(tr: Translator, outcome: Outcome, group: Group) -> Reply:
    if outcome is Outcome.ALREADY:
        text = tr._("You already lead the group <b>{name}</b>.", name=escape(group.name))
    else:
        text = tr._("Welcome! You now lead the group <b>{name}</b>.", name=escape(group.name))
    button = InlineKeyboardButton(tr._("Get the group's links"), callback_data=f"ln:{group.id}")
    return Reply(text, [[button]])


def link_problem(tr: Translator, outcome: Outcome) -> str:
    return {
        Outcome.EXPIRED: tr._("This link has expired. Please ask for a new one."),
        Outcome.USED: tr._("This link has already been used. Please ask for a new one."),
        Outcome.REVOKED: tr._("This link no longer works. Please ask for a new one."),
        Outcome.NOT_ALLOWED: tr._("Only the group's leaders can use this link."),
    }.get(outcome, tr._("I do not recognise this link. Please check it, or ask for a new one."))


def consent_request(tr: Translator, group: Group, payload: str) -> Reply:
    text = tr._(
        "Hello! This link is for the group <b>{name}</b>."
        " I can send you the group's messages here, privately.",
        name=escape(group.name),
    )
    buttons = [
        [InlineKeyboardButton(tr._("Yes, that is fine"), callback_data=f"cs:{payload}")],
        [InlineKeyboardButton(tr._("No, thank you"), callback_data="cn")],
    ]
    return Reply(text + "\n\n" + privacy_notice(tr) + "\n\n" + tr._("Is this all right?"), buttons)


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
        [InlineKeyboardButton(tr._("Yes, stop the messages"), callback_data="stop:yes")],
        [InlineKeyboardButton(tr._("No, keep them"), callback_data="stop:no")],
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


# --- command menus --------------------------------------------------------------------------


def commands(tr: Translator, role: str) -> list[BotCommand]:
    menu = {
        "coordinator": [
            ("newgroup", tr._("Create a new group")),
            ("groups", tr._("Your groups and leader links")),
            ("summary", tr._("This week's contact figures")),
        ],
        "leader": [
            ("tips", tr._("Ready tips to send")),
            ("scheduled", tr._("Scheduled messages")),
            ("meetings", tr._("Coming meetings")),
            ("checkin", tr._("A check-in now")),
            ("contact", tr._("Log a phone call or a visit")),
            ("groups", tr._("Your groups")),
            ("links", tr._("Links for the group chat and participants")),
        ],
        "participant": [
            ("plan", tr._("Make an action plan")),
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
    return [BotCommand(name, description) for name, description in [*menu, *common]]


def group_chat_commands(tr: Translator) -> list[BotCommand]:
    return [
        BotCommand("help", tr._("What I do in this group")),
        BotCommand("privacy", tr._("How I handle your information")),
    ]


# --- broadcasts --------------------------------------------------------------------------------


def _mark(on: bool) -> str:
    return "✅" if on else "▫️"


def compose_prompt(tr: Translator, view: ComposeView, zone: ZoneInfo) -> Reply:
    draft, rev = view.draft, view.revision
    cancel = [InlineKeyboardButton(tr._("Cancel"), callback_data=f"bcx:{rev}")]
    if draft.step is BroadcastStep.TARGETS:
        rows = [
            [
                InlineKeyboardButton(
                    f"{_mark(g.id in draft.groups)} {g.name}", callback_data=f"bc:{rev}:g:{g.id}"
                )
            ]
            for g in view.groups
        ]
        rows.append([InlineKeyboardButton(tr._("Next"), callback_data=f"bc:{rev}:next")])
        return Reply(tr._("Where should I send this? Choose the groups."), [*rows, cancel])
    if draft.step is BroadcastStep.WHEN:
        rows = [[InlineKeyboardButton(tr._("Now"), callback_data=f"bc:{rev}:now")]]
        if view.evening_ahead:
            rows.append(
                [
                    InlineKeyboardButton(
                        tr._("This evening at 18"), callback_data=f"bc:{rev}:evening"
                    )
                ]
            )
        rows.append(
            [InlineKeyboardButton(tr._("Tomorrow at 9"), callback_data=f"bc:{rev}:morning")]
        )
        if view.can_wait_for_meeting:
            rows.append(
                [
                    InlineKeyboardButton(
                        tr._("At the next meeting time"), callback_data=f"bc:{rev}:meeting"
                    )
                ]
            )
        private = (
            tr._("Also to private chats: yes")
            if draft.include_private
            else tr._("Also to private chats: no")
        )
        rows.append([InlineKeyboardButton(private, callback_data=f"bc:{rev}:private")])
        text = tr._(
            "When should I send it? You can also type a time, for example: tomorrow 9.30 or 12.1. 10"
        )
        return Reply(text, [*rows, cancel])
    groups = ", ".join(escape(g.name) for g in view.chosen)
    if draft.include_private:
        groups += " " + tr._("(and private chats)")
    when = {
        When.NOW: tr._("now"),
        When.AT: format_when(draft.at, zone) if draft.at else "",
        When.NEXT_MEETING: tr._("at each group's next meeting time"),
    }[draft.when]
    send = InlineKeyboardButton(tr._("Send"), callback_data=f"bcok:{rev}")
    return Reply(tr._("Send to {groups}, {when}?", groups=groups, when=when), [[send], cancel])


def compose_problem(tr: Translator, view: ComposeView, invalid: Invalid, zone: ZoneInfo) -> Reply:
    prompt = compose_prompt(tr, view, zone)
    return Reply(f"{compose_problem_line(tr, invalid)}\n\n{prompt.text}", prompt.buttons)


def compose_problem_line(tr: Translator, invalid: Invalid) -> str:
    return {
        Problem.IN_THE_PAST: tr._("That time has already passed. Please choose a coming time."),
        Problem.TOO_FAR: tr._("That is more than a year away. Please choose a nearer time."),
        Problem.NO_SUCH_DATE: tr._(
            "That day does not exist in the calendar. Please check the date."
        ),
        Problem.NO_SUCH_TIME: tr._(
            "That time does not exist. Please type a time between 0.00 and 23.59."
        ),
        Problem.EMPTY: tr._("Please choose at least one group."),
    }.get(
        invalid.problem, tr._("I did not understand the time. Please type it like: tomorrow 9.30")
    )


def format_when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local_date(local.date())} {local_time(local.time())}"


def queued(tr: Translator, queued: Queued, zone: ZoneInfo) -> Reply:
    if queued.immediate:
        return Reply(tr.ngettext("Sending to {n} chat…", "Sending to {n} chats…", queued.targets))
    text = tr.ngettext(
        "Scheduled for {when}, to {n} chat.",
        "Scheduled for {when}, to {n} chats.",
        queued.targets,
        when=format_when(queued.first_due, zone),
    )
    cancel = InlineKeyboardButton(
        tr._("Cancel sending"), callback_data=f"bcc:{queued.broadcast_id}"
    )
    return Reply(text, [[cancel]])


def no_targets(tr: Translator) -> str:
    return tr._(
        "The chosen groups have no group chat or private subscribers yet, so there is nowhere"
        " to send. Add me to the group's chat first: /links"
    )


def broadcast_progress(tr: Translator, broadcast_id: int, progress: Progress) -> Reply:
    if not progress.finished:
        return Reply(
            tr._("Sending… {sent} of {total} delivered.", sent=progress.sent, total=progress.total)
        )
    if progress.retracted:
        text = tr.ngettext(
            "Taken back from {n} chat.", "Taken back from {n} chats.", progress.retracted
        )
        if progress.sent:
            text += "\n" + tr.ngettext(
                "In {n} chat it could not be deleted any more (Telegram allows it for 48 hours).",
                "In {n} chats it could not be deleted any more (Telegram allows it for 48 hours).",
                progress.sent,
            )
        return Reply(text)
    text = tr._(
        "Done: {sent} delivered, {blocked} blocked, {failed} failed.",
        sent=progress.sent,
        blocked=progress.blocked,
        failed=progress.failed,
    )
    if progress.blocked:
        text += "\n" + tr._(
            "Blocked means the person has stopped the bot or I was removed from the chat."
        )
    if not progress.sent:
        return Reply(text)
    take_back = InlineKeyboardButton(tr._("Take back"), callback_data=f"bctb:{broadcast_id}")
    return Reply(text, [[take_back]])


def taking_back(tr: Translator, count: int) -> str:
    return tr.ngettext("I am deleting it from {n} chat.", "I am deleting it from {n} chats.", count)


def broadcast_cancelled(tr: Translator, count: int) -> str:
    return (
        tr._("Cancelled. It will not be sent.")
        if count
        else tr._("There was nothing left to cancel.")
    )


def scheduled_list(tr: Translator, items: list[Scheduled], zone: ZoneInfo) -> Reply:
    if not items:
        return Reply(tr._("You have no scheduled messages."))
    lines, buttons = [], []
    for item in items:
        when = format_when(item.due, zone)
        lines.append(
            tr.ngettext("{when}: to {n} chat", "{when}: to {n} chats", item.targets, when=when)
        )
        buttons.append(
            [
                InlineKeyboardButton(
                    tr._("Cancel {when}", when=when), callback_data=f"bcc:{item.broadcast_id}"
                )
            ]
        )
    return Reply(tr._("Your scheduled messages:") + "\n" + "\n".join(lines), buttons)


def missed(tr: Translator) -> str:
    return tr._(
        "A message you scheduled was not sent at its time, because I was not running then."
        " Please send it again if it is still useful."
    )


def cannot_copy(tr: Translator) -> str:
    return tr._(
        "Sorry, Telegram does not let me pass on this kind of message. Please send it in another form."
    )


def only_leaders_send(tr: Translator) -> str:
    return tr._("Thank you! Only group leaders can send messages to the groups through me.")


# --- the tip library ---------------------------------------------------------------------


TOPIC_NAMES = {
    "action_plans": N_("Action plans"),
    "problem_solving": N_("Problem solving"),
    "difficult_emotions": N_("Difficult emotions"),
    "physical_activity": N_("Physical activity"),
    "sleep_fatigue": N_("Sleep and fatigue"),
    "healthy_eating": N_("Healthy eating"),
    "communication": N_("Communication"),
    "decision_making": N_("Decision making"),
    "medications": N_("Medications"),
    "health_professionals": N_("Working with health professionals"),
}


def topic_menu(tr: Translator, topics: list[str]) -> Reply:
    buttons = [
        [InlineKeyboardButton(tr._(TOPIC_NAMES[t]), callback_data=f"tp:{t}")] for t in topics
    ]
    return Reply(tr._("Tips by weekly topic. Choose a topic:"), buttons)


def tip_menu(tr: Translator, tips: list[Tip]) -> Reply:
    buttons = [[InlineKeyboardButton(t.title, callback_data=f"tv:{t.id}")] for t in tips]
    return Reply(tr._("Choose a tip to see it:"), buttons)


def tip_preview(tr: Translator, tip: Tip, text: str) -> Reply:
    send = InlineKeyboardButton(tr._("Send this to my groups"), callback_data=f"ts:{tip.id}")
    return Reply(text, [[send]])


# --- meetings ---------------------------------------------------------------------------


WEEKDAY_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def meetings(tr: Translator, plans: list[Plan], zone: ZoneInfo) -> str:
    if not plans:
        return tr._("You do not lead any group yet.")
    blocks = []
    for plan in plans:
        lines = [f"<b>{escape(plan.group.name)}</b>"]
        for meeting in plan.upcoming:
            start = meeting.session.starts_at.astimezone(zone)
            line = f"{meeting.session.number}. {tr._(WEEKDAY_SHORT[start.weekday()])} {format_when(start, zone)}"
            if meeting.holiday:
                line += " ⚠️ " + tr._("public holiday: {name}", name=escape(meeting.holiday))
            if meeting.session.state is not SessionState.PLANNED:
                line += f" ({meeting_state(tr, meeting.session.state)})"
            lines.append(line)
        if not plan.upcoming:
            lines.append(tr._("No meetings ahead."))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# --- cancelled meetings and check-ins ------------------------------------------------------

REASONS = {
    Reason.LEADER_ILL: N_("A leader is ill"),
    Reason.WEATHER: N_("Weather or travel"),
    Reason.EXCEPTIONAL: N_("Exceptional situation"),
    Reason.OTHER: N_("Other reason"),
}


def meeting_buttons(
    tr: Translator, plans: list[Plan], zone: ZoneInfo
) -> list[list[InlineKeyboardButton]]:
    rows = []
    for plan in plans:
        name = escape(plan.group.name)
        for meeting in plan.upcoming:
            session, when = meeting.session, format_when(meeting.session.starts_at, zone)
            if session.state is SessionState.PLANNED:
                cancel = tr._("Cancel {when}", when=when)
                rows.append(
                    [
                        InlineKeyboardButton(f"{name}: {cancel}", callback_data=f"mc:{session.id}"),
                        InlineKeyboardButton(tr._("Move"), callback_data=f"mv:{session.id}"),
                    ]
                )
            else:
                undo = tr._("Undo the cancellation of {when}", when=when)
                rows.append(
                    [InlineKeyboardButton(f"{name}: {undo}", callback_data=f"mu:{session.id}")]
                )
    return rows


def meeting_state(tr: Translator, state: SessionState) -> str:
    return {
        SessionState.REMOTE: tr._("held remotely"),
        SessionState.CANCELLED: tr._("cancelled"),
    }.get(state, "")


def ask_reason(tr: Translator, session_id: int) -> Reply:
    rows = [
        [InlineKeyboardButton(tr._(label), callback_data=f"mr:{session_id}:{reason.value}")]
        for reason, label in REASONS.items()
    ]
    return Reply(tr._("Why can the group not meet?"), rows)


def ask_mode(tr: Translator, session_id: int, reason: Reason) -> Reply:
    base = f"mm:{session_id}:{reason.value}"
    rows = [
        [
            InlineKeyboardButton(
                tr._("Keep in touch here instead (check-in)"), callback_data=f"{base}:remote"
            )
        ],
        [InlineKeyboardButton(tr._("Just cancel the meeting"), callback_data=f"{base}:cancelled")],
    ]
    text = tr._(
        "At the meeting time I can post a check-in to the group instead, with this week's tip."
        " Shall I?"
    )
    return Reply(text, rows)


def meeting_changed(tr: Translator, mode: Mode | None, refused: Refused | None) -> str:
    if refused is Refused.STARTED:
        return tr._("That meeting has already begun, so it can no longer be changed.")
    if refused is Refused.ALREADY:
        return tr._("That meeting has already been cancelled.")
    if refused is Refused.NOT_CANCELLED:
        return tr._("That meeting was not cancelled.")
    if mode is Mode.REMOTE:
        return tr._("Done. I told the group, and I will post a check-in at the meeting time.")
    if mode is Mode.CANCELLED:
        return tr._("Done. I told the group that the meeting is cancelled.")
    return tr._("Done. I told the group that the meeting is on after all.")


NOTICE_REASONS = {
    Reason.LEADER_ILL: N_("A leader is ill."),
    Reason.WEATHER: N_("The weather or travel is in the way."),
    Reason.EXCEPTIONAL: N_("The situation is exceptional."),
}


def meeting_notice(tr: Translator, meeting: MeetingStatus, zone: ZoneInfo) -> str:
    when = format_when(meeting.starts_at, zone)
    reason = f" {tr._(NOTICE_REASONS[meeting.reason])}" if meeting.reason in NOTICE_REASONS else ""
    if meeting.state is SessionState.REMOTE:
        return tr._(
            "Hello everyone! We cannot meet on {when}.{reason} Let's keep in touch here instead:"
            " at the meeting time I will post a few questions. Take care!",
            when=when,
            reason=reason,
        )
    if meeting.state is SessionState.CANCELLED:
        return tr._(
            "Hello everyone! The meeting on {when} is cancelled.{reason} Take care!",
            when=when,
            reason=reason,
        )
    return tr._("Good news: the meeting on {when} is on after all. See you!", when=when)


CHECKIN_WEEK = {1: N_("Hard"), 2: N_("So-so"), 3: N_("Good")}
CHECKIN_PLAN = {
    PlanAnswer.YES: N_("Yes"),
    PlanAnswer.PARTLY: N_("Partly"),
    PlanAnswer.NO: N_("No"),
    PlanAnswer.NONE: N_("I had no plan"),
}


def checkin(tr: Translator, checkin_id: int, answered: int, closed: bool) -> Reply:
    text = tr._(
        "<b>How are you?</b>\n\nHow has your week been? And did your action plan go as planned?"
        " Your answers are seen only as totals. If you would like a leader to contact you,"
        " press the button below."
    )
    text += "\n\n" + tr.ngettext("{n} has answered.", "{n} have answered.", answered)
    if closed:
        return Reply(text + "\n" + tr._("This check-in has closed."))
    base = f"ci:{checkin_id}"
    rows = [
        [
            InlineKeyboardButton(tr._(label), callback_data=f"{base}:week:{value}")
            for value, label in CHECKIN_WEEK.items()
        ],
        [
            InlineKeyboardButton(tr._(label), callback_data=f"{base}:plan:{value.value}")
            for value, label in list(CHECKIN_PLAN.items())[:3]
        ],
        [
            InlineKeyboardButton(
                tr._(CHECKIN_PLAN[PlanAnswer.NONE]), callback_data=f"{base}:plan:none"
            )
        ],
        [InlineKeyboardButton(tr._("Please contact me"), callback_data=f"{base}:contact:1")],
    ]
    return Reply(text, rows)


def answer_saved(tr: Translator, first_in_group: bool, contact: bool) -> str:
    text = (
        tr._("Thank you! A leader will contact you.")
        if contact
        else tr._("Thank you, your answer is saved. You can change it.")
    )
    if first_in_group:
        text += " " + tr._("Answers are counted without names; /privacy tells more.")
    return text


def answer_closed(tr: Translator) -> str:
    return tr._("This check-in has closed. Thank you all the same!")


def contact_wanted(
    tr: Translator, group: Group, user_id: int, first_name: str, request_id: int
) -> Reply:
    person = f'<a href="tg://user?id={user_id}">{escape(first_name)}</a>'
    text = tr._(
        "{person} from the group <b>{name}</b> would like to be contacted.",
        person=person,
        name=escape(group.name),
    )
    button = InlineKeyboardButton(tr._("Mark as handled"), callback_data=f"ch:{request_id}")
    return Reply(text, [[button]])


def checkin_summary(tr: Translator, group: Group, tally: Tally) -> Reply:
    lines = [
        tr._("<b>Check-in of {name} has closed</b>", name=escape(group.name)),
        tr.ngettext("{n} answered.", "{n} answered.", tally.answered),
        tr._(
            "The week: good {good}, so-so {soso}, hard {hard}",
            good=tally.week[3],
            soso=tally.week[2],
            hard=tally.week[1],
        ),
        tr._(
            "Action plans: yes {yes}, partly {partly}, no {no}, no plan {none}",
            yes=tally.plan[PlanAnswer.YES],
            partly=tally.plan[PlanAnswer.PARTLY],
            no=tally.plan[PlanAnswer.NO],
            none=tally.plan[PlanAnswer.NONE],
        ),
    ]
    rows = []
    if tally.contact_requests:
        lines.append(
            tr.ngettext(
                "{n} person is waiting to be contacted:",
                "{n} people are waiting to be contacted:",
                len(tally.contact_requests),
            )
        )
        for number, (request_id, user_id) in enumerate(tally.contact_requests, start=1):
            label = tr._("participant {number}", number=number)
            lines.append(f'{number}. <a href="tg://user?id={user_id}">{label}</a>')
            rows.append(
                [
                    InlineKeyboardButton(
                        tr._("{number}: handled", number=number), callback_data=f"ch:{request_id}"
                    )
                ]
            )
    return Reply("\n".join(lines), rows)


def request_handled(tr: Translator, done: bool) -> str:
    return (
        tr._("Marked as handled. Thank you!") if done else tr._("It was already marked as handled.")
    )


def checkin_sent(tr: Translator) -> str:
    return tr._("The check-in is on its way to the group.")


def contact_menu(tr: Translator, groups: list[Group]) -> Reply:
    rows = [
        [
            InlineKeyboardButton(f"📞 +1 {escape(g.name)}", callback_data=f"lc:{g.id}:phone"),
            InlineKeyboardButton(f"🏠 +1 {escape(g.name)}", callback_data=f"lc:{g.id}:visit"),
        ]
        for g in groups
    ]
    return Reply(
        tr._(
            "Log a contact made outside Telegram (a phone call or a visit). Only the number is saved."
        ),
        rows,
    )


def contact_logged(tr: Translator) -> str:
    return tr._("Logged. Thank you!")


def choose_group(tr: Translator, groups: list[Group], prefix: str) -> Reply:
    rows = [
        [InlineKeyboardButton(escape(g.name), callback_data=f"{prefix}:{g.id}")] for g in groups
    ]
    return Reply(tr._("Which group?"), rows)


def ask_new_time(tr: Translator, session: Session, zone: ZoneInfo) -> str:
    return tr._(
        "When will meeting {number} ({when}) be instead? Type the day and time,"
        " for example: ti 18 or 20.1. 17.30",
        number=session.number,
        when=format_when(session.starts_at, zone),
    )


def session_moved(tr: Translator, session: Session, zone: ZoneInfo) -> str:
    return tr._(
        "Done. Meeting {number} is now on {when}.",
        number=session.number,
        when=format_when(session.starts_at, zone),
    )


# --- action plans ------------------------------------------------------------------------


PLAN_QUESTIONS = {
    PlanStep.WHAT: N_(
        "Let's make an action plan for this week. <b>What</b> would you like to do? For example: walk."
    ),
    PlanStep.HOW_MUCH: N_("<b>How much?</b> For example: 15 minutes."),
    PlanStep.WHEN: N_("<b>When?</b> For example: after lunch."),
    PlanStep.HOW_OFTEN: N_("<b>How often?</b> For example: three times this week."),
    PlanStep.CONFIDENCE: N_(
        "<b>How sure are you</b> that you can do it, from 0 (not at all) to 10 (completely)?"
    ),
}
PLAN_LABELS = {
    PlanStep.WHAT: N_("What"),
    PlanStep.HOW_MUCH: N_("How much"),
    PlanStep.WHEN: N_("When"),
    PlanStep.HOW_OFTEN: N_("How often"),
}


def plan_question(tr: Translator, step: PlanStep) -> Reply:
    if step is not PlanStep.CONFIDENCE:
        return Reply(tr._(PLAN_QUESTIONS[step]))
    numbers = [InlineKeyboardButton(str(n), callback_data=f"pl:{n}") for n in range(11)]
    return Reply(tr._(PLAN_QUESTIONS[step]), [numbers[:6], numbers[6:]])


def plan_problem(tr: Translator, step: PlanStep, invalid: Invalid) -> Reply:
    question = plan_question(tr, step)
    if step is PlanStep.CONFIDENCE:
        problem = tr._("Please choose a number from 0 to 10.")
    elif invalid.problem is Problem.TOO_LONG:
        problem = tr._("That is a bit long. Please keep it short.")
    else:
        problem = tr._("Please write a few words.")
    return Reply(f"{problem}\n\n{question.text}", question.buttons)


def plan_smaller(tr: Translator, confidence: int) -> Reply:
    text = tr._(
        "Thank you! {confidence} out of 10 is a start. A plan feels easier when it is a little"
        " smaller: a bit less, or less often. Would you like to make it smaller?",
        confidence=confidence,
    )
    rows = [
        [InlineKeyboardButton(tr._("Yes, make it smaller"), callback_data="pl:smaller")],
        [InlineKeyboardButton(tr._("No, keep this plan"), callback_data=f"pl:keep:{confidence}")],
    ]
    return Reply(text, rows)


def plan_card(tr: Translator, answers: dict[str, str], confidence: int) -> str:
    lines = [tr._("📝 <b>My action plan</b>")]
    for step, label in PLAN_LABELS.items():
        lines.append(f"{tr._(label)}: {escape(answers.get(step.value, ''))}")
    lines.append(tr._("How sure: {confidence}/10", confidence=confidence))
    return "\n".join(lines)


def plan_saved(tr: Translator) -> str:
    return tr._("Good luck! I pinned your plan here. Next time I will ask how it went.")


def plan_not_for_you(tr: Translator) -> str:
    return tr._(
        "Action plans are for group members. Join your group with the link from your leader first."
    )


def with_plan(tr: Translator, text: str, confidence: int) -> str:
    return (
        text
        + "\n\n"
        + tr._(
            "You made an action plan (how sure: {confidence}/10). The plan question is about it.",
            confidence=confidence,
        )
    )


def stopped_that(tr: Translator) -> str:
    return tr._("All right, I stopped that. Nothing was sent or saved.")


# --- erasure -----------------------------------------------------------------------------


def forget_confirm(tr: Translator, known: bool) -> Reply:
    if not known:
        return Reply(tr._("I have nothing saved about you."))
    rows = [
        [InlineKeyboardButton(tr._("Yes, erase me"), callback_data="fg:yes")],
        [InlineKeyboardButton(tr._("No, keep them"), callback_data="fg:no")],
    ]
    text = tr._(
        "Shall I erase everything I know about you? You will no longer get messages from your"
        " groups here, and your answers and action plans are deleted. Only anonymous counts remain."
    )
    return Reply(text, rows)


def forgotten(tr: Translator, erased: bool) -> str:
    if not erased:
        return tr._("I have nothing saved about you.")
    return tr._(
        "Done. I erased everything I knew about you. What remains are anonymous counts, such as"
        " how many answered a check-in, which no longer lead to you. Take care!"
    )


# --- weekly contact figures ----------------------------------------------------------------


def _with_change(now: int, before: int) -> str:
    return f"{now} ({now - before:+d})" if now != before else str(now)


def _answers_line(tr: Translator, now: Figures, checkins: str, answers: str) -> str:
    if now.answer_rate is None:
        return tr._("Check-ins {checkins}, answers {answers}", checkins=checkins, answers=answers)
    return tr._(
        "Check-ins {checkins}, answers {answers} ({rate} of those asked)",
        checkins=checkins,
        answers=answers,
        rate=tr.percent(now.answer_rate),
    )


def _figure_lines(tr: Translator, row: GroupWeek) -> list[str]:
    now, before = row.now, row.before

    def c(name: str) -> str:
        return _with_change(getattr(now, name), getattr(before, name))

    return [
        tr._(
            "Meetings: in person {in_person}, remotely {remote}, cancelled {cancelled}",
            in_person=c("in_person"),
            remote=c("remote"),
            cancelled=c("cancelled"),
        ),
        tr._(
            "Leader posts {posts}, delivered {deliveries}",
            posts=c("posts"),
            deliveries=c("deliveries"),
        ),
        _answers_line(tr, now, c("checkins"), c("answers")),
        tr._("People reached {reached}", reached=c("reached")),
        tr._(
            "Contact requests {requests}, handled {handled}",
            requests=c("contact_requests"),
            handled=c("contacts_handled"),
        ),
        tr._("Contacts outside Telegram {outside}", outside=c("outside_contacts")),
    ]


def weekly_summary(tr: Translator, report: WeekReport) -> str:
    areas = ", ".join(escape(a) for a in report.area_names)
    lines = [
        tr._("<b>Contact figures, week {week}</b>", week=str(report.week)),
        areas,
        tr._("(in brackets: the change from the week before)"),
        "",
    ]
    for row in report.groups:
        assert row.group is not None
        lines += [f"<b>{escape(row.group.name)}</b>", *_figure_lines(tr, row), ""]
    lines += [tr._("<b>In total</b>"), *_figure_lines(tr, report.total)]
    if not report.groups:
        lines = [lines[0], tr._("There are no groups in your areas yet.")]
    return "\n".join(lines)


def week_problem(tr: Translator, invalid: Invalid) -> str:
    if invalid.problem is Problem.TOO_FAR:
        return tr._("That week has not come yet. Please choose this week or an earlier one.")
    if invalid.problem is Problem.NO_SUCH_DATE:
        return tr._("That week does not exist. Weeks are numbered 1 to 52 (or 53).")
    return tr._("Please write the week like this: /summary 2026-W48")
