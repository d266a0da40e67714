"""Callback data of inline buttons: one small codec per button family.

A family is declared once, as a frozen dataclass with a `prefix` and typed fields: render
builds the data with `pack()`, `handlers.register()` routes with `pattern()`, and the handler
reads it back with `unpack()`. The wire format is `prefix:field:field…`, unchanged from the
f-strings it replaces, so buttons already in people's chats keep working.

Pure: no telegram imports. Field types: `int` (non-negative), `str` (no colon or whitespace),
a `StrEnum`, a `Literal` of strings, or any of these `| None` as trailing optional fields.
`field(metadata={"pattern": …})` narrows a field's regex.
"""

from __future__ import annotations

import dataclasses
import re
import types
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, ClassVar, Literal, Self, Union, get_args, get_origin, get_type_hints

from bot.domain.buddies import Answer as BuddyReply
from bot.domain.checkins import Mode, Reason
from bot.domain.dialogs import DialogKind
from bot.domain.languages import LANGUAGES
from bot.domain.library import Decision, RejectReason
from bot.services.errors import NotAllowed

MAX_BYTES = 64  # Telegram's limit for callback_data, in UTF-8


@dataclass(frozen=True)
class _Field:
    name: str
    regex: str
    parse: Any  # str -> value
    optional: bool


def _field_of(f: dataclasses.Field[Any], hint: Any) -> _Field:
    optional = False
    if get_origin(hint) in (Union, types.UnionType):
        (hint,) = [arg for arg in get_args(hint) if arg is not type(None)]
        optional = True
    parse: Any
    if hint is int:
        regex, parse = r"[0-9]{1,18}", int
    elif hint is str:
        regex, parse = r"[^:\s]+", str
    elif isinstance(hint, type) and issubclass(hint, StrEnum):
        regex, parse = "|".join(re.escape(m.value) for m in hint), hint
    elif get_origin(hint) is Literal:
        regex, parse = "|".join(re.escape(str(a)) for a in get_args(hint)), str
    else:
        raise TypeError(f"unsupported callback field type: {hint!r}")
    return _Field(f.name, f.metadata.get("pattern", regex), parse, optional)


