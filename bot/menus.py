"""Command menus per role and language (BotCommandScope)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommandScopeAllGroupChats, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.domain.languages import LANGUAGES
from bot.i18n import translator
from bot.render import general

logger = logging.getLogger(__name__)


async def set_default_menus(bot: Bot, default_language: str) -> None:
    """Participants' menus follow their Telegram language; the default covers the rest."""
    for language in (None, *LANGUAGES):
        tr = translator(language or default_language)
        await bot.set_my_commands(
            general.commands(tr, "participant"), BotCommandScopeDefault(), language_code=language
        )
        await bot.set_my_commands(
            general.group_chat_commands(tr), BotCommandScopeAllGroupChats(), language_code=language
        )


async def set_personal_menu(bot: Bot, user_id: int, role: str, language: str) -> None:
    """Leaders and coordinators get their own menu, in their own language, in private."""
    try:
        await bot.set_my_commands(
            general.commands(translator(language), role), BotCommandScopeChat(user_id)
        )
    except TelegramError as error:  # a person who never opened the chat: menus can wait
        logger.warning("could not set a personal menu: %s", type(error).__name__)
