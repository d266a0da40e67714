"""Button labels are plain text in Telegram: a group called 'Kahvi & pulla' must not show
as 'Kahvi &amp; pulla' on a button (texts sent as HTML are escaped; labels are not)."""

from __future__ import annotations

from datetime import date, time

from telegram import InlineKeyboardButton

from bot.domain.models import Group
from bot.i18n import translator
from bot.render import groups, meetings
from bot.services.onboarding import GroupOverview

FI = translator("fi")
NAME = "Kahvi & pulla <3"
GROUP = Group(1, 1, NAME, "fi", 0, time(18), date(2026, 10, 5), 6, None)


def labels(rows: object) -> list[str]:
    assert isinstance(rows, list | tuple)
    return [b.text for row in rows for b in row if isinstance(b, InlineKeyboardButton)]


def test_group_names_on_buttons_are_not_html_escaped() -> None:
    overview = [GroupOverview(GROUP, "Kuopio", 1, 3)]
    found = [
        *labels(groups.group_list(FI, overview, coordinator=True).buttons),
        *labels(groups.group_list(FI, overview, coordinator=False).buttons),
        *labels(groups.choose_group_for_links(FI, [GROUP]).buttons),
        *labels(meetings.contact_menu(FI, [GROUP]).buttons),
        *labels(meetings.choose_group_for_checkin(FI, [GROUP]).buttons),
    ]
    named = [label for label in found if "Kahvi" in label]
    assert len(named) >= 5
    assert all(NAME in label and "&amp;" not in label for label in named), named
