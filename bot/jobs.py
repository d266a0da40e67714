"""Thin job callbacks. Timers only wake the code up: the database says what is due, and
at start-up the timers are armed again from it (JobQueue's jobs live in memory)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram.error import TelegramError
from telegram.ext import JobQueue

from bot.context import BotContext, Services
from bot.handlers import checkin_copies
from bot.i18n import translator
from bot.render import groups as group_texts

SWEEP_SECONDS = 300  # a safety net for a timer that was lost
DAY = 24 * 3600

logger = logging.getLogger(__name__)


async def open_checkins(context: BotContext) -> None:
    """Planned check-ins open: whoever joined since they were planned gets them too."""
    if await context.services.checkins.open_due():
        context.sender.wake()


async def arm_opening(queue: JobQueue[Any], services: Services) -> None:
    """A timer for each planned check-in's opening, by the services' clock (a test's clock
    may differ from the scheduler's); one already past fires at once."""
    now = services.clock()
    for opens in await services.checkins.opening_times():
        name = f"open-checkins:{opens.isoformat()}"
        if not queue.get_jobs_by_name(name):
            queue.run_once(open_checkins, max(opens - now, timedelta(0)), name=name)


async def arm_checkins(queue: JobQueue[Any], services: Services) -> None:
    await arm_opening(queue, services)
    await arm_closing(queue, services)


async def close_checkins(context: BotContext) -> None:
    """Close the check-ins whose window has ended; their summaries go through the outbox."""
    closed = await context.services.checkins.close_due()
    if closed:
        context.sender.wake()
        await checkin_copies.close_copies(context, closed)


async def arm_closing(queue: JobQueue[Any], services: Services) -> None:
    """A timer for each open check-in's closing time; one already past fires at once."""
    now = services.clock()
    for closes in await services.checkins.closing_times():
        name = f"close-checkins:{closes.isoformat()}"
        if not queue.get_jobs_by_name(name):
            queue.run_once(close_checkins, max(closes, now), name=name)


async def send_reminders(context: BotContext) -> None:
    """Meeting reminders that are due go to the outbox (each claimed once); the next one
    gets its timer."""
    services = context.services
    if await services.reminders.queue_due():
        context.sender.wake()
    if context.job_queue:
        await arm_reminders(context.job_queue, services)


async def arm_reminders(queue: JobQueue[Any], services: Services) -> None:
    """A timer for the next reminder due (the sweep catches any other)."""
    due = await services.reminders.next_time()
    if due is None:
        return
    name = f"reminders:{due.isoformat()}"
    if not queue.get_jobs_by_name(name):
        queue.run_once(send_reminders, max(due - services.clock(), timedelta(0)), name=name)


async def ask_about_follow_ups(context: BotContext) -> None:
    """Hourly: leaders of a group whose last session is past are asked once."""
    if await context.services.reminders.ask_about_follow_up():
        context.sender.wake()


async def expire_personal_data(context: BotContext) -> None:
    """Daily: personal rows of groups that ended long enough ago go; only counts are logged."""
    expired = await context.services.privacy.expire()
    if expired.groups or expired.plans:
        logger.info(
            "retention: %s ended groups cleared (%s memberships), %s old action plans deleted",
            expired.groups,
            expired.memberships,
            expired.plans,
        )


async def finish_erasure(context: BotContext) -> None:
    """Every few minutes: wipe the log after an erasure that a reader held up."""
    if not await context.services.privacy.finish():
        logger.warning("an erasure still waits for the database log to be wiped")


async def weekly_summaries(context: BotContext) -> None:
    """Hourly: after the Monday sending time, last week's figures are queued once."""
    if await context.services.summaries.queue_weekly():
        context.sender.wake()


async def leave_unbound(context: BotContext) -> None:
    """The time to bind a chat is over: leave it, if it is still unbound and its leave
    still pending (not done early, nor the bot removed meanwhile)."""
    job = context.job
    assert job and job.chat_id is not None
    if await context.services.onboarding.leave_due(job.chat_id):
        await say_goodbye(context, job.chat_id)


async def say_goodbye(context: BotContext, chat_id: int) -> None:
    """Say how to bind a chat, then leave it."""
    tr = translator(context.services.settings.default_language)
    try:
        await context.bot.send_message(chat_id, group_texts.unbound_chat(tr))
        await context.bot.leave_chat(chat_id)
    except TelegramError as error:  # already gone: nothing to leave
        logger.info("leaving an unbound chat: %s", type(error).__name__)


def arm_leave(queue: JobQueue[Any], services: Services, chat_id: int, due: datetime) -> None:
    queue.run_once(
        leave_unbound,
        max(due - services.clock(), timedelta(0)),
        chat_id=chat_id,
        name=f"unbound:{chat_id}",
    )


async def ask_buddies(context: BotContext) -> None:
    """Phone buddies whose week is up are asked whether they talked; the next is armed."""
    services = context.services
    if await services.buddies.ask_due():
        context.sender.wake()
    due = await services.buddies.next_question()
    if context.job_queue is not None and due is not None and due > services.clock():
        await arm_buddies(context.job_queue, services)


async def arm_buddies(queue: JobQueue[Any], services: Services) -> None:
    """A timer for the next weekly buddy question; one already past fires at once."""
    due = await services.buddies.next_question()
    if due is not None:
        name = f"ask-buddies:{due.isoformat()}"
        if not queue.get_jobs_by_name(name):
            queue.run_once(ask_buddies, max(due - services.clock(), timedelta(0)), name=name)


async def escalate_contacts(context: BotContext) -> None:
    """Contact requests no one has handled: the leaders' reminder, then the coordinators.
    The next step's timer is armed again from the database."""
    if await context.services.escalations.take_due_steps():
        context.sender.wake()
    if context.job_queue is not None:
        await arm_escalations(context.job_queue, context.services)


async def arm_escalations(queue: JobQueue[Any], services: Services) -> None:
    """A timer for the next reminder or escalation due; one already past fires at once."""
    due = await services.escalations.next_due()
    if due is None:
        return
    name = f"escalate-contacts:{due.isoformat()}"
    if not queue.get_jobs_by_name(name):
        delay = max(due - services.clock(), timedelta(0))
        queue.run_once(escalate_contacts, delay, name=name)


async def arm_all(queue: JobQueue[Any], services: Services) -> None:
    await arm_checkins(queue, services)
    await arm_buddies(queue, services)
    await arm_escalations(queue, services)
    for chat_id, due in await services.onboarding.pending_leaves():
        arm_leave(queue, services, chat_id, due)
    # first=5: a Monday missed while the bot was down is sent soon after the start
    queue.run_repeating(weekly_summaries, 3600, first=5, name="weekly-summaries")
    queue.run_repeating(expire_personal_data, DAY, first=60, name="retention")
    queue.run_repeating(finish_erasure, SWEEP_SECONDS, first=SWEEP_SECONDS, name="erasure")
    queue.run_repeating(
        close_checkins,
        SWEEP_SECONDS,
        first=SWEEP_SECONDS,
        name="close-checkins:sweep",
    )
    queue.run_repeating(
        open_checkins, SWEEP_SECONDS, first=SWEEP_SECONDS, name="open-checkins:sweep"
    )
    queue.run_repeating(ask_buddies, SWEEP_SECONDS, first=SWEEP_SECONDS, name="ask-buddies:sweep")
    # first=5: reminders that fell due while the bot was down go soon after the start
    queue.run_repeating(send_reminders, SWEEP_SECONDS, first=5, name="reminders:sweep")
    queue.run_repeating(ask_about_follow_ups, 3600, first=60, name="follow-ups")
    queue.run_repeating(
        escalate_contacts, SWEEP_SECONDS, first=SWEEP_SECONDS, name="escalate-contacts:sweep"
    )
