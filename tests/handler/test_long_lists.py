"""Lists that outgrow one message: 1,000 groups in one area. Every text stays within 4,096
characters and every keyboard within 100 buttons, and nothing is lost: each group is on
some page, or in the attached files."""

from __future__ import annotations

import io
import re
from datetime import date, time
from typing import Any

import openpyxl
import pytest

from bot.db import groups as groups_sql
from bot.db import people as people_sql
from bot.domain.models import Role
from bot.domain.schedule import session_starts
from tests.conftest import GLOBAL_COORDINATOR
from tests.handler.conftest import Harness
from tests.support.fake_telegram import Upload
from tests.support.tg_objects import MAX_BUTTONS, MAX_TEXT, utf16_len

GROUPS = 1000
LEADER = 2001
NOT_ALLOWED = "Anteeksi, tämä ei ole käytössäsi."


def names() -> list[str]:
    # Long names with a character that HTML escapes, to fill pages as real names do.
    return [f"Ryhmä {n:04d} – Kuopion keskusta & lähialueet" for n in range(GROUPS)]


async def many_groups(h: Harness) -> None:
    """Straight into the database: the guided chat 1,000 times would take minutes. The
    groups meet on Tuesdays from 3.11.2026, so they are running in week 2026-W48."""
    services = h.services
    now = services.clock()
    starts = session_starts(date(2026, 11, 3), time(17, 30), 6, services.zone)
    async with services.db.transaction() as tx:
        area = await groups_sql.area_by_name(tx, "Kuopio", create=True)
        assert area is not None
        await people_sql.ensure_person(tx, LEADER, "fi")
        for name in names():
            group_id = await groups_sql.insert_group(
                tx,
                area_id=area.id,
                name=name,
                language="fi",
                first_date=date(2026, 11, 3),
                local_time=time(17, 30),
                starts=starts,
                now=now,
            )
            await people_sql.add_membership(tx, group_id, LEADER, Role.LEADER)


def buttons(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


def within_limits(message: dict[str, Any]) -> None:
    assert utf16_len(str(message["text"])) <= MAX_TEXT
    assert len(buttons(message)) <= MAX_BUTTONS


async def every_page(h: Harness, user: int, command: str) -> list[dict[str, Any]]:
    """Send the command, then press 'next' until the last page; each page as shown."""
    message = await h.say(user, command)
    pages = [dict(message)]
    while nexts := [d for d in buttons(message) if d == f"pg:{_view(command)}:{len(pages)}"]:
        await h.press(user, message, nexts[0])
        message = h.last(user)
        pages.append(dict(message))
    return pages


def _view(command: str) -> str:
    return command.lstrip("/").replace("/", "")


async def test_groups_pages_through_a_thousand_groups(harness: Harness) -> None:
    h = harness
    await many_groups(h)
    pages = await every_page(h, GLOBAL_COORDINATOR, "/groups")
    assert len(pages) > 1
    for page in pages:
        within_limits(page)
    shown = "".join(str(p["text"]) for p in pages)
    assert all(shown.count(name) == 1 for name in names())  # each group on exactly one page
    links = [d for p in pages for d in buttons(p) if d.startswith("gl:")]
    assert len(set(links)) == GROUPS
    assert "Sivu 2/" in str(pages[1]["text"]) or "Sivu 2 " in str(pages[1]["text"])
    # A page past the end (the list got shorter, or forged data) is an old button.
    await h.press(GLOBAL_COORDINATOR, pages[-1], f"pg:groups:{len(pages) + 5}", forged=True)
    assert h.fake.calls_to("answerCallbackQuery")[-1].params["text"].startswith("Tämä nappi")
    # A double tap edits the page into what it shows already: no error, no reply.
    sent = len(h.fake.calls_to("sendMessage"))
    await h.press(GLOBAL_COORDINATOR, pages[-1], f"pg:groups:{len(pages) - 1}", forged=True)
    assert len(h.fake.calls_to("sendMessage")) == sent


async def test_meetings_page_through_a_thousand_groups(harness: Harness) -> None:
    h = harness
    await many_groups(h)
    pages = await every_page(h, LEADER, "/meetings")
    assert len(pages) > 1
    for page in pages:
        within_limits(page)
    shown = "".join(str(p["text"]) for p in pages)
    assert all(shown.count(name) == 1 for name in names())


async def test_summary_keeps_to_totals_and_puts_every_group_in_the_files(
    harness: Harness,
) -> None:
    h = harness
    await many_groups(h)
    async with h.services.db.transaction() as tx:  # a storm: every meeting of the week off
        await tx.execute("UPDATE sessions SET state = 'cancelled', reason = 'weather'")
    seen = len(h.fake.calls)
    await h.say(GLOBAL_COORDINATOR, "/summary 2026-W48")
    texts = [c for c in h.fake.calls[seen:] if c.method == "sendMessage" and c.status == 200]
    (summary,) = texts
    text = str(summary.params["text"])
    assert utf16_len(text) <= MAX_TEXT
    assert "1000 ryhmää" in text and "Kaikkien ryhmien luvut ovat liitteinä" in text
    # The groups without contact: as many names as a person reads, the rest counted.
    assert "Ei yhteydenpitoa viikon aikana: Ryhmä 0000" in text
    assert re.search(r"ja 9[0-9]{2} muuta", text)
    assert sorted(names()) == sorted(set(_xlsx_groups(h, seen)) - {"Yhteensä"})


async def test_the_monday_summary_for_a_thousand_groups_is_sent(harness: Harness) -> None:
    h = harness
    await many_groups(h)
    h.services.clock.now = h.services.clock.now.replace(day=30, hour=7)  # type: ignore[attr-defined]
    assert await h.services.summaries.queue_weekly()
    h.app.bot_data["sender"].wake()
    await h.fake.wait_for(
        lambda c: c.method == "sendDocument" and str(_upload(c).filename).endswith(".csv"),
        timeout=60,
    )
    (text,) = [
        str(c.params["text"])
        for c in h.fake.calls_to("sendMessage")
        if c.params.get("chat_id") == GLOBAL_COORDINATOR and c.status == 200
    ]
    assert "viikko 48/2026" in text and utf16_len(text) <= MAX_TEXT
    assert sorted(names()) == sorted(set(_xlsx_groups(h, 0)) - {"Yhteensä"})


def _upload(call: Any) -> Upload:
    file = call.params.get("document") or call.params.get("photo")
    assert isinstance(file, Upload)
    return file


def _xlsx_groups(h: Harness, after: int) -> list[str]:
    (call,) = [
        c
        for c in h.fake.calls[after:]
        if c.method == "sendDocument" and _upload(c).filename.endswith(".xlsx")
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(_upload(call).data)).worksheets[0]
    return [str(row[0]) for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]]


