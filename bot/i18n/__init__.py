"""Translations from gettext catalogues (fi is the default; sv and en too).

The `.po` files are the source; they are compiled in memory when first needed,
so there is no build step and no binary file to keep in step.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_percent

from bot.domain.languages import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "bot"


class Translator:
    """`_()` and `ngettext()` for one language, with str.format placeholders."""

    def __init__(self, language: str, catalogue: gettext.NullTranslations) -> None:
        self.language = language
        self._catalogue = catalogue

    def _(self, message: str, **values: object) -> str:
        text = self._catalogue.gettext(message)
        return text.format(**values) if values else text

    def pgettext(self, context: str, message: str, **values: object) -> str:
        """A text whose words depend on what it is about: pgettext("meeting", "Cancel {when}")
        is "Ställ in" in Swedish, cancelling a post is "Avbryt"."""
        text = self._catalogue.pgettext(context, message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self._catalogue.ngettext(singular, plural, n).format(n=n, **values)

    def percent(self, share: float) -> str:
        """0.675 → '68 %' in Finnish and Swedish, '68%' in English."""
        return str(format_percent(share, locale=self.language))


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translator(language: str) -> Translator:
    if language not in LANGUAGES:
        raise ValueError(f"no catalogue for {language!r}")
    with po_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translator(language, gettext.GNUTranslations(compiled))


def N_(message: str) -> str:
    return message
