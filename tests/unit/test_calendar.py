from datetime import date

from bot.domain.calendar import holiday


def test_finnish_public_holidays_in_each_language() -> None:
    assert holiday(date(2027, 1, 6), "fi") == "Loppiainen"
    assert holiday(date(2027, 3, 26), "sv") == "Långfredagen"
    assert holiday(date(2026, 12, 6), "en") == "Independence Day"


def test_ordinary_days_are_not_flagged() -> None:
    assert holiday(date(2027, 1, 13), "fi") is None
