"""What a use case refuses with; the handlers map each to one kind answer."""

from __future__ import annotations

from bot.domain.dialogs import DialogKind


class Stale(Exception):
    """A button from an earlier step or an ended guided chat."""


class NotAllowed(Exception):
    """The person lacks the role this needs."""


class Busy(Exception):
    """Another guided chat is open; it is not replaced without the person's say."""

    def __init__(self, open_kind: DialogKind) -> None:
        super().__init__(open_kind)
        self.open_kind = open_kind
