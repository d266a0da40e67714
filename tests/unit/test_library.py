from pathlib import Path

import pytest

from bot.domain.languages import LANGUAGES
from bot.services.library import TOPICS, Library, LibraryError

GOOD = "---\ntopic: physical_activity\nweek: 2\ntitle: Kävele\n---\nPieni <b>kävely</b> riittää.\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "fi"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shipped_library_is_valid_and_complete() -> None:
    library = Library.load()
    for language in LANGUAGES:
        assert library.topics(language) == list(TOPICS), language
        assert all(len(library.tips(language, topic)) >= 1 for topic in TOPICS)
    assert library.text("fi/2-physical_activity-1") is not None
    assert library.for_week("sv", 2)


def test_a_good_file_loads(tmp_path: Path) -> None:
    library = Library.load(write(tmp_path, "2-physical_activity-1.md", GOOD))
    tip = library.tip("fi/2-physical_activity-1")
    assert tip is not None and tip.title == "Kävele" and tip.week == 2


@pytest.mark.parametrize(
    ("name", "text", "complaint"),
    [
        ("2-physical_activity-1.md", GOOD.replace("week: 2", "week: 3"), "week"),
        (
            "2-physical_activity-1.md",
            GOOD.replace("topic: physical_activity", "topic: yoga"),
            "topic",
        ),
        ("2-physical_activity-1.md", GOOD.replace("<b>", "<a href='x'>"), "tags"),
        ("2-physical_activity-1.md", GOOD.replace("</b>", ""), "tags"),
        ("2-physical_activity-1.md", GOOD.replace("Pieni", "1 < 2 &"), "tags"),
        ("2-physical_activity-1.md", GOOD.replace("title: Kävele\n", ""), "exactly"),
        ("2-physical_activity-1.md", GOOD.replace("---\n", "", 1), "header"),
        ("2-communication-1.md", GOOD, "file name"),
        ("walk.md", GOOD, "name should be"),
    ],
)
def test_a_broken_file_is_named_in_one_line(
    tmp_path: Path, name: str, text: str, complaint: str
) -> None:
    with pytest.raises(LibraryError, match=complaint) as error:
        Library.load(write(tmp_path, name, text))
    assert str(error.value).startswith(f"fi/{name}") and "\n" not in str(error.value)
