"""Settings: each mistake is one line that says what to write."""

from __future__ import annotations

import pytest

from bot.config import SettingsError, load_settings
from tests.conftest import TOKEN

SECRET = "s3cret_-" * 5  # 40 of Telegram's allowed characters


def settings_line(**values: object) -> str:
    with pytest.raises(SettingsError) as refused:
        load_settings(_env_file=None, bot_token=TOKEN, **values)
    return str(refused.value)


def test_webhook_mode_needs_a_secret() -> None:
    line = settings_line(webhook_url="https://bot.example.fi/hook")
    assert line.startswith("WEBHOOK_SECRET is missing")


def test_webhook_mode_needs_https() -> None:
    line = settings_line(webhook_url="http://bot.example.fi/hook", webhook_secret=SECRET)
    assert line.startswith("WEBHOOK_URL must start with https://")


@pytest.mark.parametrize("secret", ["short", "x" * 31, "kelvollinen ei ole" * 3, "ä" * 40])
def test_a_weak_or_unusable_webhook_secret_is_refused(secret: str) -> None:
    line = settings_line(webhook_url="https://bot.example.fi/hook", webhook_secret=secret)
    assert line.startswith("WEBHOOK_SECRET is not valid: use 32 to 256")


def test_a_safe_webhook_is_accepted() -> None:
    settings = load_settings(
        _env_file=None,
        bot_token=TOKEN,
        webhook_url="https://bot.example.fi/hook",
        webhook_secret=SECRET,
    )
    assert SECRET in settings.secrets() and TOKEN in settings.secrets()


def test_coordinator_ids_say_what_to_write() -> None:
    line = settings_line(coordinator_ids="123, Matti")
    assert line == (
        "COORDINATOR_IDS is not valid: write numeric Telegram user ids separated by commas,"
        " e.g. 123456789,987654321"
    )


def test_commands_that_do_not_talk_to_telegram_need_no_token() -> None:
    settings = load_settings(_env_file=None)
    with pytest.raises(SettingsError, match="BOT_TOKEN is missing"):
        _ = settings.token
