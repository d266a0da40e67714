"""Builds the Application: services in post_init, cleanly closed in post_shutdown."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import handlers, jobs
from bot.config import Settings, pseudonym_key
from bot.context import BotContext, RyhmaApp, Services
from bot.db import migrate as migrations
from bot.db.database import Database
from bot.db.migrate import MigrationError
from bot.delivery.content import Writer
from bot.delivery.limits import TelegramLimits
from bot.delivery.reports import Reporter
from bot.delivery.sender import Sender
from bot.domain.clock import Clock, system_clock
from bot.domain.escalation import Timing
from bot.i18n import translator
from bot.menus import set_default_menus, set_personal_menu
from bot.render.broadcasts import missed
from bot.services.action_plans import ActionPlans
from bot.services.broadcasts import Broadcasts
from bot.services.buddies import Buddies
from bot.services.checkins import Checkins
from bot.services.contact_log import ContactLog
from bot.services.dialogs import Dialogs
from bot.services.escalation import Escalations
from bot.services.leaders_mail import LeadersMail
from bot.services.leadership import Leadership
from bot.services.library import Library
from bot.services.library_items import LibraryItems
from bot.services.meetings import Meetings
from bot.services.messages import Messages
from bot.services.onboarding import Onboarding
from bot.services.outbox import Outbox
from bot.services.outside_contacts import OutsideContacts
from bot.services.people import People
from bot.services.privacy import Privacy
from bot.services.reminders import Reminders
from bot.services.summaries import Summaries
from bot.services.welfare import Welfare
from bot.updates import InOrderPerPerson, LeanUpdatesRequest

logger = logging.getLogger(__name__)

# A timer that fires late (a busy loop) must still run: APScheduler's default
# grace of one second would drop it silently. The database stays the record.
MISFIRE_GRACE_SECONDS = 3600
# Every text from bot/render is HTML (names escaped there), sent without link previews
# and without quoting the message it answers.
TEXTS = Defaults(
    parse_mode=ParseMode.HTML,
    link_preview_options=LinkPreviewOptions(is_disabled=True),
    do_quote=False,
)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    clock: Clock = system_clock,
) -> RyhmaApp:
    builder = (
        Application.builder()
        .token(settings.token)
        .base_url(f"{settings.api_base}/bot")
        .base_file_url(f"{settings.api_base}/file/bot")
        .context_types(ContextTypes(context=BotContext))
        .defaults(TEXTS)
        .rate_limiter(TelegramLimits())
        # Different people at once; one person's (and one chat's) updates in order.
        .concurrent_updates(InOrderPerPerson())
        .post_init(lambda app: _start_services(app, settings, clock))
        .post_stop(_stop_sending)
        .post_shutdown(_stop_services)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    else:
        builder = builder.get_updates_request(
            LeanUpdatesRequest(connection_pool_size=1)  # PTB's own for getUpdates, leaner
        )
    app: RyhmaApp = builder.build()
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    # configure() replaces the whole configuration, so PTB's own (its executor) goes in too.
    app.job_queue.scheduler.configure(
        job_defaults={"misfire_grace_time": MISFIRE_GRACE_SECONDS, "coalesce": True},
        **app.job_queue.scheduler_configuration,
    )
    handlers.register(app)
    return app


async def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """The database, brought up to date; or, with migrate=False (admin commands that
    may run beside the bot), refused unless it already has this code's schema."""
    path = settings.database_path
    if not migrate and not path.exists():
        raise MigrationError(f"there is no database at {path} yet: start the bot once first")
    db = await Database.open(path)
    try:
        if migrate:
            applied = await migrations.migrate(db)
            if applied:
                logger.info("database migrated to schema %s", applied[-1])
        else:
            await migrations.require_current(db)
    except BaseException:
        await db.close()
        raise
    return db


