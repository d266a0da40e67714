"""The languages the bot speaks: Finnish first, then Swedish and English."""

from __future__ import annotations

from typing import Literal

Language = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Language, ...] = ("fi", "sv", "en")
