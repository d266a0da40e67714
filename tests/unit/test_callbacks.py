"""The button codecs: what render packs, register routes and handlers unpack."""

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks as cb
from bot.domain.checkins import Mode, Reason
from bot.services.errors import NotAllowed

FAMILIES = [
    value
    for value in vars(cb).values()
    if isinstance(value, type) and issubclass(value, cb.Callback) and value is not cb.Callback
]
numbers = st.integers(min_value=0, max_value=10**12)
words = st.from_regex(r"[a-z0-9#/_.-]{1,20}", fullmatch=True)
samples = st.one_of(
    st.builds(cb.DraftAnswer, numbers, words),
    st.builds(cb.DraftConfirm, numbers),
    st.builds(cb.NewLeaderLink, numbers),
    st.builds(cb.Consent, words),
    st.builds(cb.Decline),
    st.builds(cb.ChooseLanguage, st.sampled_from(["fi", "sv", "en"])),
    st.builds(cb.StopAnswer, st.sampled_from(["yes", "no"])),
    st.builds(cb.BroadcastPress, numbers, words, st.none() | words),
    st.builds(cb.TipView, words),
    st.builds(cb.MeetingMode, numbers, st.sampled_from(Reason), st.sampled_from(Mode)),
    st.builds(cb.CheckinAnswer, numbers, st.sampled_from(["week", "plan", "contact"]), words),
    st.builds(cb.ContactLogged, numbers, st.sampled_from(["phone", "visit"])),
    st.builds(
        cb.PlanChoice,
        st.sampled_from(["0", "10", "smaller", "keep"]),
        st.none() | st.integers(0, 10),
    ),
)


@given(samples)
def test_what_is_packed_unpacks_to_the_same(button: cb.Callback) -> None:
    data = button.pack()
    assert type(button).pattern().match(data)
    assert type(button).unpack(data) == button
    assert len(data.encode()) <= cb.MAX_BYTES


def test_the_wire_format_is_the_old_one() -> None:
    """Buttons already in people's chats must keep working."""
    assert cb.DraftAnswer(3, "#12").pack() == "ng:3:#12"
    assert cb.BroadcastPress(4, "g", "7").pack() == "bc:4:g:7"
    assert cb.BroadcastPress(4, "now").pack() == "bc:4:now"
    assert cb.MeetingMode(5, Reason.WEATHER, Mode.REMOTE).pack() == "mm:5:weather:remote"
    assert cb.PlanChoice("keep", 4).pack() == "pl:keep:4"
    assert cb.Decline().pack() == "cn"
    assert cb.StopAnswer("yes").pack() == "stop:yes"


def test_prefixes_are_unique_and_no_pattern_takes_another_familys_data() -> None:
    prefixes = [family.prefix for family in FAMILIES]
    assert len(prefixes) == len(set(prefixes))
    examples = ["ng:1:x", "ngok:1", "ngx:1", "bc:1:now", "bcok:1", "bcc:1", "bctb:1", "cn"]
    for data in examples:
        assert sum(bool(f.pattern().match(data)) for f in FAMILIES) == 1, data


def test_over_64_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="64"):
        cb.TipView("ä" * 31).pack()  # 'tv:' and 62 bytes
    assert cb.TipView("a" * 61).pack()  # exactly 64


def test_what_would_not_read_back_is_refused() -> None:
    for button in (cb.TipView("a:b"), cb.TipView("a b"), cb.NewLeaderLink(-1), cb.TipView("")):
        with pytest.raises(ValueError):
            button.pack()


@pytest.mark.parametrize(
    ("family", "data"),
    [
        (cb.DraftConfirm, "ngok:zz"),
        (cb.DraftConfirm, "ngok:"),
        (cb.DraftConfirm, "ngok:1\n"),  # `$` would accept this
        (cb.DraftConfirm, "ngok:1:2"),
        (cb.DraftConfirm, "ngx:1"),
        (cb.DraftConfirm, "ngok:١"),  # an Arabic-Indic digit: int() would take it
        (cb.DraftConfirm, None),
        (cb.ChooseLanguage, "lang:de"),
        (cb.MeetingReason, "mr:1:nonsense"),
        (cb.MeetingMode, "mm:1:weather:sideways"),
        (cb.ContactLogged, "lc:1:fax"),
        (cb.Decline, "cn\n"),
        (cb.StopAnswer, "stop:maybe"),
        (cb.BroadcastPress, "bc:x:g:1"),
        (cb.TipView, "tv:a b"),
    ],
)
def test_malformed_data_is_not_allowed(family: type[cb.Callback], data: str | None) -> None:
    assert family.pattern().match(data or "") is None
    with pytest.raises(NotAllowed):
        family.unpack(data)


def test_every_family_is_a_frozen_dataclass_with_an_anchored_pattern() -> None:
    for family in FAMILIES:
        assert dataclasses.is_dataclass(family) and family.__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert family.pattern().pattern.startswith("^" + re.escape(family.prefix))
        assert family.pattern().pattern.endswith(r"\Z")


def test_a_forged_album_range_is_not_allowed() -> None:
    """Review: 'tl:1:<group>:50000000' built a list of fifty million message ids."""
    assert cb.ToLeaders.unpack("tl:5:3:14").last_id == 14  # ten parts: the most an album has
    for forged in ("tl:1:3:50000000", "tl:5:3:15", "tl:5:3:5", "tl:9:3:4"):
        with pytest.raises(NotAllowed):
            cb.ToLeaders.unpack(forged)
