"""Shared by every section: the reply type, dates and times the Finnish way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.domain.models import Group, Session
from bot.domain.paging import MAX_BUTTONS, MAX_TEXT, Size, fit_names, split_pages, text_length
from bot.i18n import N_, Translator
from bot.services.errors import Stale

LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
WEEKDAY_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
WEEKDAYS = (
    N_("Mondays"),
    N_("Tuesdays"),
    N_("Wednesdays"),
    N_("Thursdays"),
    N_("Fridays"),
    N_("Saturdays"),
    N_("Sundays"),
)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[list[InlineKeyboardButton]] = field(default_factory=list)

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(self.buttons) if self.buttons else None


def local_date(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def local_time(at: time) -> str:
    return f"{at.hour}.{at.minute:02d}"


def session_line(session: Session, zone: ZoneInfo) -> str:
    start = session.starts_at.astimezone(zone)
    return f"{session.number}. {local_date(start.date())} {local_time(start.time())}"


def plan_line(tr: Translator, group: Group) -> str:
    return tr._(
        "{weekday} at {time}, from {date}",
        weekday=tr._(WEEKDAYS[group.weekday]),
        time=local_time(group.local_time),
        date=local_date(group.first_date),
    )


def format_when(tr: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """A moment as the reader says it, weekday first: "ke 2.12. klo 9.30", "ons 2.12. kl. 9.30".
    No year: every moment the bot shows is within a year from now, and the weekday settles it."""
    local = moment.astimezone(zone)
    return tr._(
        "{weekday} {date} at {time}",
        weekday=tr._(WEEKDAY_SHORT[local.weekday()]),
        date=f"{local.day}.{local.month}.",
        time=local_time(local.time()),
    )


# --- lists that outgrow one message ----------------------------------------------------------

PAGE_RESERVE = 100  # room for the page line under the entries
NAV_BUTTONS = 2  # the previous and next buttons


@dataclass(frozen=True)
class Entry:
    """One item of a list: its text and its own buttons, kept together on a page."""

    text: str
    buttons: list[list[InlineKeyboardButton]] = field(default_factory=list)


def paged(
    tr: Translator,
    view: cb.PagedView,
    header: str,
    entries: Sequence[Entry],
    page: int,
    separator: str = "\n\n",
    *,
    key: str | None = None,
    bottom: Sequence[list[InlineKeyboardButton]] = (),
) -> Reply:
    """One page of a list, within Telegram's limits, with buttons to the other pages.
    A page past the end (a stale or forged button: the list got shorter) is Stale.
    `key`: which list of the view it is (cb.Page); `bottom`: rows under every page, above
    the pager."""
    budget = MAX_TEXT - text_length(header) - len(separator) - PAGE_RESERVE
    sizes = [
        Size(text_length(e.text) + len(separator), sum(len(row) for row in e.buttons))
        for e in entries
    ]
    pages = split_pages(sizes, budget, MAX_BUTTONS - NAV_BUTTONS - _count(bottom))
    if page >= len(pages):
        raise Stale
    shown = [entries[i] for i in pages[page]]
    text = separator.join([header, *(e.text for e in shown)] if header else [e.text for e in shown])
    buttons = [*(row for e in shown for row in e.buttons), *bottom]
    if len(pages) > 1:
        text += separator + tr._("Page {page} of {pages}", page=page + 1, pages=len(pages))
        buttons.append(_page_row(tr, view, page, len(pages), key))
    return Reply(text, buttons)


def names_within(tr: Translator, names: Sequence[str], budget: int) -> str:
    """Names for an HTML text, as many as fit in `budget` characters, the rest counted."""
    shown, rest = fit_names(names, budget)
    text = ", ".join(escape(name) for name in shown)
    if rest:
        text += " " + tr.ngettext("and {n} more", "and {n} more", rest)
    return text


def picker(
    tr: Translator,
    view: cb.PagedView,
    question: str,
    rows: Sequence[list[InlineKeyboardButton]],
    page: int,
    *,
    key: str | None = None,
    top: Sequence[list[InlineKeyboardButton]] = (),
    bottom: Sequence[list[InlineKeyboardButton]] = (),
) -> Reply:
    """A question with a row of buttons per item, as many rows a page as Telegram allows.
    `top` and `bottom`: rows on every page, above and under the items."""
    budget = MAX_BUTTONS - NAV_BUTTONS - _count(top) - _count(bottom)
    pages = split_pages([Size(0, len(row)) for row in rows], MAX_TEXT, budget)
    if page >= len(pages):
        raise Stale
    buttons = [*top, *(rows[i] for i in pages[page]), *bottom]
    if len(pages) == 1:
        return Reply(question, buttons)
    count = tr._("Page {page} of {pages}", page=page + 1, pages=len(pages))
    return Reply(f"{question}\n\n{count}", [*buttons, _page_row(tr, view, page, len(pages), key)])


def _count(rows: Sequence[list[InlineKeyboardButton]]) -> int:
    return sum(len(row) for row in rows)


def _page_row(
    tr: Translator, view: cb.PagedView, page: int, count: int, key: str | None = None
) -> list[InlineKeyboardButton]:
    row = []
    if page > 0:
        row.append(
            InlineKeyboardButton(
                tr._("‹ Previous"), callback_data=cb.Page(view, page - 1, key).pack()
            )
        )
    if page < count - 1:
        row.append(
            InlineKeyboardButton(tr._("Next ›"), callback_data=cb.Page(view, page + 1, key).pack())
        )
    return row
