"""Kinds of contact event (PRODUCT.md §5). Later features add their own."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    GROUP_CREATED = "group_created"
    LEADER_JOINED = "leader_joined"
    CHAT_BOUND = "chat_bound"
    PARTICIPANT_JOINED = "participant_joined"
    PARTICIPANT_LEFT = "participant_left"
    BROADCAST_QUEUED = "broadcast_queued"
    DELIVERY_SENT = "delivery_sent"
    DELIVERY_BLOCKED = "delivery_blocked"
    DELIVERY_FAILED = "delivery_failed"
