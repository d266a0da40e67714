"""Guided chats: at most one open per person, kept in the database over restarts.

Each kind is declared once here; what typed text does in it is declared once in
bot/handlers/dialogs.py. A new guided chat never silently replaces an unfinished one of
another kind: the service raises Busy and the person is asked.
"""

from __future__ import annotations

from enum import StrEnum


class DialogKind(StrEnum):
    NEW_GROUP = "new_group"  # a coordinator creating a group
    BROADCAST = "broadcast"  # a leader composing a post
    MOVE_SESSION = "move_session"  # a leader typing a session's new time
    PLAN = "plan"  # a participant making an action plan (its words stay in memory only)
    ANSWER_PARTICIPANT = "answer_participant"  # a leader answering a participant's message
    MEETING_PLACE = "meeting_place"  # a leader typing where the group meets
    REMINDER_TIME = "reminder_time"  # a leader typing when the day-before reminder goes
    ADD_SESSION = "add_session"  # a leader typing the time of an added session
    LEADERS_POST = "leaders_post"  # a coordinator's message to leaders, waiting for choices
    ANSWER_COORDINATOR = "answer_coordinator"  # a leader's answer, copied on, never stored
    LIBRARY_TITLE = "library_title"  # a leader typing a title for the post they offered
    CLOSING_OWN = "closing_own"  # a leader's own closing message, copied on, never stored