@pytest.mark.parametrize(
    ("command", "data"), [("/links", "ln:"), ("/checkin", "ck:"), ("/contact", "lg:")]
)
async def test_a_leaders_group_pickers_page_through_a_thousand_groups(
    harness: Harness, command: str, data: str
) -> None:
    h = harness
    await many_groups(h)
    pages = await every_page(h, LEADER, command)
    assert len(pages) > 1
    for page in pages:
        within_limits(page)
    chosen = {d.split(":")[1] for p in pages for d in buttons(p) if d.startswith(data)}
    assert len(chosen) == GROUPS  # every group on some page, each once


async def test_a_country_of_municipalities_is_typed_not_pressed(harness: Harness) -> None:
    h = harness
    async with h.services.db.transaction() as tx:
        for number in range(150):
            await groups_sql.area_by_name(tx, f"Kunta {number:03}", create=True)
    await h.say(GLOBAL_COORDINATOR, "/newgroup")
    prompt = await h.say(GLOBAL_COORDINATOR, "Tiistairyhmä")
    within_limits(prompt)
    assert "Kirjoita sen nimi" in prompt["text"]
    assert "Milloin" in (await h.say(GLOBAL_COORDINATOR, "Kunta 123"))["text"]


async def test_a_post_to_a_thousand_groups_stays_within_the_limits(harness: Harness) -> None:
    h = harness
    await many_groups(h)
    prompt = await h.say(LEADER, "Hyvää viikonloppua kaikille!")
    within_limits(prompt)
    # All of them are chosen already (a first post): "All my groups" is marked.
    assert any(b["text"].startswith("✅") for b in prompt["reply_markup"]["inline_keyboard"][0])
    await h.press(
        LEADER, h.last(LEADER), next(d for d in buttons(h.last(LEADER)) if d.endswith(":next"))
    )
    await h.press(
        LEADER, h.last(LEADER), next(d for d in buttons(h.last(LEADER)) if d.endswith(":now"))
    )
    confirm = h.last(LEADER)
    within_limits(confirm)
    assert re.search(r"ja 9[0-9]{2} muuta", confirm["text"])


