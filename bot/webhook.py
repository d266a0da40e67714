"""Webhook mode: Telegram posts updates to our HTTPS address (through the operator's proxy).

python-telegram-bot's own webhook server compares the secret header with `!=`, which leaks
through timing how much of a guess was right. This small tornado server (tornado comes with
PTB's webhooks extra) checks it in constant time and puts the update on PTB's queue; the rest
runs exactly as in polling mode.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.config import Settings
from bot.context import RyhmaApp

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class UpdateReceiver(tornado.web.RequestHandler):
    def initialize(self, app: RyhmaApp, secret: str) -> None:
        self.app = app
        self.secret = secret.encode()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data = json.loads(self.request.body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError):
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        await self.app.update_queue.put(update)

    def log_exception(self, *args: Any) -> None:
        """Tornado would log the request (its URL and headers); a refusal is not news."""


async def serve(app: RyhmaApp, settings: Settings) -> None:
    """Run the bot in webhook mode until SIGTERM or SIGINT."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    url = str(settings.webhook_url)
    secret = settings.webhook_secret.get_secret_value()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    receiver = tornado.web.Application(
        [(f"{urlsplit(url).path.rstrip('/')}/?", UpdateReceiver, {"app": app, "secret": secret})],
        log_function=lambda handler: None,  # no access log: it would name the callers
    )
    async with app:  # initialize … shutdown
        if app.post_init:
            await app.post_init(app)
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        await app.start()
        server = tornado.httpserver.HTTPServer(receiver, xheaders=True)
        server.listen(settings.webhook_port, address=settings.webhook_listen)
        logger.info("listening for Telegram on port %s", settings.webhook_port)
        try:
            await stop.wait()
        finally:
            server.stop()
            await server.close_all_connections()
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
    if app.post_shutdown:
        await app.post_shutdown(app)
