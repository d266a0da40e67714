"""Every text in the code is translated in fi, sv and en, with matching placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.domain.languages import LANGUAGES
from bot.i18n import po_path, translator

BOT = Path(__file__).resolve().parents[2] / "bot"
KEYWORDS = {"_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def source_messages() -> set[tuple[str | tuple[str, ...], str | None]]:
    """Each text with its context (pgettext), or None."""
    found: set[tuple[str | tuple[str, ...], str | None]] = set()
    for _, _, message, _, context in extract_from_dir(str(BOT), keywords=KEYWORDS):
        found.add((message, context))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    with po_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language)
    wanted = source_messages()
    assert wanted, "the extractor found no texts"
    for message, context in wanted:
        key = message if isinstance(message, str) else message[0]
        entry = catalogue.get(key, context=context)
        assert entry is not None, f"{language}: not in the catalogue: {key!r}"
        assert not entry.fuzzy, f"{language}: fuzzy: {key!r}"
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        assert all(strings), f"{language}: not translated: {key!r}"
        expected = set(PLACEHOLDER.findall(key if isinstance(message, str) else message[1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= expected | {"n"}, f"{language}: {key!r}"


def test_plural_forms_follow_the_number() -> None:
    fi = translator("fi")
    assert fi.ngettext("{n} leader", "{n} leaders", 1) == "1 ohjaaja"
    assert fi.ngettext("{n} leader", "{n} leaders", 2) == "2 ohjaajaa"
    assert translator("en").ngettext("{n} leader", "{n} leaders", 0) == "0 leaders"


def test_unknown_languages_are_refused() -> None:
    with pytest.raises(ValueError):
        translator("de")
