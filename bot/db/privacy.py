"""SQL of erasure and retention, driven by one registry of every column that can name a
person: a Telegram user id, a chat id (a private chat's id is its person's id) or a
pseudonym. tests/service/test_privacy_registry.py reads every table's columns and fails on
any column that is neither registered here nor declared to name no one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.db.database import Reader, Transaction

ERASED_ID = 0
"""What an erased id becomes where the row must stay (no Telegram user or chat has id 0)."""


class Holds(StrEnum):
    USER_ID = "user id"
    CHAT_ID = "chat id"  # a private chat's id equals its person's user id
    PSEUDONYM = "pseudonym"


class Erase(StrEnum):
    DELETE_ROW = "delete row"
    NULL = "null"
    REPLACE = "replace"  # by ERASED_ID, where the column must not be empty


@dataclass(frozen=True)
class PersonalColumn:
    table: str
    column: str
    holds: Holds
    erase: Erase
    of_group: str | None
    """A condition (on :g) selecting a group's rows, erased when the group's retention ends;
    None where rows are erased only person by person (or, for a group chat, never)."""

    def erase_sql(self, where: str) -> str:
        match self.erase:
            case Erase.DELETE_ROW:
                return f"DELETE FROM {self.table} WHERE {where}"
            case Erase.NULL:
                return f"UPDATE {self.table} SET {self.column} = NULL WHERE {where}"
            case Erase.REPLACE:
                return f"UPDATE {self.table} SET {self.column} = {ERASED_ID} WHERE {where}"

    @property
    def person_key(self) -> str:
        return ":p" if self.holds is Holds.PSEUDONYM else ":u"


_ANSWERS_OF_GROUP = "checkin_id IN (SELECT id FROM checkins WHERE group_id = :g)"

# Personal data that is not an id, erased because its row is deleted by the registered
# column beside it (tests/service/test_privacy_registry.py checks the pairing).
ERASED_WITH_ROW = {("library_items", "author_name"): "author_id"}

# In erasure order: children before the rows they refer to.
REGISTRY: tuple[PersonalColumn, ...] = (
    PersonalColumn("memberships", "user_id", Holds.USER_ID, Erase.DELETE_ROW, "group_id = :g"),
    # Who volunteered for phone buddies and with whom they are paired (buddy_pairs names
    # no one: its members are these rows, and a pair is ended before its member is erased).
    PersonalColumn("buddies", "user_id", Holds.USER_ID, Erase.DELETE_ROW, "group_id = :g"),
    PersonalColumn("contact_requests", "user_id", Holds.USER_ID, Erase.DELETE_ROW, "group_id = :g"),
    PersonalColumn(
        "deliveries", "chat_id", Holds.CHAT_ID, Erase.DELETE_ROW, "group_id = :g AND private = 1"
    ),
    PersonalColumn(
        "checkin_answers", "pseudonym", Holds.PSEUDONYM, Erase.DELETE_ROW, _ANSWERS_OF_GROUP
    ),
    # The anonymous counts stay; only the link to the person goes.
    PersonalColumn("contact_events", "pseudonym", Holds.PSEUDONYM, Erase.NULL, "group_id = :g"),
    PersonalColumn("action_plans", "pseudonym", Holds.PSEUDONYM, Erase.DELETE_ROW, None),
    PersonalColumn("dialogs", "user_id", Holds.USER_ID, Erase.DELETE_ROW, None),
    # A broadcast stays (its deliveries and check-ins refer to it); its author does not.
    PersonalColumn("broadcasts", "leader_id", Holds.USER_ID, Erase.REPLACE, None),
    PersonalColumn("broadcasts", "source_chat_id", Holds.CHAT_ID, Erase.NULL, None),
    # A leader's library items are withdrawn with them: the row goes, and with it the
    # first name they chose to show (author_name) and what Telegram needs to send it.
    PersonalColumn("library_items", "author_id", Holds.USER_ID, Erase.DELETE_ROW, None),
    PersonalColumn("library_items", "source_chat_id", Holds.CHAT_ID, Erase.NULL, None),
    PersonalColumn("coordinator_areas", "user_id", Holds.USER_ID, Erase.DELETE_ROW, None),
    PersonalColumn("coordinators", "user_id", Holds.USER_ID, Erase.DELETE_ROW, None),
    PersonalColumn("people", "user_id", Holds.USER_ID, Erase.DELETE_ROW, None),
    # A group chat's id (negative) never equals a person's; listed so that nothing that
    # can hold a chat id is left out. It goes with the group, not with a person.
    PersonalColumn("groups", "chat_id", Holds.CHAT_ID, Erase.NULL, None),
    # An unbound group chat the bot is about to leave (negative too): the same reasoning.
    PersonalColumn("pending_leaves", "chat_id", Holds.CHAT_ID, Erase.DELETE_ROW, None),
)


def _person(column: PersonalColumn) -> str:
    return f"{column.column} = {column.person_key}"


async def knows(db: Reader, user_id: int, pseudonym: str) -> bool:
    """Whether any registered column still names the person."""
    exists = " OR ".join(f"EXISTS (SELECT 1 FROM {c.table} WHERE {_person(c)})" for c in REGISTRY)
    row = await db.fetch_one(f"SELECT {exists}", {"u": user_id, "p": pseudonym})
    return bool(row and row[0])


async def erase(
    tx: Transaction, user_id: int, pseudonym: str, *, keep_library: bool = False
) -> list[int]:
    """Erase the person from every registered column; return the groups they were a
    participant of. Their library items are deleted with them (withdrawn), unless
    `keep_library`: then the approved ones stay, with nothing left that names the author,
    and the rest (offered, rejected, sent back, retired) go."""
    groups = await tx.fetch_all(
        "SELECT group_id FROM memberships WHERE user_id = ? AND role = 'participant'",
        (user_id,),
    )
    # Their own posts not yet sent are not sent: the copies' source is their chat.
    await tx.execute(
        "UPDATE deliveries SET state = 'cancelled' WHERE state = 'pending' AND broadcast_id IN"
        " (SELECT id FROM broadcasts WHERE source_chat_id = :u)",
        {"u": user_id},
    )
    if keep_library:  # only what was published stays: the rest is content never shared
        await tx.execute(
            "DELETE FROM library_items WHERE author_id = :u AND state != 'approved'",
            {"u": user_id},
        )
        await tx.execute(
            "UPDATE library_items SET author_id = NULL, author_name = NULL,"
            " source_chat_id = NULL WHERE author_id = :u",
            {"u": user_id},
        )
    for column in REGISTRY:
        await tx.execute(column.erase_sql(_person(column)), {"u": user_id, "p": pseudonym})
    return [r[0] for r in groups]


async def ended_groups(db: Reader, before: str) -> list[int]:
    """Groups whose last session started before `before` (UTC text) and that still hold
    personal rows."""
    held = " OR ".join(
        f"EXISTS (SELECT 1 FROM {c.table} WHERE {c.of_group.replace(':g', 'g.id')}"
        f" AND {c.column} IS NOT NULL)"
        for c in REGISTRY
        if c.of_group is not None
    )
    rows = await db.fetch_all(
        "SELECT g.id FROM groups g WHERE (SELECT max(starts_at) FROM sessions s"
        f" WHERE s.group_id = g.id) < ? AND ({held})",
        (before,),
    )
    return [r[0] for r in rows]


async def expire_group(tx: Transaction, group_id: int) -> list[int]:
    """Erase a finished group's personal rows; return its members' user ids."""
    members = await tx.fetch_all("SELECT user_id FROM memberships WHERE group_id = ?", (group_id,))
    for column in REGISTRY:
        if column.of_group is not None:
            await tx.execute(column.erase_sql(column.of_group), {"g": group_id})
    return [r[0] for r in members]


async def unused(db: Reader, user_id: int) -> bool:
    """In no group and coordinating nothing: nothing left to keep the person for."""
    row = await db.fetch_one(
        "SELECT NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = :u)"
        " AND NOT EXISTS (SELECT 1 FROM coordinators WHERE user_id = :u)",
        {"u": user_id},
    )
    return bool(row and row[0])


async def expire_plans(tx: Transaction, before_week: str) -> int:
    return await tx.changes("DELETE FROM action_plans WHERE week < ?", (before_week,))
