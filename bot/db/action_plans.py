"""SQL of participants' action plans: the week and the confidence, under a pseudonym."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.database import Reader, Transaction
from bot.domain.checkins import PlanAnswer


@dataclass(frozen=True)
class OpenPlan:
    week: str  # ISO week, '2026-W48'
    confidence: int


async def save_plan(tx: Transaction, pseudonym: str, week: str, confidence: int) -> None:
    """This week's plan; a new one the same week replaces it. The week is its only time."""
    await tx.execute(
        "INSERT INTO action_plans (pseudonym, week, confidence) VALUES (?, ?, ?)"
        " ON CONFLICT (pseudonym, week) DO UPDATE SET confidence = excluded.confidence,"
        " followed = NULL",
        (pseudonym, week, confidence),
    )


async def open_plan(db: Reader, pseudonym: str, since_week: str) -> OpenPlan | None:
    """The person's newest plan from `since_week` on that has not been followed up."""
    row = await db.fetch_one(
        "SELECT week, confidence FROM action_plans WHERE pseudonym = ? AND week >= ?"
        " AND followed IS NULL ORDER BY week DESC LIMIT 1",
        (pseudonym, since_week),
    )
    return OpenPlan(row["week"], int(row["confidence"])) if row else None


async def follow_up_plan(tx: Transaction, pseudonym: str, week: str, followed: PlanAnswer) -> None:
    await tx.execute(
        "UPDATE action_plans SET followed = ? WHERE pseudonym = ? AND week = ?",
        (followed, pseudonym, week),
    )
