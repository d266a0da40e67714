"""Content keys: the stored text form stays as it was, and nonsense is refused clearly."""

import pytest

from bot.domain.outbox import ContentKey, ContentKeyError, ContentKind


@pytest.mark.parametrize(
    "text",
    ["tip:fi/2-physical_activity-1", "notice:12", "checkin:3", "summary:3", "weekly:2026-W48"],
)
def test_stored_keys_read_back_unchanged(text: str) -> None:
    assert str(ContentKey.parse(text)) == text


def test_keys_are_built_as_they_were_written_before() -> None:
    assert str(ContentKey.notice(12)) == "notice:12"
    assert str(ContentKey.checkin(3)) == "checkin:3"
    assert str(ContentKey.summary(3)) == "summary:3"
    assert str(ContentKey.tip("sv/1-x-2")) == "tip:sv/1-x-2"
    assert str(ContentKey.weekly("2026-W48")) == "weekly:2026-W48"
    assert ContentKey.parse("checkin:3").number == 3
    assert ContentKey.parse("checkin:3").kind is ContentKind.CHECKIN


@pytest.mark.parametrize(
    "text", ["", "tip", "tip:", "poll:1", "notice:x", "checkin:-1", "summary:", ":1"]
)
def test_malformed_keys_raise_a_clear_error(text: str) -> None:
    with pytest.raises(ContentKeyError, match="content key"):
        ContentKey.parse(text)


def test_only_numbered_kinds_have_a_number() -> None:
    with pytest.raises(ContentKeyError):
        _ = ContentKey.tip("fi/1").number
