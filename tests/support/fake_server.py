"""FakeBotApiServer: FakeTelegram behind the real Bot API HTTP protocol on 127.0.0.1.

Lets the bot run with its real HTTP stack (``base_url=f"{base}/bot"``), and adds the
transport failures that only exist on the wire: dropped connections, slow answers, proxy 5xx.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

from aiohttp import BodyPartReader, web

from tests.support.botapi import MethodSpec, load_methods
from tests.support.fake_telegram import FakeTelegram, Upload

_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
_MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's upload limit for bots


@dataclass(frozen=True)
class _HttpFault:
    kind: Literal["drop", "delay", "error"]
    seconds: float = 0.0
    status: int = 502
    processed: bool = False


def _decode(name: str, value: str, spec: MethodSpec) -> object:
    """PTB JSON-encodes every non-string value and sends strings raw; undo that."""
    if name in spec.string_only:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # a plain string in a String-or-something param, e.g. "@channel"


def _proxy_page(status: int) -> str:
    title = f"{status} {HTTPStatus(status).phrase}"
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"


async def _read_body(request: web.Request) -> tuple[dict[str, Any], dict[str, str], list[Upload]]:
    """Split a request into already-typed JSON values, raw form strings and uploads."""
    raw: dict[str, str] = dict(request.query)
    if request.content_type == "application/json":
        return dict(await request.json()), raw, []
    if request.content_type != "multipart/form-data":
        raw.update({k: str(v) for k, v in (await request.post()).items()})
        return {}, raw, []
    uploads: list[Upload] = []
    async for part in await request.multipart():
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is None:
            raw[part.name] = await part.text()
        else:
            uploads.append(Upload(part.name, part.filename, bytes(await part.read())))
    return {}, raw, uploads


class FakeBotApiServer:
    """Serves ``/bot{token}/{method}`` for one FakeTelegram on an ephemeral loopback port."""

    def __init__(self, fake: FakeTelegram, *, latency: float = 0.0) -> None:
        self.fake = fake
        self.latency = latency  # seconds before every answer: the network's round trip
        self.base_url = ""
        self._faults: defaultdict[str, deque[_HttpFault]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None

    async def start(self, port: int = 0) -> str:
        """Listen on `port` (0: any free one); return the base URL."""
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        app.router.add_get("/file/bot{token}/files/{name}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        self.fake.release_pollers()  # so open long polls do not hold up shutdown
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ----- HTTP-level fault injection ----------------------------------------------------------

    def drop_next(self, method: str, times: int = 1, *, processed: bool = False) -> None:
        """Close the connection without answering; ``processed`` lets the fake act first."""
        self._faults[method].extend(_HttpFault("drop", processed=processed) for _ in range(times))

    def delay_next(self, method: str, seconds: float) -> None:
        """Process the call, then answer only after ``seconds`` (the client may time out)."""
        self._faults[method].append(_HttpFault("delay", seconds=seconds))

    def error_next(self, method: str, status: int = 502) -> None:
        """Answer with an HTML error page, as a proxy in front of Telegram would."""
        self._faults[method].append(_HttpFault("error", status=status))

    # ----- request handling ----------------------------------------------------------------------

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.fake.token:
            return web.json_response(_UNAUTHORIZED, status=401)
        method = request.match_info["method"]
        spec = load_methods().get(method)
        if spec is None:
            return web.json_response(_NOT_FOUND, status=404)
        fault = self._faults[method].popleft() if self._faults[method] else None
        if fault is not None and fault.kind == "error":
            return web.Response(
                status=fault.status, text=_proxy_page(fault.status), content_type="text/html"
            )
        if fault is not None and fault.kind == "drop" and not fault.processed:
            return self._drop(request)
        status, body = await self._handle(request, method, spec)
        if self.latency:
            await asyncio.sleep(self.latency)
        if fault is not None and fault.kind == "drop":
            return self._drop(request)
        if fault is not None:
            await asyncio.sleep(fault.seconds)
        return web.json_response(body, status=status)

    async def _handle(
        self, request: web.Request, method: str, spec: MethodSpec
    ) -> tuple[int, dict[str, Any]]:
        typed, raw, uploads = await _read_body(request)
        params = typed | {name: _decode(name, value, spec) for name, value in raw.items()}
        files = {}
        for upload in uploads:
            if upload.name in spec.params:
                params[upload.name] = upload  # uploaded directly as the parameter itself
            else:
                files[upload.name] = upload  # referenced from a parameter as attach://name
        return await self.fake.handle_async(method, params, files)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """A file getFile named: its bytes, as Telegram's file server gives them."""
        if request.match_info["token"] != self.fake.token:
            return web.json_response(_UNAUTHORIZED, status=401)
        file_id = request.match_info["name"].removesuffix(".bin")
        data = self.fake.files.get(file_id)
        if data is None or file_id not in self.fake.file_ids:
            return web.json_response(_NOT_FOUND, status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    @staticmethod
    def _drop(request: web.Request) -> web.StreamResponse:
        if request.transport is not None:
            request.transport.abort()
        return web.Response()
