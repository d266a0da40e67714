"""Coordinators: the guided chat for a new group, and leader links for their groups."""

from __future__ import annotations

from telegram import Message, Update

from bot.callbacks import (
    DraftAnswer,
    DraftCancel,
    DraftConfirm,
    NewLeaderLink,
    RevokeLeaderLinks,
    SummaryWeek,
)
from bot.context import BotContext
from bot.delivery.limits import SERIES
from bot.delivery.sender import upload
from bot.documents.weekly import weekly_files
from bot.domain.dialogs import DialogKind
from bot.domain.parsing import Invalid
from bot.domain.weeks import Week, parse_week, week_of
from bot.handlers.common import (
    command_for,
    send,
)
from bot.render import general
from bot.render import groups as group_texts
from bot.render import new_group as draft_texts
from bot.render import summaries as summary_texts
from bot.render.common import Reply
from bot.services.errors import NotAllowed, Stale


async def new_group(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    view = await context.services.onboarding.start_draft(context.actor.access)
    await send(message, draft_texts.draft_prompt(context.actor.tr, view))


async def typed_answer(update: Update, context: BotContext) -> None:
    """Plain text in private: an answer to the guided chat, if one is open."""
    message = update.effective_message
    assert message and message.text is not None
    tr = context.actor.tr
    onboarding = context.services.onboarding
    access = context.actor.access
    view = await onboarding.current_draft(access)
    if view is None:
        await send(message, general.not_understood(tr))
        return
    moved = await onboarding.answer_draft(access, message.text)
    if isinstance(moved, Invalid):
        await send(message, draft_texts.draft_retry(tr, view, moved))
    else:
        await send(message, draft_texts.draft_prompt(tr, moved))


async def pressed_answer(update: Update, context: BotContext) -> None:
    """A button of the guided chat."""
    query = update.callback_query
    assert query
    tr = context.actor.tr
    data = DraftAnswer.unpack(query.data)
    moved = await context.services.onboarding.answer_draft(
        context.actor.access, data.answer, data.revision
    )
    await query.answer()
    if isinstance(moved, Invalid):
        return  # a button that does not fit this step: nothing changes
    prompt = draft_texts.draft_prompt(tr, moved)
    await query.edit_message_text(prompt.text, reply_markup=prompt.markup)


async def confirm(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    tr = context.actor.tr
    services = context.services
    try:
        created = await services.onboarding.confirm_draft(
            context.actor.access, DraftConfirm.unpack(query.data).revision
        )
    except (Stale, NotAllowed):
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    text = draft_texts.group_created(
        tr,
        created.group,
        created.sessions,
        services.zone,
        context.bot.username,
        created.leader_invite,
        services.settings.invite_days,
    )
    buttons = draft_texts.group_created_buttons(tr, created.group)
    await query.edit_message_text(text, reply_markup=buttons.markup)


async def cancel_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    user = update.effective_user
    assert query and user
    tr = context.actor.tr
    view = await context.services.onboarding.current_draft(context.actor.access)
    if view is None or DraftCancel.unpack(query.data).revision != view.revision:
        await query.answer(general.stale_button(tr))
        return
    await context.services.dialogs.end(user.id, DialogKind.NEW_GROUP)
    await query.answer()
    await query.edit_message_text(draft_texts.draft_cancelled(tr))


async def group_page(context: BotContext, page: int) -> Reply:
    """A page of /groups, read afresh (also for its page buttons)."""
    access = context.actor.access
    if not (access.is_coordinator or access.is_leader):
        raise NotAllowed
    overview = await context.services.onboarding.overview(access)
    return group_texts.group_list(context.actor.tr, overview, access.is_coordinator, page)


async def new_leader_link(update: Update, context: BotContext) -> None:
    query = update.callback_query
    message = update.effective_message
    assert query and message
    services, group_id = context.services, NewLeaderLink.unpack(query.data).group_id
    group, token = await services.onboarding.new_leader_invite(context.actor.access, group_id)
    await query.answer()
    invite = group_texts.leader_invite(
        context.actor.tr, group, context.bot.username, token, services.settings.invite_days
    )
    await send(message, invite)


async def revoke_leader_links(update: Update, context: BotContext) -> None:
    """Cancel the group's unused leader links."""
    query = update.callback_query
    message = update.effective_message
    assert query and message
    group_id = RevokeLeaderLinks.unpack(query.data).group_id
    group, count = await context.services.onboarding.revoke_leader_invites(
        context.actor.access, group_id
    )
    await query.answer()
    await send(message, group_texts.invites_revoked(context.actor.tr, group, count))


async def summary(update: Update, context: BotContext) -> None:
    """/summary [48 | viikko 49/2026 | 2026-W48]: a week's contact figures for the
    coordinator's areas."""
    start = await command_for(update, context, lambda a: a.is_coordinator)
    if start is None:
        return
    message, tr, _ = start
    services = context.services
    today = services.clock().astimezone(services.zone).date()
    week = parse_week(" ".join(context.args), today) if context.args else week_of(today)
    if isinstance(week, Invalid):
        await send(message, summary_texts.week_problem(tr, week))
        return
    await _send_summary(context, message, week)


async def summary_week_button(update: Update, context: BotContext) -> None:
    """The previous week's button under the figures."""
    query, message = update.callback_query, update.effective_message
    assert query and message
    tr, services = context.actor.tr, context.services
    data = SummaryWeek.unpack(query.data)
    today = services.clock().astimezone(services.zone).date()
    week = parse_week(f"{data.year}-W{data.week}", today)
    if isinstance(week, Invalid) or not context.actor.access.is_coordinator:
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    await _send_summary(context, message, week)


async def _send_summary(context: BotContext, message: Message, week: Week) -> None:
    tr, services = context.actor.tr, context.services
    report = await services.summaries.week(context.actor.access, week)
    await send(message, summary_texts.weekly_summary_reply(tr, report))
    if report.groups:
        for file in await weekly_files(tr, report, services.zone):
            await upload(context.bot, message.chat_id, file, kind=SERIES)  # retried, 1/s
