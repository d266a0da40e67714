"""Broadcasts through the real program: photo, album and text, now and scheduled, with
restarts and a crash in the middle of a send."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections import Counter
from datetime import timedelta
from typing import Any

from bot.domain.clock import system_clock, to_db
from bot.domain.parsing import Invalid
from tests.e2e.conftest import BotProcess, in_process, settled
from tests.e2e.test_onboarding_e2e import ANSWERS
from tests.service.world import LEADER, build_world
from tests.support.fake_server import FakeBotApiServer
from tests.support.fake_telegram import FakeTelegram

TARGETS = [-200, -100, 3001, 3002, 3003, 3004]


async def compose(bot: BotProcess, seen: int) -> None:
    """From a leader's post (queued after call number `seen`) to a confirmed send to both
    groups (chosen already: the usual choice), now."""
    fake = bot.fake

    def reply_since(mark: int) -> Any:
        return lambda c: (
            c.method in ANSWERS
            and c.params.get("chat_id") == LEADER
            and any(c is x for x in fake.calls[mark:])
        )

    await bot.reply(reply_since(seen), timeout=15)
    for label in ("Seuraava", "Nyt", "Lähetä"):
        message = fake.sent_messages(LEADER)[-1]
        rows = message["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
        mark = len(fake.calls)
        fake.callback_query(LEADER, message, data)
        await bot.reply(reply_since(mark))


def copies(fake: FakeTelegram, method: str) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in fake.calls_to(method) if c.status == 200)


async def test_photo_album_and_text_to_two_groups(bot: BotProcess) -> None:
    services = await in_process(bot)
    await build_world(services)
    await services.db.close()
    await bot.start()
    await bot.started()
    fake = bot.fake

    seen = len(fake.calls)
    fake.photo_message(LEADER, caption="Kuva retkeltä")
    await compose(bot, seen)
    await fake.wait_for(lambda c: sorted(copies(fake, "copyMessage")) == TARGETS)

    seen = len(fake.calls)
    album = [fake.photo_message(LEADER, media_group_id="album-1") for _ in range(3)]
    await compose(bot, seen)  # one question for the three parts
    await fake.wait_for(lambda c: sorted(copies(fake, "copyMessages")) == TARGETS)
    ids = [a["message"]["message_id"] for a in album]
    assert all(c.params["message_ids"] == ids for c in fake.calls_to("copyMessages"))

    seen = len(fake.calls)
    fake.private_message(LEADER, "Hyvää viikonloppua!")
    await compose(bot, seen)
    await fake.wait_for(lambda c: all(copies(fake, "copyMessage")[t] == 2 for t in TARGETS))

    # Nothing was uploaded or re-sent as new content: only copies.
    assert not [c for c in fake.calls if c.method.startswith("send") and c.method != "sendMessage"]
    assert all(c.params["chat_id"] == LEADER for c in fake.calls_to("sendMessage"))
    report = await fake.wait_for(
        lambda c: (
            c.method == "editMessageText" and c.params.get("text") == "Lähetetty 6 keskusteluun."
        )
    )
    assert report.params["chat_id"] == LEADER
    assert await bot.stop() == 0


async def test_a_crash_mid_send_and_restarts_before_scheduled_times(
    bot: BotProcess, api: tuple[FakeTelegram, FakeBotApiServer, str]
) -> None:
    fake, server, _ = api
    bot.env["BROADCAST_GRACE_MINUTES"] = "0"  # a post that falls due while down is missed
    services = await in_process(bot)
    await build_world(services)
    await services.db.close()
    await bot.start()
    await bot.started()

    # The first copy reaches its chat but its answer never comes back: the bot is killed.
    server.delay_next("copyMessage", 30)
    seen = len(fake.calls)
    fake.private_message(LEADER, "Tärkeä viesti")
    await compose(bot, seen)
    await fake.wait_for(lambda c: c.method == "copyMessage")
    await settled(bot, in_flight_allowed=True)  # the rest of the send has gone out
    bot.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
    await bot.process.wait()  # type: ignore[union-attr]
    fake.release_pollers()

    # While it is down: two posts scheduled an hour ahead. One is then made to have fallen
    # due ten minutes ago (beyond the grace of 0 minutes): it is missed, not sent late.
    # Time is moved in the database, never raced against: no deadline a few seconds ahead.
    services = await in_process(bot)
    access = await services.people.access(LEADER)
    in_flight = (
        await services.db.fetch_one("SELECT count(*) FROM deliveries WHERE state = 'sending'")
    )[0]
    scheduled = {}
    for text in ("Myöhästyvä", "Ajastettu"):
        source = fake.private_message(LEADER, text)["message"]
        view = await services.broadcasts.start(
            access, chat_id=LEADER, message_id=source["message_id"]
        )
        assert view.draft.groups == (1, 2)  # the usual choice: both, as last time
        view = await services.broadcasts.press(access, view.revision, "next")
        at = (system_clock() + timedelta(hours=1)).astimezone(services.zone).isoformat()
        view = await services.broadcasts.press(access, view.revision, "at", at)
        assert not isinstance(view, Invalid)
        queued = await services.broadcasts.confirm(access, view.revision)
        scheduled[text] = queued.broadcast_id
    await services.db.close()
    move_due(bot, scheduled["Myöhästyvä"], timedelta(minutes=-10))

    await bot.start()
    await bot.started()
    missed = await bot.reply(
        lambda c: c.method == "sendMessage" and "ei lähetetty ajallaan" in str(c.params.get("text"))
    )
    assert missed.params["chat_id"] == LEADER

    # Everything of the interrupted send arrives; only what was in flight may come twice.
    first_source = fake.calls_to("copyMessage")[0].params["message_id"]

    def arrived(source_id: int) -> Counter[int]:
        return Counter(
            c.params["chat_id"]
            for c in fake.calls_to("copyMessage")
            if c.params["message_id"] == source_id
        )

    await fake.wait_for(lambda c: set(arrived(first_source)) == set(TARGETS), timeout=30)
    duplicates = sum(n - 1 for n in arrived(first_source).values())
    assert duplicates <= in_flight

    # A restart before the scheduled time loses nothing: the post still waits for its time.
    assert await bot.stop() == 0
    assert delivery_states(bot, scheduled["Ajastettu"]) == {"pending"}
    # Its time comes while the bot is down, within a grace of an hour: sent late, once.
    move_due(bot, scheduled["Ajastettu"], timedelta(minutes=-1))
    bot.env["BROADCAST_GRACE_MINUTES"] = "60"
    await bot.start()
    await bot.started()
    await wait_until_sent(bot, scheduled["Ajastettu"])
    assert await bot.stop() == 0

    def copied(text: str) -> list[int]:
        return sorted(
            c.params["chat_id"]
            for c in fake.calls_to("copyMessage")
            if text in str(fake.messages.get((LEADER, c.params["message_id"]), {}).get("text"))
        )

    assert copied("Ajastettu") == TARGETS
    assert copied("Myöhästyvä") == []
    assert delivery_states(bot, scheduled["Myöhästyvä"]) == {"missed"}


def move_due(bot: BotProcess, broadcast_id: int, from_now: timedelta) -> None:
    """Make a stopped bot's scheduled post fall due `from_now` (negative: in the past)."""
    due = to_db(system_clock() + from_now)
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        db.execute("UPDATE deliveries SET due_at = ? WHERE broadcast_id = ?", (due, broadcast_id))


