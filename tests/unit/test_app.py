import logging
import subprocess
import sys

from bot.app import MISFIRE_GRACE_SECONDS, build_application
from bot.config import Settings
from bot.logs import RedactSecrets
from tests.conftest import TOKEN
from tests.support.fake_request import FakeRequest
from tests.support.fake_telegram import FakeTelegram


def test_late_timers_still_run_and_ptb_keeps_its_executor(settings: Settings) -> None:
    app = build_application(settings, request=FakeRequest(FakeTelegram()))
    assert app.job_queue is not None
    scheduler = app.job_queue.scheduler
    assert scheduler._job_defaults["misfire_grace_time"] == MISFIRE_GRACE_SECONDS
    assert scheduler._executors["default"] is app.job_queue._executor


def test_the_token_is_redacted_from_any_log_line() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "url %s", (f"/bot{TOKEN}/getMe",), None
    )
    RedactSecrets([TOKEN]).filter(record)
    assert TOKEN not in record.getMessage()
    assert "<secret>" in record.getMessage()


def test_settings_never_show_the_token(settings: Settings) -> None:
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)


def test_the_bot_at_rest_imports_no_document_library() -> None:
    """matplotlib, numpy, openpyxl and holidays are most of the memory: only a document,
    a chart or a holiday lookup brings them in. A fresh interpreter, so that no other
    test's imports count."""
    heavy = ("matplotlib", "numpy", "openpyxl", "holidays", "PIL")
    code = (
        "import sys, bot.app, bot.__main__, bot.delivery.sender;"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_a_traceback_is_redacted_too() -> None:
    """PTB's InvalidToken names the token in its message, which a traceback prints."""
    try:
        raise ValueError(f"The token `{TOKEN}` was rejected by the server.")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RedactSecrets([TOKEN]).filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text and "<secret>" in text
