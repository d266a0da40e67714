"""Every column of every table is either in the erasure registry (bot/db/privacy.py) or
declared here to name no one: a new column that can hold an id fails until it is placed."""

from __future__ import annotations

import re

from bot.db.database import Database
from bot.db.privacy import ERASED_WITH_ROW, REGISTRY, Erase

# Names that suggest a person or a chat: these must be in the registry.
SUGGESTS_A_PERSON = re.compile(r"user|chat|leader|person|member|pseudonym|sender|author|owner|by")

# Columns that name no one (message ids are per chat and meaningless without the chat id).
NAMES_NO_ONE = {
    "action_plans": {"week", "confidence", "followed", "created_at"},
    "areas": {"id", "name"},
    "buddies": {"group_id", "pair_id", "nudged_on"},
    "buddy_pairs": {"id", "group_id", "asks_at", "asked_at"},
    "buddy_calls": {"call_key"},  # a keyed hash of a pair and a week, naming no one
    "broadcasts": {
        "id",
        "source_message_ids",
        "content_key",
        "state",
        "report_message_id",
        "created_at",
        "audience",
    },
    "broadcast_groups": {"broadcast_id", "group_id", "missing"},
    "checkin_answers": {"checkin_id", "week", "plan", "answered_at"},
    "checkins": {
        "id",
        "group_id",
        "session_id",
        "broadcast_id",
        "tip_broadcast_id",
        "opens_at",
        "closes_at",
        "state",
        "asked",
        "opened",
    },
    "contact_events": {"id", "occurred_at", "area_id", "group_id", "kind", "amount"},
    "contact_requests": {
        "id",
        "checkin_id",
        "group_id",
        "created_at",
        "handled_at",
        "reminded_at",
        "escalated_at",
    },
    "coordinator_areas": {"area_id"},
    "coordinators": {"all_areas"},
    "event_kinds": {"kind"},
    "dialog_kinds": {"kind"},
    "deliveries": {
        "id",
        "broadcast_id",
        "group_id",
        "private",
        "state",
        "attempts",
        "due_at",
        "deadline_at",
        "message_ids",
        "error",
        "updated_at",
    },
    "dialogs": {"kind", "revision", "state", "updated_at"},
    # A group's meeting settings: the place is the group's own text, never a person's.
    "meeting_settings": {
        "group_id",
        "place",
        "reminders_on",
        "reminder_time",
        "early",
        "closing_asked",
        "closing_sent",
    },
    "session_reminders": {"session_id", "kind", "starts_at"},
    "pending_leaves": {"due_at"},
    "removed_chats": {"group_id", "removed_at"},
    "group_figures": {"group_id", "period", "reached", "completers"},
    "contact_days": {"kind", "day", "group_id", "amount"},
    "groups": {
        "id",
        "area_id",
        "name",
        "language",
        "weekday",
        "local_time",
        "first_date",
        "session_count",
        "created_at",
    },
    "invites": {
        "id",
        "group_id",
        "kind",
        "token_hash",
        "created_at",
        "expires_at",
        "used_at",
        "revoked_at",
    },
    "memberships": {"group_id", "role", "private_messages", "joined_at"},
    "people": {"language", "language_chosen", "created_at"},
    "library_items": {
        "id",
        "area_id",
        "topic",
        "language",
        "title",
        "parts",
        "source_message_ids",
        "state",
        "reason",
        "created_at",
        "decided_at",
        "sent_count",
    },
    "sessions": {"id", "group_id", "number", "starts_at", "state", "reason"},
}


async def columns(db: Database) -> set[tuple[str, str]]:
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    found = set()
    for (table,) in tables:
        for row in await db.fetch_all(f"PRAGMA table_info({table})"):
            found.add((table, row["name"]))
    return found


async def test_every_column_that_can_name_a_person_is_in_the_registry(db: Database) -> None:
    registered = {(c.table, c.column) for c in REGISTRY}
    harmless = {(t, c) for t, names in NAMES_NO_ONE.items() for c in names}
    present = await columns(db)
    unplaced = present - registered - harmless - set(ERASED_WITH_ROW)
    assert not unplaced, f"add these to bot/db/privacy.py REGISTRY or NAMES_NO_ONE: {unplaced}"
    suspicious = {(t, c) for t, c in harmless if SUGGESTS_A_PERSON.search(c)}
    assert not suspicious, f"these names suggest a person; register them: {suspicious}"
    assert registered <= present, registered - present  # nothing registered that is gone
    assert registered.isdisjoint(harmless)


async def test_the_registry_names_every_kind_of_id_column(db: Database) -> None:
    """Columns named like ids of people or chats, wherever they are, are registered."""
    registered = {(c.table, c.column) for c in REGISTRY}
    named = {
        (t, c)
        for t, c in await columns(db)
        if re.fullmatch(r"(user_id|chat_id|leader_id|pseudonym|.*_chat_id|.*_user_id)", c)
    }
    assert named <= registered, named - registered


def test_what_goes_with_its_row_goes_because_the_row_is_deleted() -> None:
    deleting = {(c.table, c.column) for c in REGISTRY if c.erase is Erase.DELETE_ROW}
    for (table, _), by in ERASED_WITH_ROW.items():
        assert (table, by) in deleting
