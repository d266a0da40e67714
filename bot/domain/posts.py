"""What a leader needs to know about a post: the usual choice of groups, and what did not
arrive, by group and in words. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.outbox import Progress

RECENT_POSTS = 5  # the usual choice is read from this many latest posts


class Missing(StrEnum):
    """Why a chosen group's chat got nothing."""

    NO_CHAT = "no_chat"  # the group has never had its chat bound
    REMOVED = "removed"  # the bot was removed from the group's chat
    NOT_DELIVERED = "not_delivered"  # Telegram refused it or could not be reached in time


def usual_groups(led: tuple[int, ...], recent: list[frozenset[int]]) -> tuple[int, ...]:
    """The groups to preselect: the choice this leader made most often in their latest posts
    (the newest on a tie), among the groups they still lead; all of them before any post."""
    choices = [c & set(led) for c in recent]
    choices = [c for c in choices if c]
    if not choices:
        return led
    counts = Counter(choices)
    best = max(choices, key=lambda c: (counts[c], -choices.index(c)))
    return tuple(g for g in led if g in best)


@dataclass(frozen=True)
class GroupGap:
    group_id: int
    name: str
    missing: Missing


@dataclass(frozen=True)
class PostReport:
    """A post's progress and, once it is finished, what did not arrive."""

    progress: Progress
    groups: tuple[GroupGap, ...] = ()  # group chats that did not get it, by name
    private_stopped: int = 0  # people who have stopped the bot's private messages
    private_failed: int = 0  # private chats Telegram refused or did not answer for
    offerable: bool = False  # the leader's own post: it may be offered to the library

    @property
    def problems(self) -> bool:
        return bool(self.groups or self.private_stopped or self.private_failed)
