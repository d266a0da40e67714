"""Leaders' posts: where and when to send, progress, scheduled ones, and the tip library."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.broadcast_draft import Step as BroadcastStep
from bot.domain.broadcast_draft import When
from bot.domain.parsing import Invalid, Problem
from bot.domain.posts import GroupGap, PostReport
from bot.i18n import N_, Translator
from bot.render import posts as post_texts
from bot.render.common import Entry, Reply, format_when, names_within, paged
from bot.services.broadcasts import ComposeView, Queued, Scheduled
from bot.services.library import Tip

# --- broadcasts --------------------------------------------------------------------------------


def _mark(on: bool) -> str:
    return "✅" if on else "▫️"


MAX_GROUP_BUTTONS = 90  # with "all", next and cancel, within Telegram's 100 buttons
NAMES_BUDGET = 1500  # characters of group names in the confirmation


def compose_prompt(tr: Translator, view: ComposeView, zone: ZoneInfo) -> Reply:
    draft, rev = view.draft, view.revision
    cancel = [InlineKeyboardButton(tr._("Cancel"), callback_data=cb.BroadcastDiscard(rev).pack())]
    if draft.step is BroadcastStep.TARGETS:
        every = len(draft.groups) == len(view.groups)
        rows = [
            [
                InlineKeyboardButton(
                    f"{_mark(every)} " + tr._("All my groups"),
                    callback_data=cb.BroadcastPress(rev, "all").pack(),
                )
            ]
        ]
        if len(view.groups) <= MAX_GROUP_BUTTONS:  # beyond that, all of them or none
            rows += [
                [
                    InlineKeyboardButton(
                        f"{_mark(g.id in draft.groups)} {g.name}",
                        callback_data=cb.BroadcastPress(rev, "g", str(g.id)).pack(),
                    )
                ]
                for g in view.groups
            ]
        rows.append(
            [
                InlineKeyboardButton(
                    tr._("Next"), callback_data=cb.BroadcastPress(rev, "next").pack()
                )
            ]
        )
        return Reply(tr._("Where should I send this? Choose the groups."), [*rows, cancel])
    if draft.step is BroadcastStep.WHEN:
        rows = [
            [InlineKeyboardButton(tr._("Now"), callback_data=cb.BroadcastPress(rev, "now").pack())]
        ]
        if view.evening_ahead:
            rows.append(
                [
                    InlineKeyboardButton(
                        tr._("This evening at 18"),
                        callback_data=cb.BroadcastPress(rev, "evening").pack(),
                    )
                ]
            )
        rows.append(
            [
                InlineKeyboardButton(
                    tr._("Tomorrow at 9"), callback_data=cb.BroadcastPress(rev, "morning").pack()
                )
            ]
        )
        if view.can_wait_for_meeting:
            rows.append(
                [
                    InlineKeyboardButton(
                        tr._("At the next meeting time"),
                        callback_data=cb.BroadcastPress(rev, "meeting").pack(),
                    )
                ]
            )
        private = (
            tr._("Also to private chats: yes")
            if draft.include_private
            else tr._("Also to private chats: no")
        )
        rows.append(
            [InlineKeyboardButton(private, callback_data=cb.BroadcastPress(rev, "private").pack())]
        )
        text = tr._(
            "When should I send it? You can also type a time, for example: tomorrow 9.30 or 12.1. 10"
        )
        return Reply(text, [*rows, cancel])
    groups = names_within(tr, [g.name for g in view.chosen], NAMES_BUDGET)
    if draft.include_private:
        groups += " " + tr._("(and private chats)")
    when = {
        When.NOW: tr._("now"),
        When.AT: format_when(tr, draft.at, zone) if draft.at else "",
        When.NEXT_MEETING: tr._("at each group's next meeting time"),
    }[draft.when]
    send = InlineKeyboardButton(tr._("Send"), callback_data=cb.BroadcastConfirm(rev).pack())
    text = tr._("Send to {groups}, {when}?", groups=groups, when=when)
    # Said before the last step, not after: a chosen group whose chat will not get it.
    gaps = [GroupGap(g.id, g.name, m) for g in view.chosen if (m := view.missing(g))]
    if gaps:
        warnings = "\n".join(f"⚠️ {line}" for line in post_texts.gap_lines(tr, gaps))
        text = f"{warnings}\n\n{text}"
    return Reply(text, [[send], *post_texts.link_buttons(tr, gaps), cancel])


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
        Problem.WEEKDAY_MISMATCH: tr._(
            "The weekday and the date do not match. Please check which day you mean."
        ),
    }.get(
        invalid.problem, tr._("I did not understand the time. Please type it like: tomorrow 9.30")
    )


def queued(tr: Translator, queued: Queued, zone: ZoneInfo) -> Reply:
    patience = tr._(
        "If Telegram cannot be reached, I keep trying until {when}.",
        when=format_when(tr, queued.tried_until, zone),
    )
    if queued.immediate:
        sending = tr.ngettext("Sending to {n} chat…", "Sending to {n} chats…", queued.targets)
        return Reply(f"{sending}\n{patience}")
    text = tr.ngettext(
        "Scheduled for {when}, to {n} chat.",
        "Scheduled for {when}, to {n} chats.",
        queued.targets,
        when=format_when(tr, queued.first_due, zone),
    )
    cancel = InlineKeyboardButton(
        tr._("Cancel sending"), callback_data=cb.BroadcastCancel(queued.broadcast_id).pack()
    )
    return Reply(f"{text}\n{patience}", [[cancel]])


def no_targets(tr: Translator) -> str:
    return tr._(
        "The chosen groups have no group chat or private subscribers yet, so there is nowhere"
        " to send. Add me to the group's chat first: /links"
    )


def broadcast_progress(tr: Translator, broadcast_id: int, report: PostReport) -> Reply:
    """The leader's report: what matters first ("Sent to 4 chats."), problems only when
    there are any, each named in words."""
    progress = report.progress
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
    text = tr.ngettext("Sent to {n} chat.", "Sent to {n} chats.", progress.sent)
    if problems := post_texts.problems(tr, report):
        text += "\n\n" + problems
    if progress.failed:
        text += "\n" + tr._("You can try to send it again.")
    return Reply(text, report_buttons(tr, broadcast_id, report))


def report_buttons(
    tr: Translator, broadcast_id: int, report: PostReport
) -> list[list[InlineKeyboardButton]]:
    """The finished report's buttons, one row each: add one where it belongs."""
    progress = report.progress
    rows = []
    if progress.sent and report.offerable:  # other groups of the area might like it too
        offer = tr._("📚 Offer to the library")
        rows.append(
            [InlineKeyboardButton(offer, callback_data=cb.LibraryOffer(broadcast_id).pack())]
        )
    if progress.failed:
        again = tr.ngettext("Send again to {n} chat", "Send again to {n} chats", progress.failed)
        rows.append(
            [InlineKeyboardButton(again, callback_data=cb.BroadcastSendAgain(broadcast_id).pack())]
        )
    rows += post_texts.link_buttons(tr, report.groups)
    if progress.sent:
        rows.append(
            [
                InlineKeyboardButton(
                    tr._("Take back"), callback_data=cb.BroadcastTakeBack(broadcast_id).pack()
                )
            ]
        )
    return rows