def build_services(settings: Settings, db: Database, clock: Clock) -> Services:
    key, notice = pseudonym_key(settings)
    if notice:
        logger.warning(notice)
    contact_log = ContactLog(key, clock, settings.zone)
    library = Library.load()
    outbox = Outbox(db, clock, contact_log)
    window = timedelta(hours=settings.checkin_window_hours)
    welfare = Welfare(db, settings.zone, clock)
    retention = timedelta(days=settings.retention_days)
    action_plans = ActionPlans(db, clock, contact_log)
    buddies = Buddies(db, clock, settings.zone, contact_log, outbox)
    leadership = Leadership(db, clock, settings.zone)
    return Services(
        settings=settings,
        clock=clock,
        db=db,
        people=People(db, clock, settings.coordinator_ids, settings.default_language),
        onboarding=Onboarding(
            db,
            clock,
            settings.zone,
            timedelta(days=settings.invite_days),
            contact_log,
            settings.coordinator_ids,
            buddies=buddies,
        ),
        contact_log=contact_log,
        outbox=outbox,
        broadcasts=Broadcasts(
            db,
            clock,
            settings.zone,
            contact_log,
            timedelta(hours=settings.broadcast_deadline_hours),
        ),
        library=library,
        library_items=LibraryItems(db, clock, outbox, settings.coordinator_ids),
        meetings=Meetings(db, clock, settings.zone, outbox),
        reminders=Reminders(db, clock, settings.zone, outbox),
        checkins=Checkins(db, clock, contact_log, outbox, library, action_plans, window),
        action_plans=action_plans,
        dialogs=Dialogs(db),
        outside_contacts=OutsideContacts(db, contact_log, clock, settings.zone),
        privacy=Privacy(db, contact_log, clock, retention, welfare, buddies=buddies),
        summaries=Summaries(
            db,
            settings.zone,
            clock,
            outbox,
            settings.coordinator_ids,
            settings.summary_time,
            contact_log,
            leadership,
        ),
        welfare=welfare,
        buddies=buddies,
        messages=Messages(db, clock),
        escalations=Escalations(
            db,
            clock,
            contact_log,
            outbox,
            Timing(timedelta(hours=settings.contact_escalation_hours)),
            settings.coordinator_ids,
        ),
        leadership=leadership,
        leaders_mail=LeadersMail(
            db,
            clock,
            outbox,
            timedelta(hours=settings.broadcast_deadline_hours),
            settings.coordinator_ids,
        ),
    )


async def _start_services(app: RyhmaApp, settings: Settings, clock: Clock) -> None:
    db = await open_database(settings)
    services = build_services(settings, db, clock)
    app.bot_data["services"] = services
    await set_default_menus(app.bot, settings.default_language)
    for user_id in await services.people.staff():
        access = await services.people.access(user_id)
        language = await services.people.stored_language(user_id)
        await set_personal_menu(app.bot, user_id, access.role_name, language)
    await _start_sending(app, services)
    logger.info("started as @%s", app.bot.username)


def build_writer(services: Services) -> Writer:
    """What writes the bot's own messages at send time, each feature's kind by its service."""
    return Writer(
        services.library,
        services.checkins,
        services.action_plans,
        services.people,
        services.summaries,
        services.zone,
        buddies=services.buddies,
        reminders=services.reminders,
        escalations=services.escalations,
        items=services.library_items,
    )


async def _start_sending(app: RyhmaApp, services: Services) -> None:
    """Resume the outbox: what was in flight goes again, what is too late is reported."""
    resent = await services.outbox.recover()
    grace = timedelta(minutes=services.settings.broadcast_grace_minutes)
    for broadcast_id in await services.outbox.mark_missed(grace):
        leader = await services.broadcasts.leader(broadcast_id)
        if leader is not None:
            tr = translator(await services.people.stored_language(leader))
            try:
                await app.bot.send_message(leader, missed(tr))
            except TelegramError as error:  # a leader who blocked the bot must not stop it
                logger.warning("could not tell a leader of a missed post: %s", type(error).__name__)
    if resent:
        logger.info("%s deliveries were in flight at the last stop; sending them again", resent)
    reporter = Reporter(app.bot, services.outbox, services.broadcasts, services.people)
    sender = Sender(
        app.bot,
        services.outbox,
        services.clock,
        build_writer(services),
        reporter.settled,
    )
    app.bot_data["reporter"] = reporter
    app.bot_data["sender"] = sender

    # Start sending once the application runs: a background task begun in post_init
    # would have HTTP requests open while PTB stops and restarts the event loop between
    # its start-up steps, which breaks httpx's connection pool.
    async def begin(_: object) -> None:
        sender.start()

    assert app.job_queue is not None
    app.job_queue.run_once(begin, 0, name="outbox-sender")
    await jobs.arm_all(app.job_queue, services)


async def _stop_sending(app: RyhmaApp) -> None:
    sender, reporter = app.bot_data.get("sender"), app.bot_data.get("reporter")
    if isinstance(sender, Sender):
        await sender.stop()
    if isinstance(reporter, Reporter):
        await reporter.stop()


async def _stop_services(app: RyhmaApp) -> None:
    services = app.bot_data.get("services")
    if isinstance(services, Services):
        await services.db.close()
    logger.info("stopped")
