"""SQL of a coordinator's hold on their leaders: removing one, and who has been quiet."""

from __future__ import annotations

import json
from datetime import datetime

from bot.db.database import Reader, Transaction
from bot.domain.clock import to_db
from bot.domain.events import EventKind


async def remove_leader(tx: Transaction, group_id: int, user_id: int) -> bool:
    """The leader goes, and their posts to the group that have not gone yet stay unsent."""
    changed = await tx.changes(
        "DELETE FROM memberships WHERE group_id = ? AND user_id = ? AND role = 'leader'",
        (group_id, user_id),
    )
    await tx.execute(
        "UPDATE deliveries SET state = 'cancelled' WHERE state = 'pending' AND group_id = :g"
        " AND broadcast_id IN (SELECT id FROM broadcasts WHERE leader_id = :u"
        " AND audience = 'group')",
        {"g": group_id, "u": user_id},
    )
    return changed == 1


async def groups_with_leader_activity(
    db: Reader, group_ids: list[int], since: datetime, kinds: list[EventKind]
) -> set[int]:
    """The groups with any event of these kinds since then."""
    rows = await db.fetch_all(
        "SELECT DISTINCT group_id FROM contact_events WHERE occurred_at >= ?"
        " AND kind IN (SELECT value FROM json_each(?))"
        " AND group_id IN (SELECT value FROM json_each(?))",
        (to_db(since), json.dumps(kinds), json.dumps(group_ids)),
    )
    return {r[0] for r in rows}
