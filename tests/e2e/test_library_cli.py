"""`python -m bot library export|import DIR`: approved items move between municipalities
with their media and a small metadata file each; a broken import changes nothing."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from bot.db import library as library_sql
from bot.db.library import NewItem
from bot.domain.library import ItemState, Part, PartKind
from tests.e2e.conftest import COORDINATOR, BotProcess, in_process
from tests.e2e.test_cli import run
from tests.service.world import build_world
from tests.support import tg_objects as tg

CAPTION = "Kävelylenkki <3"
ENTITIES = ({"type": "italic", "offset": 0, "length": 12},)


async def approved_items(bot: BotProcess) -> dict[str, Any]:
    """Two approved items: a video with a formatted caption and an album of two photos."""
    fake = bot.fake
    ids = {
        "video": tg.file_ids("video")["file_id"],
        "photos": [tg.file_ids("photo")["file_id"] for _ in range(2)],
    }
    fake.file_ids.update([ids["video"], *ids["photos"]])
    services = await in_process(bot)
    await build_world(services)
    video = (Part(PartKind.VIDEO, ids["video"], CAPTION, ENTITIES),)
    album = tuple(Part(PartKind.PHOTO, f, "") for f in ids["photos"])
    async with services.db.transaction() as tx:
        for topic, parts, name in (
            ("physical_activity", video, "Anna"),
            ("sleep_fatigue", album, None),
        ):
            await library_sql.insert_item(
                tx,
                NewItem(None, None, name, topic, "fi", None, parts, None, (), ItemState.APPROVED),
                services.clock(),
            )
    await services.db.close()
    return ids


def items(bot: BotProcess) -> list[tuple[Any, ...]]:
    with sqlite3.connect(bot.workdir / "data" / "bot.db") as db:
        return db.execute(
            "SELECT topic, author_name, parts, state FROM library_items ORDER BY id"
        ).fetchall()


async def test_export_then_import_moves_items_with_their_media(bot: BotProcess) -> None:
    ids = await approved_items(bot)
    fake, folder = bot.fake, bot.workdir / "library-2026"
    code, output = await run("library", "export", str(folder), env=bot.env, cwd=bot.workdir)
    assert code == 0, output
    assert output.strip() == f"2 library items written to {folder}"
    first, second = sorted(folder.iterdir())
    meta = json.loads((first / "item.json").read_text())
    assert meta["topic"] == "physical_activity" and meta["attribution"] == "Anna"
    (part,) = meta["parts"]
    assert part["text"] == CAPTION and part["entities"] == list(ENTITIES)
    assert (first / part["file"]).read_bytes() == fake.files[ids["video"]]
    assert [p["file"] for p in json.loads((second / "item.json").read_text())["parts"]] == [
        "1.bin",
        "2.bin",
    ]

    # Another installation (here: the same one) imports them: the media are uploaded once.
    before = len(items(bot))
    code, output = await run(
        "library", "import", str(folder), "--chat", str(COORDINATOR), env=bot.env, cwd=bot.workdir
    )
    assert code == 0, output
    assert output.strip() == f"2 library items imported from {folder}"
    imported = items(bot)[before:]
    assert [(t, a, s) for t, a, _, s in imported] == [
        ("physical_activity", "Anna", "approved"),
        ("sleep_fatigue", None, "approved"),
    ]
    video_part = json.loads(imported[0][2])[0]
    assert video_part["file_id"] != ids["video"] and video_part["file_id"] in fake.file_ids
    assert video_part["text"] == CAPTION and video_part["entities"] == list(ENTITIES)
    (upload,) = fake.calls_to("sendVideo")
    assert upload.params["chat_id"] == COORDINATOR and fake.uploaded_bytes > 0
    assert len(fake.calls_to("sendMediaGroup")) == 1  # the album stays an album


async def test_a_broken_import_names_the_file_and_imports_nothing(bot: BotProcess) -> None:
    await approved_items(bot)
    folder = bot.workdir / "library"
    code, output = await run("library", "export", str(folder), env=bot.env, cwd=bot.workdir)
    assert code == 0, output
    first, second = sorted(folder.iterdir())
    before = items(bot)

    (second / "item.json").write_text('{"topic": "gardening"')
    code, output = await run(
        "library", "import", str(folder), "--chat", str(COORDINATOR), env=bot.env, cwd=bot.workdir
    )
    assert code == 2
    assert output.strip() == f"ryhmakaveri: {second / 'item.json'}: not valid JSON"

    (second / "item.json").unlink()
    video = next(p for p in first.iterdir() if p.name != "item.json")
    video.unlink()
    code, output = await run(
        "library", "import", str(folder), "--chat", str(COORDINATOR), env=bot.env, cwd=bot.workdir
    )
    assert code == 2 and output.strip() == f"ryhmakaveri: {video}: missing"
    assert items(bot) == before
    assert not bot.fake.calls_to("sendVideo") and bot.fake.uploaded_bytes == 0
