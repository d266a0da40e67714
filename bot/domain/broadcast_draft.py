"""A leader's post on its way out: which groups, and when. A pure state machine."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.domain.parsing import Invalid, Problem


class Step(StrEnum):
    TARGETS = "targets"
    WHEN = "when"
    CONFIRM = "confirm"


class When(StrEnum):
    NOW = "now"
    AT = "at"  # one moment, the same for every group
    NEXT_MEETING = "next_meeting"  # each group's own next meeting time


@dataclass(frozen=True)
class BroadcastDraft:
    step: Step
    # The post: messages in the leader's chat (several for an album), a written tip or a
    # library item.
    chat_id: int | None = None
    message_ids: tuple[int, ...] = ()
    media_group_id: str | None = None
    tip_id: str | None = None
    item_id: int | None = None  # a library item, sent again by Telegram file id
    groups: tuple[int, ...] = ()
    include_private: bool = True
    when: When = When.NOW
    at: datetime | None = None
    # Messages the leader sent while this post waited: kept aside (ids only) until they say
    # whether these belong to the post or start a new one.
    waiting: tuple[int, ...] = ()
    waiting_album: str | None = None

    def to_json(self) -> str:
        data = asdict(self)
        data["at"] = self.at.isoformat() if self.at else None
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> BroadcastDraft:
        data = json.loads(text)
        data["step"] = Step(data["step"])
        data["when"] = When(data["when"])
        data["message_ids"] = tuple(data["message_ids"])
        data["groups"] = tuple(data["groups"])
        data["waiting"] = tuple(data.get("waiting", ()))  # drafts saved before it existed
        data["at"] = datetime.fromisoformat(data["at"]) if data["at"] else None
        return cls(**data)


def start(led: tuple[int, ...], usual: tuple[int, ...] = (), **source: object) -> BroadcastDraft:
    """A leader of one group goes straight to 'when'; others choose groups first, with
    their usual choice already chosen."""
    if len(led) == 1:
        return BroadcastDraft(Step.WHEN, groups=led, **source)  # type: ignore[arg-type]
    chosen = tuple(g for g in led if g in usual)
    return BroadcastDraft(Step.TARGETS, groups=chosen, **source)  # type: ignore[arg-type]


def set_aside(draft: BroadcastDraft, message_id: int, album: str | None = None) -> BroadcastDraft:
    """Another message while the post waits: kept until the leader says where it belongs."""
    return replace(
        draft,
        waiting=tuple(sorted({*draft.waiting, message_id})),
        waiting_album=draft.waiting_album or album,
    )


def add_waiting(draft: BroadcastDraft) -> BroadcastDraft | Invalid:
    """The messages set aside join the post (a library tip cannot take more messages)."""
    if not draft.waiting or draft.tip_id is not None:
        return Invalid(Problem.NOT_UNDERSTOOD)
    ids = tuple(sorted({*draft.message_ids, *draft.waiting}))
    return replace(draft, message_ids=ids, waiting=(), waiting_album=None)


def add_to_album(draft: BroadcastDraft, message_id: int) -> BroadcastDraft:
    """Album parts arrive one by one; copyMessages wants their ids in increasing order."""
    return replace(draft, message_ids=tuple(sorted({*draft.message_ids, message_id})))


def toggle_group(
    draft: BroadcastDraft, group_id: int, led: tuple[int, ...]
) -> BroadcastDraft | Invalid:
    if draft.step is not Step.TARGETS or group_id not in led:
        return Invalid(Problem.NOT_UNDERSTOOD)
    chosen = set(draft.groups) ^ {group_id}
    return replace(draft, groups=tuple(g for g in led if g in chosen))


def choose_all(draft: BroadcastDraft, led: tuple[int, ...]) -> BroadcastDraft | Invalid:
    """All the leader's groups; pressed again, none."""
    if draft.step is not Step.TARGETS:
        return Invalid(Problem.NOT_UNDERSTOOD)
    return replace(draft, groups=() if set(draft.groups) == set(led) else led)


def toggle_private(draft: BroadcastDraft) -> BroadcastDraft:
    return replace(draft, include_private=not draft.include_private)


def targets_chosen(draft: BroadcastDraft) -> BroadcastDraft | Invalid:
    if draft.step is not Step.TARGETS:
        return Invalid(Problem.NOT_UNDERSTOOD)
    if not draft.groups:
        return Invalid(Problem.EMPTY)
    return replace(draft, step=Step.WHEN)


def choose_when(
    draft: BroadcastDraft, when: When, at: datetime | None = None
) -> BroadcastDraft | Invalid:
    if draft.step is not Step.WHEN or (when is When.AT) != (at is not None):
        return Invalid(Problem.NOT_UNDERSTOOD)
    return replace(draft, when=when, at=at, step=Step.CONFIRM)
