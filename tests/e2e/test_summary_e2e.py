"""Through the real program: Monday's figures reach the right coordinators with their
files, /summary answers, and a participant's /forget leaves no trace of their id or
pseudonym in the database file or its write-ahead log."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from bot.domain.clock import system_clock
from bot.domain.weeks import week_of
from tests.e2e.conftest import COORDINATOR, BotProcess, in_process
from tests.e2e.test_checkin_e2e import press
from tests.service.test_privacy import PERSON, traces
from tests.service.world import LEADER, build_world, new_group
from tests.support.fake_telegram import Call, FakeTelegram, Upload

AREA_COORDINATOR = 5001  # Varkaus only


async def files_to(fake: FakeTelegram, chat: int, after: int = 0) -> dict[str, Call]:
    """The chart and the two spreadsheets sent to a chat, by kind."""
    found: dict[str, Call] = {}
    while len(found) < 3:
        call = await fake.wait_for(
            lambda c: (
                c.method in ("sendPhoto", "sendDocument")
                and c.params.get("chat_id") == chat
                and c.status == 200
                and c not in found.values()
                and any(c is x for x in fake.calls[after:])
            ),
            timeout=30,
        )
        found[upload(call).filename.rsplit(".", 1)[-1]] = call
    return found


def upload(call: Call) -> Upload:
    file = call.params.get("photo") or call.params.get("document")
    assert isinstance(file, Upload)
    return file


def text_to(fake: FakeTelegram, chat: int, words: str) -> list[str]:
    return [
        str(c.params["text"])
        for c in fake.calls_to("sendMessage")
        if c.params.get("chat_id") == chat and words in str(c.params.get("text"))
    ]


def sheet(call: Call) -> Any:
    book = openpyxl.load_workbook(io.BytesIO(upload(call).data))
    assert book.sheetnames == ["Luvut", "Määritelmät"]
    return book["Luvut"]


async def test_monday_figures_summary_and_forget(bot: BotProcess) -> None:
    bot.env["SUMMARY_TIME"] = "00:00"  # whatever the day, this week's Monday time has passed
    fake = bot.fake
    services = await in_process(bot)
    world = await build_world(services)  # two groups in Kuopio
    await new_group(services, "Varkauden ryhmä", area="Varkaus")
    await services.people.add_coordinator(AREA_COORDINATOR, ["Varkaus"])
    links = await services.onboarding.links(await world.leader(), world.groups[0].id)
    await services.onboarding.consent(PERSON, "fi", links.participant)
    pseudonym = services.contact_log.pseudonym(PERSON)
    await services.db.close()
    last_week = week_of(system_clock().astimezone(services.zone).date()).previous
    heading = f"Yhteydenpitoluvut, viikko {last_week.number}/{last_week.year}"

    await bot.start()
    await bot.started()
    everything = await files_to(fake, COORDINATOR)
    varkaus = await files_to(fake, AREA_COORDINATOR)
    [all_areas] = text_to(fake, COORDINATOR, heading)
    [one_area] = text_to(fake, AREA_COORDINATOR, heading)
    # The text has the totals; every group is in the files.
    assert "3 ryhmää" in all_areas and "1 ryhmä." in one_area
    assert "Kaikkien ryhmien luvut ovat liitteinä." in one_area
    everyone = upload(everything["csv"]).data.decode("utf-8-sig")
    assert "Tiistairyhmä" in everyone and "Varkauden ryhmä" in everyone
    assert sheet(everything["xlsx"])["A2"].value == "Alueet: Kuopio, Varkaus"
    assert sheet(varkaus["xlsx"])["A2"].value == "Alueet: Varkaus"
    assert upload(varkaus["png"]).data.startswith(b"\x89PNG\r\n\x1a\n")
    csv_text = upload(varkaus["csv"]).data.decode("utf-8-sig")
    assert csv_text.startswith("Ryhmä;Luku;") and "Tiistairyhmä" not in csv_text
    assert LEADER not in {c.params.get("chat_id") for c in fake.calls_to("sendDocument")}

    seen = len(fake.calls)
    fake.private_message(AREA_COORDINATOR, "/summary")
    await files_to(fake, AREA_COORDINATOR, after=seen)
    now_week = week_of(system_clock().astimezone(services.zone).date())
    this_week = f"Yhteydenpitoluvut, viikko {now_week.number}/{now_week.year}"
    assert text_to(fake, AREA_COORDINATOR, this_week)
    seen = len(fake.calls)
    fake.private_message(PERSON, "/summary")
    refusal = await bot.reply(
        lambda c: c.method == "sendMessage" and any(c is x for x in fake.calls[seen:])
    )
    assert "ei ole käytössäsi" in refusal.params["text"]

    seen = len(fake.calls)
    fake.private_message(PERSON, "/forget")
    await bot.reply(lambda c: c.method == "sendMessage" and any(c is x for x in fake.calls[seen:]))
    await press(bot, PERSON, fake.sent_messages(PERSON)[-1], "fg:yes")
    await fake.wait_for(
        lambda c: any("Poistin kaiken" in str(m.get("text")) for m in fake.sent_messages(PERSON))
    )
    assert await bot.stop() == 0
    assert traces(bot.workdir / "data" / "bot.db", PERSON, pseudonym) == []
