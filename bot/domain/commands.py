"""Command names in the reader's language: one table for the handlers and the menus.

Every command keeps its English name (the key); the localized names route to the same
handler, and each language's menu shows its own first name. Telegram allows 1-32 of
a-z, 0-9 and _, so no ä, ö or å: "/tapaamiset", "/traffar", "/avstamning".
"""

from __future__ import annotations

import re

from bot.domain.languages import LANGUAGES

TELEGRAM_NAME = re.compile(r"[a-z0-9_]{1,32}")

# English name -> {language: names, the first shown in that language's menu and help}.
# A command missing here, or a language missing for it, is shown by its English name.
LOCALIZED: dict[str, dict[str, tuple[str, ...]]] = {
    "help": {"fi": ("ohje", "apua"), "sv": ("hjalp",)},
    "privacy": {"fi": ("tietosuoja",), "sv": ("dataskydd",)},
    "language": {"fi": ("kieli",), "sv": ("sprak",)},
    "stop": {"fi": ("lopeta",), "sv": ("sluta",)},
    "forget": {"fi": ("unohda",), "sv": ("glom",)},
    "cancel": {"fi": ("peru", "keskeyta"), "sv": ("avbryt",)},
    "newgroup": {"fi": ("uusiryhma",), "sv": ("nygrupp",)},
    "groups": {"fi": ("ryhmat",), "sv": ("grupper",)},
    "summary": {"fi": ("yhteenveto", "luvut"), "sv": ("sammanfattning",)},
    "links": {"fi": ("linkit",), "sv": ("lankar",)},
    "meetings": {"fi": ("tapaamiset",), "sv": ("traffar", "moten")},
    "checkin": {"fi": ("kuulumiset", "kysely"), "sv": ("avstamning",)},
    "contact": {"fi": ("kirjaa", "yhteydet"), "sv": ("anteckna",)},
    "plan": {"fi": ("suunnitelma",), "sv": ("plan",)},
    "tips": {"fi": ("vinkit",), "sv": ("tips",)},
    "scheduled": {"fi": ("ajastetut",), "sv": ("schemalagda",)},
    "buddy": {"fi": ("kaveri",), "sv": ("kompis",)},
    "buddies": {"fi": ("kaverit",), "sv": ("kompisar",)},
    "leaders": {"fi": ("ohjaajat",), "sv": ("ledare",)},
    "library": {"fi": ("kirjasto",), "sv": ("bibliotek",)},
}


def name_in(command: str, language: str) -> str:
    """The name a reader of `language` sees: '/vinkit' for a Finn, '/tips' for others."""
    names = LOCALIZED.get(command, {}).get(language)
    return names[0] if names else command


def all_names(command: str) -> list[str]:
    """Every name that runs `command`: the English one first, then each language's."""
    names = [command]
    for language in LANGUAGES:
        for name in LOCALIZED.get(command, {}).get(language, ()):
            if name not in names:
                names.append(name)
    return names
