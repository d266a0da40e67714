"""Command names in the reader's language: Telegram's rule, no clashes, menus and texts agree."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from telegram.ext import CommandHandler

from bot.domain.commands import LOCALIZED, TELEGRAM_NAME, all_names, name_in
from bot.domain.languages import LANGUAGES
from bot.handlers import _group_chats, _private_commands
from bot.i18n import po_path, translator
from bot.render import general

ROLES = ("coordinator", "leader", "participant", "guest")


def test_every_name_passes_telegrams_rule() -> None:
    for command, languages in LOCALIZED.items():
        for name in [command, *(n for names in languages.values() for n in names)]:
            assert TELEGRAM_NAME.fullmatch(name), name


def test_no_name_runs_two_commands() -> None:
    owner: dict[str, str] = {}
    for command in LOCALIZED:
        for name in all_names(command):
            assert owner.setdefault(name, command) == command, f"/{name}: {command}, {owner[name]}"


def test_finnish_and_swedish_names_reach_the_same_handlers_as_the_english_ones() -> None:
    handlers = [h for h in _private_commands() if isinstance(h, CommandHandler)]
    names: set[str] = set().union(*(h.commands for h in handlers))
    for command in ("tips", "scheduled", "meetings", "checkin", "summary", "cancel", "help"):
        assert command in names
    assert {
        "vinkit",
        "ajastetut",
        "tapaamiset",
        "kuulumiset",
        "yhteenveto",
        "peru",
        "ohje",
    } <= names
    assert {"schemalagda", "traffar", "avstamning", "sammanfattning", "avbryt", "hjalp"} <= names
    for handler in handlers:  # each answers to exactly one command's names in every language
        assert any(handler.commands == frozenset(all_names(c)) for c in handler.commands)
    group_names: set[str] = set()
    for handler in _group_chats():
        if isinstance(handler, CommandHandler):
            group_names |= handler.commands
    assert {"help", "ohje", "hjalp", "privacy", "tietosuoja", "dataskydd"} <= group_names


@pytest.mark.parametrize("language", LANGUAGES)
def test_menus_show_the_readers_names(language: str) -> None:
    tr = translator(language)
    for role in ROLES:
        for command in general.commands(tr, role):
            assert TELEGRAM_NAME.fullmatch(command.command)
            english = next(c for c in LOCALIZED if name_in(c, language) == command.command)
            assert command.command == name_in(english, language)
    leader = [c.command for c in general.commands(tr, "leader")]
    expected = {"fi": "vinkit", "sv": "tips", "en": "tips"}[language]
    assert expected in leader
    assert {"fi": "ohje", "sv": "hjalp", "en": "help"}[language] in [
        c.command for c in general.group_chat_commands(tr)
    ]


COMMAND_IN_TEXT = re.compile(r"(?<![\w<])/([a-z_]+)\b")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_texts_name_commands_as_the_reader_types_them(language: str) -> None:
    """A Finn reads /vinkit, not /tips, wherever a text names a command."""
    with po_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language)
    for message in catalogue:
        strings = [message.string] if isinstance(message.string, str) else message.string
        for text in strings:
            for name in COMMAND_IN_TEXT.findall(text):
                if name == "start":
                    continue
                english = next((c for c in LOCALIZED if name in all_names(c)), None)
                assert english is not None, f"{language}: /{name} is no command: {text!r}"
                assert name == name_in(english, language), f"{language}: /{name} in {text!r}"
