"""Keyed pseudonyms: the only way a participant appears in contact figures.

A plain hash of a Telegram id could be reversed by trying every id, so the
pseudonym is an HMAC with a key that is kept outside the database and its backups.
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(key: bytes, user_id: int) -> str:
    digest = hmac.new(key, f"telegram-user:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