async def every_page_of(
    h: Harness, user: int, message: dict[str, Any], view: str
) -> list[dict[str, Any]]:
    """From a list's first page, press 'next' until the last page; each page as shown."""
    pages = [dict(message)]
    while nexts := [
        d for d in buttons(message) if re.fullmatch(rf"pg:{view}:{len(pages)}(:\d+)?", d)
    ]:
        await h.press(user, message, nexts[0])
        message = h.last(user)
        pages.append(dict(message))
    return pages


async def test_a_message_to_leaders_can_go_to_any_of_a_thousand_groups(harness: Harness) -> None:
    h = harness
    await many_groups(h)
    await h.say(GLOBAL_COORDINATOR, "/leaders")
    first = await h.say(GLOBAL_COORDINATOR, "Hei kaikki ohjaajat")
    pages = await every_page_of(h, GLOBAL_COORDINATOR, first, "leaders")
    assert len(pages) > 1
    for page in pages:
        within_limits(page)
        assert any(d.startswith("ldpa:") for d in buttons(page))  # 'All' on every page
        assert any(d.startswith("ldok:") for d in buttons(page))  # and 'Send'
    picks = [d for p in pages for d in buttons(p) if d.startswith("ldp:")]
    assert len({d.split(":")[2] for d in picks}) == GROUPS  # every group is a button

    # A group far down the list chosen: the message stays on its page, the choice shown.
    last = pages[-1]
    pick = [d for d in buttons(last) if d.startswith("ldp:")][-1]
    await h.press(GLOBAL_COORDINATOR, last, pick)
    shown = h.last(GLOBAL_COORDINATOR)
    assert f"Sivu {len(pages)}/{len(pages)}" in str(shown["text"])
    assert "Valittu: 1 ohjaaja." in str(shown["text"])
    assert "✅ Ryhmä 0999" in str(shown["reply_markup"])
    every = next(d for d in buttons(shown) if d.startswith("ldpa:"))
    await h.press(GLOBAL_COORDINATOR, shown, every)  # 'All my groups', from the last page
    shown = h.last(GLOBAL_COORDINATOR)
    assert f"Sivu {len(pages)}/{len(pages)}" in str(shown["text"])
    assert "✅ Kaikki ryhmäni" in str(shown["reply_markup"])
    send = next(d for d in buttons(shown) if d.startswith("ldok:"))
    await h.press(GLOBAL_COORDINATOR, shown, send)
    await h.fake.wait_for(
        lambda c: c.method == "copyMessage" and c.params["chat_id"] == LEADER, timeout=60
    )


async def test_a_group_with_many_leaders_pages_its_leader_list(harness: Harness) -> None:
    h = harness
    leaders = [5000 + n for n in range(250)]
    services = h.services
    now = services.clock()
    starts = session_starts(date(2026, 11, 3), time(17, 30), 6, services.zone)
    async with services.db.transaction() as tx:
        area = await groups_sql.area_by_name(tx, "Kuopio", create=True)
        assert area is not None
        group_id = await groups_sql.insert_group(
            tx,
            area_id=area.id,
            name="Iso ryhmä",
            language="fi",
            first_date=date(2026, 11, 3),
            local_time=time(17, 30),
            starts=starts,
            now=now,
        )
        for leader in leaders:
            await people_sql.ensure_person(tx, leader, "fi")
            await people_sql.add_membership(tx, group_id, leader, Role.LEADER)
    groups = await h.say(GLOBAL_COORDINATOR, "/groups")
    await h.press(GLOBAL_COORDINATOR, groups, f"ldl:{group_id}")
    pages = await every_page_of(h, GLOBAL_COORDINATOR, h.last(GLOBAL_COORDINATOR), "leadership")
    assert len(pages) > 1
    for page in pages:
        within_limits(page)
        assert f"gl:{group_id}" in buttons(page)  # a new leader link from every page
    removes = [d for p in pages for d in buttons(p) if d.startswith("ldr:")]
    assert sorted(int(d.split(":")[2]) for d in removes) == leaders
    assert "250. " in str(pages[-1]["text"])  # numbered across the pages
    # A page button of a group's list without its group is forged: refused, nothing edited.
    edits = len(h.fake.calls_to("editMessageText"))
    await h.press(GLOBAL_COORDINATOR, pages[0], "pg:leadership:1", forged=True)
    assert h.fake.calls_to("answerCallbackQuery")[-1].params["text"] == NOT_ALLOWED
    assert len(h.fake.calls_to("editMessageText")) == edits
