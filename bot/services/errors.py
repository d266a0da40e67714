"""What a use case refuses with; the handlers map each to one kind answer."""

from __future__ import annotations


class Stale(Exception):
    """A button from an earlier step or an ended guided chat."""


class NotAllowed(Exception):
    """The person lacks the role this needs."""
