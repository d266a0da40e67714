"""The leader's report and confirmation say what matters in their own words."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.callbacks import BroadcastSendAgain, BroadcastTakeBack
from bot.domain.outbox import Progress
from bot.i18n import translator
from bot.render.broadcasts import broadcast_progress, queued
from bot.services.broadcasts import Queued

ZONE = ZoneInfo("Europe/Helsinki")


def test_what_did_not_arrive_can_be_sent_again() -> None:
    report = broadcast_progress(translator("fi"), 5, Progress(5, 3, 0, 2, 0, 0))
    assert "Viesti ei mennyt perille 2 keskusteluun" in report.text
    data = [b.callback_data for row in report.buttons for b in row]
    assert data == [BroadcastSendAgain(5).pack(), BroadcastTakeBack(5).pack()]
    assert not broadcast_progress(translator("fi"), 5, Progress(5, 5, 0, 0, 0, 0)).text.count(
        "uudelleen"
    )


def test_the_confirmation_says_until_when_it_is_tried() -> None:
    now = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)
    reply = queued(translator("fi"), Queued(1, 4, now, True, now.replace(day=3)), ZONE)
    assert "yritän uudelleen" in reply.text and "3.12." in reply.text
