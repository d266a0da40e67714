"""Settings from the environment and `.env` (see `.env.example` for each one)."""

from __future__ import annotations

import re
import secrets
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.languages import Language

TELEGRAM_API = "https://api.telegram.org"
# What Telegram allows in a webhook's secret_token, and long enough not to be guessed.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")


# Placeholders the privacy notice shows until the operator names the controller.
UNSET_MUNICIPALITY = "(MUNICIPALITY_NAME not set)"
UNSET_CONTACT = "(PRIVACY_CONTACT not set)"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # "PSEUDONYM_KEY=" means "not set"
        extra="forbid",
        frozen=True,
    )

    # Optional here: only the commands that talk to Telegram need it (see `token`).
    bot_token: SecretStr | None = Field(default=None, min_length=1)
    telegram_api_url: AnyHttpUrl = AnyHttpUrl(TELEGRAM_API)
    database_path: Path = Path("data/ryhmakaveri.db")
    timezone: str = "Europe/Helsinki"
    default_language: Language = "fi"
    coordinator_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    pseudonym_key: SecretStr | None = Field(default=None, min_length=32)
    pseudonym_key_file: Path = Path("data/pseudonym.key")
    invite_days: int = Field(default=14, ge=1, le=365)
    broadcast_grace_minutes: int = Field(default=60, ge=0, le=7 * 24 * 60)
    broadcast_deadline_hours: float = Field(default=24, gt=0, le=24 * 7)
    checkin_window_hours: float = Field(default=48, gt=0, le=24 * 14)
    contact_escalation_hours: float = Field(default=24, gt=0, le=24 * 14)
    retention_days: int = Field(default=90, ge=1, le=3650)
    summary_time: time = time(8, 0)
    suppression_threshold: int = Field(default=5, ge=1, le=100)
    # The controller named in the privacy notice, and how people reach it.
    municipality_name: str = Field(
        default="(MUNICIPALITY_NAME not set)", min_length=1, max_length=100
    )
    privacy_contact: str = Field(default="(PRIVACY_CONTACT not set)", min_length=1, max_length=200)
    webhook_url: AnyHttpUrl | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        bot_id, _, rest = value.get_secret_value().partition(":")
        if not (bot_id.isdigit() and rest):
            raise ValueError("expected the form 123456789:ABC… that @BotFather gives")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use e.g. Europe/Helsinki") from None
        return value

    @field_validator("coordinator_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            if not all(part.isdigit() for part in parts if part):
                raise ValueError(
                    "write numeric Telegram user ids separated by commas, e.g. 123456789,987654321"
                )
            return frozenset(int(part) for part in parts if part)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError(
                "use 32 to 256 of the letters A-Z and a-z, digits, _ and -;"
                ' make one with: python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        return value

    @model_validator(mode="after")
    def _webhook_is_safe(self) -> Settings:
        """Without a secret anyone who finds the port could post updates as any user."""
        if self.webhook_url is None:
            return self
        if self.webhook_url.scheme != "https":
            raise ValueError("WEBHOOK_URL must start with https:// (Telegram posts only there)")
        if self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is missing: webhook mode needs one (see .env.example)")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def api_base(self) -> str:
        return str(self.telegram_api_url).rstrip("/")

    @property
    def token(self) -> str:
        if self.bot_token is None:
            raise SettingsError("BOT_TOKEN is missing: set it in .env (see .env.example)")
        return self.bot_token.get_secret_value()

    def secrets(self) -> list[str]:
        """What must never reach a log line."""
        values = (self.bot_token, self.webhook_secret, self.pseudonym_key)
        return [value.get_secret_value() for value in values if value is not None]

    @property
    def bot_id(self) -> int:
        return int(self.token.partition(":")[0])


def load_settings(**overrides: object) -> Settings:
    """Read settings; raise SettingsError with one operator-friendly line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    if not first["loc"]:  # a rule across settings names them itself
        return str(first["msg"]).removeprefix("Value error, ")
    name = str(first["loc"][0]).upper()
    if first["type"] == "missing":
        hint = "is missing: set it in .env (see .env.example)"
    elif first["type"] == "extra_forbidden":
        hint = "is not a known setting (a typo?): see .env.example"
    else:
        hint = "is not valid: " + first["msg"].removeprefix("Value error, ")
    return f"{name} {hint}"


def pseudonym_key(settings: Settings) -> tuple[bytes, str | None]:
    """The HMAC key for pseudonyms, and a notice if a new key file was created.

    The key lives outside the database so that a leaked backup cannot be turned
    back into Telegram ids. Created once, then it must be backed up separately.
    """
    if settings.pseudonym_key is not None:
        return settings.pseudonym_key.get_secret_value().encode(), None
    path = settings.pseudonym_key_file
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise SettingsError(f"PSEUDONYM_KEY_FILE {path} holds a key that is too short")
        return key.encode(), None
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.touch(mode=0o600)
    path.write_text(key + "\n", encoding="ascii")
    notice = f"created a new pseudonym key in {path}; back it up separately from the database"
    return key.encode(), notice