def delivery_states(bot: BotProcess, broadcast_id: int) -> set[str]:
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        rows = db.execute("SELECT state FROM deliveries WHERE broadcast_id = ?", (broadcast_id,))
        return {state for (state,) in rows}


async def wait_until_sent(bot: BotProcess, broadcast_id: int, timeout: float = 60) -> None:
    """Wait for the event (every delivery settled as sent), with a generous timeout."""
    async with asyncio.timeout(timeout):
        while delivery_states(bot, broadcast_id) != {"sent"}:
            await asyncio.sleep(0.05)


async def test_more_failures_than_the_old_give_up_count_lose_nothing(
    bot: BotProcess, api: tuple[FakeTelegram, FakeBotApiServer, str]
) -> None:
    """Each copy meets 12 failures in a row (two proxy 502s, then ten 429s), more than the
    8 attempts after which the outbox used to give up: every chat still gets it once."""
    services = await in_process(bot)
    await build_world(services)
    await services.db.close()
    await bot.start()
    await bot.started()
    fake, server, _ = api
    for _ in range(2 * len(TARGETS)):
        server.error_next("copyMessage", 502)
    for _ in range(10 * len(TARGETS)):
        fake.fail_next(
            "copyMessage", 429, "Too Many Requests: retry after 1", parameters={"retry_after": 1}
        )
    seen = len(fake.calls)
    fake.private_message(LEADER, "Tavataan taas!")
    await compose(bot, seen)
    await fake.wait_for(
        lambda c: (
            c.method == "editMessageText" and c.params.get("text") == "Lähetetty 6 keskusteluun."
        ),
        timeout=120,
    )
    assert copies(fake, "copyMessage") == Counter({t: 1 for t in TARGETS})
    assert len([c for c in fake.calls_to("copyMessage") if c.status == 429]) == 10 * len(TARGETS)