@dataclass(frozen=True)
class Callback:
    """Base of the button families; subclasses set `prefix` and declare their fields."""

    prefix: ClassVar[str]

    @classmethod
    @cache
    def _fields(cls) -> tuple[_Field, ...]:
        hints = get_type_hints(cls)
        return tuple(_field_of(f, hints[f.name]) for f in dataclasses.fields(cls))

    @classmethod
    @cache
    def pattern(cls) -> re.Pattern[str]:
        """The whole data, anchored at both ends (`\\Z`: `$` would allow a trailing newline)."""
        parts = [re.escape(cls.prefix)]
        for f in cls._fields():
            part = f":(?P<{f.name}>{f.regex})"
            parts.append(f"(?:{part})?" if f.optional else part)
        return re.compile("^" + "".join(parts) + r"\Z")

    def pack(self) -> str:
        values = [getattr(self, f.name) for f in self._fields()]
        data = ":".join(
            [
                self.prefix,
                *(str(v.value if isinstance(v, StrEnum) else v) for v in values if v is not None),
            ]
        )
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {self.prefix}")
        if self.pattern().match(data) is None:
            raise ValueError(f"callback data does not read back: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self:
        """Only our own buttons carry data of this form: anything else is forged."""
        match = cls.pattern().match(data or "")
        if match is None:
            raise NotAllowed
        values = {
            f.name: None if match[f.name] is None else f.parse(match[f.name]) for f in cls._fields()
        }
        return cls(**values)


# --- pages of long lists -----------------------------------------------------------------

PagedView = Literal[
    "groups",
    "meetings",
    "scheduled",
    "links",
    "checkin",
    "contact",
    "leaders",
    "leadership",
    "library",
    "tips",
]


@dataclass(frozen=True)
class Page(Callback):
    """Another page of a list the bot showed; the list is read afresh. `key` names which
    list of a view it is (a topic of /tips, a group's leaders); other views have one list."""

    prefix = "pg"
    view: PagedView
    page: int
    key: str | None = None


# --- a new group (coordinators) -----------------------------------------------------------


@dataclass(frozen=True)
class DraftAnswer(Callback):
    prefix = "ng"
    revision: int
    answer: str  # '#<area id>', a number of meetings or a language code


@dataclass(frozen=True)
class DraftConfirm(Callback):
    prefix = "ngok"
    revision: int


@dataclass(frozen=True)
class DraftCancel(Callback):
    prefix = "ngx"
    revision: int


# --- groups and links -------------------------------------------------------------------


@dataclass(frozen=True)
class NewLeaderLink(Callback):
    prefix = "gl"
    group_id: int


@dataclass(frozen=True)
class RevokeLeaderLinks(Callback):
    prefix = "gr"
    group_id: int


@dataclass(frozen=True)
class GroupLinks(Callback):
    prefix = "ln"
    group_id: int


@dataclass(frozen=True)
class RenewParticipantLink(Callback):
    prefix = "lr"
    group_id: int


@dataclass(frozen=True)
class Consent(Callback):
    prefix = "cs"
    payload: str  # the participant link's payload, checked by the handler


@dataclass(frozen=True)
class Decline(Callback):
    prefix = "cn"


@dataclass(frozen=True)
class ChooseLanguage(Callback):
    prefix = "lang"
    code: str = field(metadata={"pattern": "|".join(LANGUAGES)})


@dataclass(frozen=True)
class StopAnswer(Callback):
    prefix = "stop"
    answer: Literal["yes", "no"]


@dataclass(frozen=True)
class ForgetAnswer(Callback):
    prefix = "fg"
    answer: Literal["yes", "no", "keep"]  # keep: erase me, keep my library posts without name


@dataclass(frozen=True)
class ChatMove(Callback):
    """Move a group chat that serves another group (`previous`) to the invite's group."""

    prefix = "cm"
    invite: int
    previous: int
    answer: Literal["yes", "no"]


# --- broadcasts and tips ------------------------------------------------------------------


@dataclass(frozen=True)
class BroadcastPress(Callback):
    prefix = "bc"
    revision: int
    action: str  # g (with a group id), next, now, evening, morning, meeting, private
    argument: str | None = None


@dataclass(frozen=True)
class BroadcastConfirm(Callback):
    prefix = "bcok"
    revision: int


@dataclass(frozen=True)
class BroadcastDiscard(Callback):
    prefix = "bcx"
    revision: int


@dataclass(frozen=True)
class BroadcastCancel(Callback):
    prefix = "bcc"
    broadcast_id: int


@dataclass(frozen=True)
class BroadcastTakeBack(Callback):
    prefix = "bctb"
    broadcast_id: int


@dataclass(frozen=True)
class BroadcastWaiting(Callback):
    """'bcw:<message>:add|new': a message sent while a post waited joins it, or is a new post."""

    prefix = "bcw"
    message_id: int
    choice: Literal["add", "new"]


@dataclass(frozen=True)
class BroadcastTakeBackSure(Callback):
    """'bcty:<broadcast>': yes, delete it from every chat (asked after 'Take back')."""

    prefix = "bcty"
    broadcast_id: int


@dataclass(frozen=True)
class BroadcastKeep(Callback):
    """'bctn:<broadcast>': no, keep it in the chats."""

    prefix = "bctn"
    broadcast_id: int


@dataclass(frozen=True)
class BroadcastShow(Callback):
    """'bcs:<broadcast>': show a scheduled post, as a reply to its original message."""

    prefix = "bcs"
    broadcast_id: int


@dataclass(frozen=True)
class BroadcastSendAgain(Callback):
    """'bcr:<broadcast>': send again to the chats it did not reach."""

    prefix = "bcr"
    broadcast_id: int


@dataclass(frozen=True)
class TipTopic(Callback):
    prefix = "tp"
    topic: str


@dataclass(frozen=True)
class TipView(Callback):
    prefix = "tv"
    tip_id: str


@dataclass(frozen=True)
class TipSend(Callback):
    prefix = "ts"
    tip_id: str


# --- meetings and check-ins ---------------------------------------------------------------


@dataclass(frozen=True)
class MeetingCancel(Callback):
    """Cancel a meeting: first asks why."""

    prefix = "mc"
    session_id: int


@dataclass(frozen=True)
class MeetingReason(Callback):
    """Why: then asks how to keep in touch."""

    prefix = "mr"
    session_id: int
    reason: Reason


@dataclass(frozen=True)
class MeetingMode(Callback):
    """How: cancels the meeting."""

    prefix = "mm"
    session_id: int
    reason: Reason
    mode: Mode


@dataclass(frozen=True)
class MeetingUndo(Callback):
    prefix = "mu"
    session_id: int


@dataclass(frozen=True)
class MeetingMove(Callback):
    prefix = "mv"
    session_id: int


@dataclass(frozen=True)
class MeetingPick(Callback):
    """'mp:<session>': one meeting chosen in /meetings; then what to do with it."""

    prefix = "mp"
    session_id: int


@dataclass(frozen=True)
class MeetingHow(Callback):
    """'mh:<session>:<mode>': a check-in instead, or just cancelled; then asks why."""

    prefix = "mh"
    session_id: int
    mode: Mode


@dataclass(frozen=True)
class MeetingAdd(Callback):
    """'ma:<group>:<how>[:<last>]': a replacement a week after the last session (`last`, the
    group's last session when the button was shown: a second press adds nothing), or a
    meeting at a typed time (a follow-up)."""

    prefix = "ma"
    group_id: int
    how: Literal["end", "typed"]
    last_id: int | None = None


@dataclass(frozen=True)
class MeetingSetup(Callback):
    """'ms:<group>:<what>': the group's reminders and place: show them, switch reminders
    on or off (the button says which, so an old or a second press does no harm), the
    two-hours-before one likewise, or type the time or the place."""

    prefix = "ms"
    group_id: int
    what: Literal["show", "on", "off", "early", "no_early", "time", "place"]


@dataclass(frozen=True)
class ClosingSend(Callback):
    """'cls:<group>': send the closing message to the group."""

    prefix = "cls"
    group_id: int


@dataclass(frozen=True)
class ClosingWrite(Callback):
    """'clw:<group>': the leader's next message is the group's closing message."""

    prefix = "clw"
    group_id: int


@dataclass(frozen=True)
class CheckinAnswer(Callback):
    prefix = "ci"
    checkin_id: int
    question: Literal["week", "plan", "contact"]
    value: str  # checked by the service


@dataclass(frozen=True)
class CheckinQuestion(Callback):
    """'cq:<checkin>:<question>': the label above a row of answers; it only says what to do."""

    prefix = "cq"
    checkin_id: int
    question: Literal["week", "plan"]


@dataclass(frozen=True)
class CheckinFor(Callback):
    prefix = "ck"
    group_id: int


@dataclass(frozen=True)
class ContactHandled(Callback):
    prefix = "ch"
    request_id: int


@dataclass(frozen=True)
class ContactLogged(Callback):
    prefix = "lc"
    group_id: int
    kind: Literal["phone", "visit"]


@dataclass(frozen=True)
class ContactGroup(Callback):
    """'lg:<group>': /contact of a leader of several groups: this group's buttons."""

    prefix = "lg"
    group_id: int


@dataclass(frozen=True)
class ContactUndo(Callback):
    """'lu:<group>:<kind>:<yyyymmdd>:<total>': take back a contact logged that day by
    mistake; `total` is the week's total it takes back from, so a double tap takes one."""

    prefix = "lu"
    group_id: int
    kind: Literal["phone", "visit"]
    day: int = field(metadata={"pattern": r"[0-9]{8}"})
    total: int


# --- a participant's message to the leaders ------------------------------------------------


@dataclass(frozen=True)
class ToLeaders(Callback):
    """'tl:<message>:<group>[:<last>]': copy this message (or album) of the person's own
    chat to the leaders."""

    prefix = "tl"
    message_id: int
    group_id: int
    last_id: int | None = None  # an album: its parts, message_id to last_id

    def __post_init__(self) -> None:
        # An album has 2 to 10 parts: a forged range must not become a huge list of ids.
        if self.last_id is not None and not 0 < self.last_id - self.message_id < 10:
            raise NotAllowed


@dataclass(frozen=True)
class NotToLeaders(Callback):
    """'tn': do not send it."""

    prefix = "tn"


@dataclass(frozen=True)
class AnswerParticipant(Callback):
    """'ap:<user>:<group>': a leader answers a participant's message (the next message)."""

    prefix = "ap"
    user_id: int
    group_id: int


# --- guided chats -------------------------------------------------------------------------


@dataclass(frozen=True)
class DropDialog(Callback):
    """'dd:<kind>': drop the open guided chat of this kind, to start another."""

    prefix = "dd"
    kind: DialogKind


# --- action plans -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanChoice(Callback):
    """'pl:<0-10>' a confidence, 'pl:smaller' back to how much, 'pl:keep:<n>' save as is."""

    prefix = "pl"
    choice: str = field(metadata={"pattern": r"[0-9]{1,2}|smaller|keep"})
    confidence: int | None = None


# --- phone buddies ------------------------------------------------------------------------


@dataclass(frozen=True)
class BuddyJoin(Callback):
    """'bj:<group>': yes, I would like a phone buddy in this group."""

    prefix = "bj"
    group_id: int


@dataclass(frozen=True)
class BuddyLeave(Callback):
    """'bl:<group>:ask' asks to be sure, ':yes' leaves, ':no' stays; ':decline' says no
    thank you to a new buddy."""

    prefix = "bl"
    group_id: int
    step: Literal["ask", "yes", "no", "decline"]


@dataclass(frozen=True)
class BuddyAnswer(Callback):
    """'ba:<pair>:<answer>': did you talk this week? (yes / no / stop)."""

    prefix = "ba"
    pair_id: int
    answer: BuddyReply


@dataclass(frozen=True)
class BuddyNudge(Callback):
    """'bn:<pair>': please ask my buddy to write to me."""

    prefix = "bn"
    pair_id: int


@dataclass(frozen=True)
class BuddySplit(Callback):
    """'bs:<pair>': a leader ends a pair; its members get new buddies."""

    prefix = "bs"
    pair_id: int


@dataclass(frozen=True)
class BuddyThree(Callback):
    """'b3:<group>': a leader adds the one waiting alone to a pair (three together)."""

    prefix = "b3"
    group_id: int


# --- weekly figures (coordinators) --------------------------------------------------------


@dataclass(frozen=True)
class SummaryWeek(Callback):
    """'sumw:<year>:<week>': the contact figures of that ISO week (the previous week's button)."""

    prefix = "sumw"
    year: int = field(metadata={"pattern": r"[0-9]{4}"})
    week: int = field(metadata={"pattern": r"[0-9]{1,2}"})


# --- coordinators and their leaders --------------------------------------------------------


@dataclass(frozen=True)
class LeadersPick(Callback):
    """'ldp:<revision>[:<group>[:<page>]]': a group's leaders chosen or unchosen, on that
    page of the list; no group: all (the button of old messages; now LeadersAll)."""

    prefix = "ldp"
    revision: int
    group_id: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class LeadersAll(Callback):
    """'ldpa:<revision>:<page>': every group's leaders chosen, or none, from that page."""

    prefix = "ldpa"
    revision: int
    page: int


@dataclass(frozen=True)
class LeadersSend(Callback):
    prefix = "ldok"
    revision: int


@dataclass(frozen=True)
class LeadersDiscard(Callback):
    prefix = "ldx"
    revision: int


@dataclass(frozen=True)
class AnswerCoordinator(Callback):
    """'lda:<broadcast>': a leader answers the coordinator's message in one tap."""

    prefix = "lda"
    broadcast_id: int


@dataclass(frozen=True)
class LeaderList(Callback):
    """'ldl:<group>': a coordinator sees a group's leaders, to remove one or add one."""

    prefix = "ldl"
    group_id: int


@dataclass(frozen=True)
class LeaderRemove(Callback):
    """'ldr:<group>:<user>:<sure>': remove a leader; 'yes' once the coordinator confirmed
    removing the only leader of a running group."""

    prefix = "ldr"
    group_id: int
    user_id: int
    sure: Literal["no", "yes"] = "no"


@dataclass(frozen=True)
class LeaderKeep(Callback):
    prefix = "ldk"
    group_id: int


# --- the co-created library ---------------------------------------------------------------


@dataclass(frozen=True)
class LibraryOffer(Callback):
    """'lbo:<broadcast>': offer this post of mine to the library; choose a topic first."""

    prefix = "lbo"
    broadcast_id: int


@dataclass(frozen=True)
class LibraryOfferTopic(Callback):
    prefix = "lbt"
    broadcast_id: int
    topic: str


@dataclass(frozen=True)
class LibraryOfferAgree(Callback):
    """The leader agrees that the post may go to other groups, with or without their name."""

    prefix = "lba"
    broadcast_id: int
    topic: str
    named: Literal["0", "1"]


@dataclass(frozen=True)
class LibraryDecide(Callback):
    """A coordinator's decision on an offered item."""

    prefix = "lbd"
    item_id: int
    decision: Decision
    reason: RejectReason | None = None


@dataclass(frozen=True)
class LibraryRetire(Callback):
    prefix = "lbx"
    item_id: int


@dataclass(frozen=True)
class LibraryView(Callback):
    prefix = "lbv"
    item_id: int


@dataclass(frozen=True)
class LibrarySend(Callback):
    prefix = "lbs"
    item_id: int


@dataclass(frozen=True)
class LibraryTitle(Callback):
    """The author adds a title to the post they offered."""

    prefix = "lbn"
    item_id: int
