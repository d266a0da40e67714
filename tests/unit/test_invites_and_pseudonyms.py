from hypothesis import given
from hypothesis import strategies as st

from bot.domain.invites import InviteKind, InviteToken, parse_payload, start_link
from bot.domain.pseudonyms import pseudonym


def test_tokens_carry_128_random_bits_and_round_trip() -> None:
    token = InviteToken.new(InviteKind.LEADER)
    assert len(token.secret) == 22  # 16 bytes in URL-safe base64
    assert parse_payload(token.payload) == token
    assert len(token.payload) <= 64
    assert token.digest != InviteToken.new(InviteKind.LEADER).digest


def test_the_kind_is_part_of_what_is_hashed() -> None:
    leader = InviteToken.new(InviteKind.LEADER)
    as_participant = InviteToken(InviteKind.PARTICIPANT, leader.secret)
    assert leader.digest != as_participant.digest


def test_links_use_start_or_startgroup() -> None:
    chat = InviteToken.new(InviteKind.CHAT)
    assert start_link("bot", chat) == f"https://t.me/bot?startgroup={chat.payload}"
    leader = InviteToken.new(InviteKind.LEADER)
    assert start_link("bot", leader) == f"https://t.me/bot?start={leader.payload}"


@given(st.text(max_size=80))
def test_made_up_payloads_are_rejected_or_well_formed(text: str) -> None:
    token = parse_payload(text)
    assert token is None or token.payload == text


def test_pseudonyms_depend_on_the_key() -> None:
    assert pseudonym(b"k" * 32, 42) == pseudonym(b"k" * 32, 42)
    assert pseudonym(b"k" * 32, 42) != pseudonym(b"j" * 32, 42)
    assert "42" not in pseudonym(b"k" * 32, 42)
