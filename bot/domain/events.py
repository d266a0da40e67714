"""Kinds of contact event (README: How it works). Later features add their own."""

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
    SESSION_REMOTE = "session_remote"
    SESSION_CANCELLED = "session_cancelled"
    CHECKIN_SENT = "checkin_sent"
    CHECKIN_ANSWERED = "checkin_answered"  # dated when its check-in opened
    CONTACT_REQUESTED = "contact_requested"
    CONTACT_HANDLED = "contact_handled"  # in time: before it was due to be passed on
    CONTACT_HANDLED_LATE = "contact_handled_late"
    CONTACT_ESCALATED = "contact_escalated"  # passed on to coordinators
    PHONE_CONTACT = "phone_contact"
    VISIT = "visit"
    PLAN_MADE = "plan_made"
    PLAN_FOLLOWED_UP = "plan_followed_up"
    BUDDY_CALL = (
        "buddy_call"  # a phone-buddy pair talked: once a pair a week, dated by its question
    )
    LIBRARY_SENT = "library_sent"  # a library item reached a group chat (no one is named)


# Events in which a participant (not a leader) took part: who counts as reached. (A private
# message and a contact request count too, but their events carry no pseudonym: the
# figures read them from the deliveries and requests, which name the person anyway.)
PARTICIPANT_KINDS = frozenset(
    {
        EventKind.PARTICIPANT_JOINED,
        EventKind.CHECKIN_ANSWERED,
        EventKind.PLAN_MADE,
        EventKind.PLAN_FOLLOWED_UP,
        EventKind.BUDDY_CALL,
    }
)
