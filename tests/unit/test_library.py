"""The written tips are text-only library items in `content/tips/<lang>/<name>/item.json`,
read by the reader of `library import`; a broken one is named in one line."""

import json
from pathlib import Path
from typing import Any

import pytest

from bot.domain.languages import LANGUAGES
from bot.services.library import TOPICS, Library, LibraryError

TEXT = "Pieni kävely riittää."
BOLD = {"type": "bold", "offset": 6, "length": 6}
NAME = "2-physical_activity-1"


def item(text: str = TEXT, entities: list[Any] | None = None, **fields: Any) -> dict[str, Any]:
    """A tip as `library export` writes an item: the same fields, one text part."""
    part = {"kind": "text", "file": None, "text": text, "entities": entities or []}
    return {
        "topic": "physical_activity",
        "language": "fi",
        "title": "Kävele",
        "attribution": None,
        "parts": [part],
        **fields,
    }


def write(tmp_path: Path, name: str, data: dict[str, Any] | str) -> Path:
    folder = tmp_path / "fi" / name
    folder.mkdir(parents=True)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    (folder / "item.json").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shipped_library_is_valid_and_complete() -> None:
    library = Library.load()
    for language in LANGUAGES:
        assert library.topics(language) == list(TOPICS), language
        assert all(len(library.tips(language, topic)) >= 1 for topic in TOPICS)
    assert library.text("fi/2-physical_activity-1") is not None
    assert library.for_week("sv", 2)


def test_a_good_item_loads_as_a_tip(tmp_path: Path) -> None:
    library = Library.load(write(tmp_path, NAME, item(entities=[BOLD])))
    tip = library.tip(f"fi/{NAME}")
    assert tip is not None and tip.title == "Kävele" and tip.week == 2
    assert tip.text == "Pieni <b>kävely</b> riittää."
    assert library.text(tip.id) == "<b>Kävele</b>\n\nPieni <b>kävely</b> riittää."


@pytest.mark.parametrize(
    ("text", "entities", "html"),
    [
        ("1 < 2 & 3", [], "1 &lt; 2 &amp; 3"),  # plain text: escaped, not refused
        ("🙂 Kävele", [{"type": "italic", "offset": 3, "length": 6}], "🙂 <i>Kävele</i>"),
        (
            TEXT,
            [{"type": "italic", "offset": 6, "length": 6}, {**BOLD, "offset": 0, "length": 12}],
            "<b>Pieni <i>kävely</i></b> riittää.",
        ),
    ],
)
def test_entities_become_telegram_html(
    tmp_path: Path, text: str, entities: list[Any], html: str
) -> None:
    tip = Library.load(write(tmp_path, NAME, item(text, entities))).tip(f"fi/{NAME}")
    assert tip is not None and tip.text == html


@pytest.mark.parametrize(
    ("name", "data", "complaint"),
    [
        ("3-physical_activity-1", item(), "does not match"),
        (NAME, item(topic="yoga"), "unknown topic"),
        (NAME, item(language="sv"), "unknown language"),
        (NAME, item(entities=[{"type": "text_link", "offset": 0, "length": 5}]), "entities"),
        (NAME, item(entities=[{**BOLD, "length": 99}]), "entities"),
        (NAME, item(entities=[BOLD, {"type": "italic", "offset": 0, "length": 8}]), "entities"),
        (NAME, item(title=None), "title"),
        (NAME, item(title="<b>Kävele</b>"), "title"),
        (NAME, item(text=" "), "text"),
        (NAME, "---\ntopic: physical_activity\n---\n", "not valid JSON"),
        ("walk", item(), "folder name should be"),
    ],
)
def test_a_broken_tip_is_named_in_one_line(
    tmp_path: Path, name: str, data: dict[str, Any] | str, complaint: str
) -> None:
    with pytest.raises(LibraryError, match=complaint) as error:
        Library.load(write(tmp_path, name, data))
    assert f"fi/{name}" in str(error.value) and "\n" not in str(error.value)


def test_a_folder_without_its_metadata_is_named(tmp_path: Path) -> None:
    (tmp_path / "fi" / NAME).mkdir(parents=True)
    with pytest.raises(LibraryError, match=r"item\.json: missing"):
        Library.load(tmp_path)
