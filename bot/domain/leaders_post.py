"""A coordinator's message to leaders on its way out: the message to copy, then whose leaders
get it (every group of the coordinator's areas, or chosen groups). A pure state machine."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from bot.domain.parsing import Invalid, Problem


class Step(StrEnum):
    MESSAGE = "message"  # waiting for the message (anything Telegram can carry)
    TARGETS = "targets"  # choosing the groups whose leaders get it


@dataclass(frozen=True)
class LeadersPost:
    step: Step = Step.MESSAGE
    chat_id: int | None = None
    message_ids: tuple[int, ...] = ()
    media_group_id: str | None = None
    groups: tuple[int, ...] = ()  # chosen groups; none chosen is not sendable

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> LeadersPost:
        data = json.loads(text)
        data["step"] = Step(data["step"])
        data["message_ids"] = tuple(data["message_ids"])
        data["groups"] = tuple(data["groups"])
        return cls(**data)


def message_received(
    post: LeadersPost, chat_id: int, message_id: int, media_group_id: str | None
) -> LeadersPost:
    """The message to send; later parts of the same album join it (ids kept increasing,
    as copyMessages wants). A new message replaces the one before."""
    same_album = media_group_id is not None and media_group_id == post.media_group_id
    ids = tuple(sorted({*post.message_ids, message_id})) if same_album else (message_id,)
    return replace(
        post, step=Step.TARGETS, chat_id=chat_id, message_ids=ids, media_group_id=media_group_id
    )


def toggle_group(
    post: LeadersPost, group_id: int, allowed: tuple[int, ...]
) -> LeadersPost | Invalid:
    if post.step is not Step.TARGETS or group_id not in allowed:
        return Invalid(Problem.NOT_UNDERSTOOD)
    chosen = set(post.groups) ^ {group_id}
    return replace(post, groups=tuple(g for g in allowed if g in chosen))


def choose_all(post: LeadersPost, allowed: tuple[int, ...]) -> LeadersPost | Invalid:
    """Every group of the coordinator's areas; pressed again, none."""
    if post.step is not Step.TARGETS:
        return Invalid(Problem.NOT_UNDERSTOOD)
    return replace(post, groups=() if set(post.groups) == set(allowed) else allowed)
