"""The leader's report and confirmation say what matters in their own words."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.callbacks import BroadcastSendAgain, BroadcastTakeBack, GroupLinks
from bot.domain.outbox import Progress
from bot.domain.posts import GroupGap, Missing, PostReport
from bot.i18n import translator
from bot.render.broadcasts import broadcast_progress, queued
from bot.services.broadcasts import Queued

ZONE = ZoneInfo("Europe/Helsinki")


def test_what_did_not_arrive_can_be_sent_again() -> None:
    gone = GroupGap(1, "Tiistairyhmä", Missing.NOT_DELIVERED)
    failed = PostReport(Progress(5, 3, 0, 2, 0, 0), (gone,), private_failed=1)
    report = broadcast_progress(translator("fi"), 5, failed)
    assert report.text == (
        "Lähetetty 3 keskusteluun.\n\nEi mennyt perille:\n"
        "• Tiistairyhmä: viesti ei mennyt ryhmän keskusteluun.\n"
        "• Viesti ei mennyt 1 yksityiskeskusteluun.\n"
        "Voit yrittää lähettää sen uudelleen."
    )
    data = [b.callback_data for row in report.buttons for b in row]
    assert data == [BroadcastSendAgain(5).pack(), BroadcastTakeBack(5).pack()]


def test_a_report_without_problems_says_only_what_matters() -> None:
    """Issue 12: "done: 3 delivered, 0 blocked, 0 failed" became "Sent to 4 chats."."""
    fine = PostReport(Progress(4, 4, 0, 0, 0, 0))
    assert broadcast_progress(translator("fi"), 5, fine).text == "Lähetetty 4 keskusteluun."
    assert broadcast_progress(translator("sv"), 5, fine).text == "Skickat till 4 chattar."


def test_a_group_whose_chat_removed_the_bot_is_named_with_a_way_back() -> None:
    removed = GroupGap(1, "Tiistairyhmä", Missing.REMOVED)
    report = PostReport(Progress(3, 3, 0, 0, 0, 0), (removed,))
    fi = broadcast_progress(translator("fi"), 5, report)
    assert "• Tiistairyhmä: en ole enää ryhmän keskustelussa." in fi.text
    data = [b.callback_data for row in fi.buttons for b in row]
    assert data == [GroupLinks(1).pack(), BroadcastTakeBack(5).pack()]
    sv = broadcast_progress(translator("sv"), 5, report)
    assert "• Tiistairyhmä: jag är inte längre med i gruppens chatt." in sv.text


def test_the_confirmation_says_until_when_it_is_tried() -> None:
    now = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)
    reply = queued(translator("fi"), Queued(1, 4, now, True, now.replace(day=3)), ZONE)
    assert "yritän uudelleen" in reply.text and "3.12." in reply.text
