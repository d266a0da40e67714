"""Invite tokens: 128 random bits, carried in t.me deep links, stored only as hashes."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class InviteKind(StrEnum):
    LEADER = "leader"  # makes the opener a leader of the group; single use
    PARTICIPANT = "participant"  # private messages from the group; many people
    CHAT = "chat"  # binds the Telegram group chat the bot is added to; single use


@dataclass(frozen=True)
class Invite:
    """A stored invite: only its hash is kept, never the token."""

    id: int
    group_id: int
    kind: InviteKind
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


# One letter in front of the token says what kind of link it is.
_PREFIX = {InviteKind.LEADER: "L", InviteKind.PARTICIPANT: "P", InviteKind.CHAT: "G"}
_KIND = {letter: kind for kind, letter in _PREFIX.items()}
_TOKEN_BYTES = 16
_PAYLOAD = re.compile(r"([LPG])([A-Za-z0-9_-]{22})")


@dataclass(frozen=True)
class InviteToken:
    kind: InviteKind
    secret: str

    @classmethod
    def new(cls, kind: InviteKind) -> InviteToken:
        return cls(kind, secrets.token_urlsafe(_TOKEN_BYTES))

    @property
    def payload(self) -> str:
        """The deep-link parameter (at most 64 characters of A-Z, a-z, 0-9, _ and -)."""
        return _PREFIX[self.kind] + self.secret

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.payload.encode("ascii")).digest()


def parse_payload(payload: str) -> InviteToken | None:
    match = _PAYLOAD.fullmatch(payload)  # (match with "$" would accept a trailing newline)
    if match is None:
        return None
    return InviteToken(_KIND[match.group(1)], match.group(2))


def start_link(bot_username: str, token: InviteToken) -> str:
    parameter = "startgroup" if token.kind is InviteKind.CHAT else "start"
    return f"https://t.me/{bot_username}?{parameter}={token.payload}"