def sending_again(tr: Translator, count: int) -> str:
    return tr.ngettext("Sending again to {n} chat.", "Sending again to {n} chats.", count)


def taking_back(tr: Translator, count: int) -> str:
    return tr.ngettext("I am deleting it from {n} chat.", "I am deleting it from {n} chats.", count)


def broadcast_cancelled(tr: Translator, count: int) -> str:
    return (
        tr._("Cancelled. It will not be sent.")
        if count
        else tr._("There was nothing left to cancel.")
    )


def scheduled_list(tr: Translator, items: list[Scheduled], zone: ZoneInfo, page: int = 0) -> Reply:
    if not items:
        return Reply(tr._("You have no scheduled messages."))
    entries = []
    for item in items:
        when = format_when(tr, item.due, zone)
        text = tr.ngettext("{when}: to {n} chat", "{when}: to {n} chats", item.targets, when=when)
        show = InlineKeyboardButton(
            tr._("Show {when}", when=when),
            callback_data=cb.BroadcastShow(item.broadcast_id).pack(),
        )
        cancel = InlineKeyboardButton(
            tr._("Cancel {when}", when=when),
            callback_data=cb.BroadcastCancel(item.broadcast_id).pack(),
        )
        entries.append(Entry(text, [[show], [cancel]]))
    return paged(tr, "scheduled", tr._("Your scheduled messages:"), entries, page, separator="\n")


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
        [InlineKeyboardButton(tr._(TOPIC_NAMES[t]), callback_data=cb.TipTopic(t).pack())]
        for t in topics
    ]
    return Reply(tr._("Tips by weekly topic. Choose a topic:"), buttons)


def tip_menu(tr: Translator, tips: list[Tip]) -> Reply:
    buttons = [[InlineKeyboardButton(t.title, callback_data=cb.TipView(t.id).pack())] for t in tips]
    return Reply(tr._("Choose a tip to see it:"), buttons)


def tip_preview(tr: Translator, tip: Tip, text: str) -> Reply:
    send = InlineKeyboardButton(
        tr._("Send this to my groups"), callback_data=cb.TipSend(tip.id).pack()
    )
    return Reply(text, [[send]])
