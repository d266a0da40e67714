"""The pager: every entry on exactly one page, in order, each page within its budgets."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.outbox import Scheduled
from bot.domain.paging import MAX_BUTTONS, MAX_TEXT, Size, fit_names, split_pages, text_length
from bot.i18n import translator
from bot.render.broadcasts import scheduled_list

sizes = st.lists(st.builds(Size, st.integers(1, 300), st.integers(0, 6)), max_size=300)


@given(sizes, st.integers(300, 4000), st.integers(6, 98))
def test_pages_cover_every_entry_once_within_budget(
    entries: list[Size], text: int, buttons: int
) -> None:
    pages = split_pages(entries, text, buttons)
    assert [i for page in pages for i in page] == list(range(len(entries)))
    for page in pages:
        assert sum(entries[i].text for i in page) <= text
        assert sum(entries[i].buttons for i in page) <= buttons


@given(st.lists(st.text(min_size=1, max_size=64), max_size=200), st.integers(0, 800))
def test_names_fit_their_budget_and_the_rest_are_counted(names: list[str], budget: int) -> None:
    shown, rest = fit_names(names, budget)
    assert shown == names[: len(shown)] and rest == len(names) - len(shown)
    assert text_length(", ".join(shown)) <= budget


def test_five_hundred_scheduled_messages_page_within_the_limits() -> None:
    start = datetime(2026, 12, 1, 8, tzinfo=UTC)
    items = [Scheduled(n, start + timedelta(hours=n), 12) for n in range(500)]
    tr, zone = translator("fi"), ZoneInfo("Europe/Helsinki")
    first = scheduled_list(tr, items, zone)
    count = int(first.text.rsplit("/", 1)[-1])
    pages = [scheduled_list(tr, items, zone, page) for page in range(count)]
    cancels = [b for p in pages for row in p.buttons for b in row if "bcc:" in str(b.callback_data)]
    assert len(cancels) == 500
    for page in pages:
        assert text_length(page.text) <= MAX_TEXT
        assert sum(len(row) for row in page.buttons) <= MAX_BUTTONS
