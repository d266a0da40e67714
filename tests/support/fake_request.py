"""FakeRequest: plugs FakeTelegram into telegram.Bot without any network."""

from __future__ import annotations

import json
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from tests.support.botapi import load_methods
from tests.support.fake_telegram import FakeTelegram, Upload

_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}


def _read(content: object) -> bytes:
    # PTB passes upload content as bytes or (since 21.5) as an open file handle.
    if isinstance(content, bytes):
        return content
    data = content.read()  # type: ignore[attr-defined]
    return data if isinstance(data, bytes) else str(data).encode()


def _split(method: str, data: RequestData | None) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Params as Python objects, plus uploads: direct ones become params, attach:// ones files."""
    if data is None:
        return {}, {}
    # A JSON round trip gives exactly what the HTTP server decodes (enums, tuples -> lists).
    params = {
        k: v if isinstance(v, str) else json.loads(json.dumps(v))
        for k, v in data.parameters.items()
    }
    files: dict[str, Upload] = {}
    spec = load_methods().get(method)
    for name, (filename, content, *_) in data.multipart_data.items():
        upload = Upload(name, filename or name, _read(content))
        if spec is not None and name in spec.params:
            params[name] = upload
        else:
            files[name] = upload
    return params, files


class FakeRequest(BaseRequest):
    """A BaseRequest whose "server" is a FakeTelegram in the same process."""

    def __init__(self, fake: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self.fake = fake
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        *_, token_part, api_method = url.rstrip("/").split("/")
        if method != "POST" or api_method not in load_methods():
            return 404, json.dumps(_NOT_FOUND).encode()  # file downloads are not modelled
        if token_part != f"bot{self.fake.token}":
            return 401, json.dumps(_UNAUTHORIZED).encode()
        params, files = _split(api_method, request_data)
        status, body = await self.fake.handle_async(api_method, params, files)
        return status, json.dumps(body).encode()
