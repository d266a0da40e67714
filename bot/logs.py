"""Logging set-up: no token and no request URLs in any log line."""

from __future__ import annotations

import logging


class RedactSecrets(logging.Filter):
    """Defence in depth: whatever slips through, secrets are replaced before output."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not record.exc_text:  # a traceback is text too (InvalidToken's)
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self._secrets:
                record.exc_text = record.exc_text.replace(secret, "<secret>")
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "<secret>")
            record.msg = message
            record.args = None
        return True


def configure(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("asyncio").setLevel(logging.INFO)  # "Using selector" on every start
    # At DEBUG these log what must never be logged: aiosqlite every statement with its
    # parameters (ids, pseudonyms), python-telegram-bot every request and update (texts,
    # names, ids). LOG_LEVEL=DEBUG is for this bot's own code.
    for name in ("aiosqlite", "telegram", "tornado"):
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
