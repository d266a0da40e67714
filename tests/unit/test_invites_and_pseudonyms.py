import string

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


SECRET_CHARACTERS = string.ascii_letters + string.digits + "_-"
# Near misses as well as anything at all: a kind letter or not, 21 to 23 secret characters,
# sometimes a newline or a space after.
near_payloads = st.builds(
    lambda kind, secret, tail: kind + secret + tail,
    st.sampled_from("LPGXl"),
    st.one_of(
        st.text(alphabet=SECRET_CHARACTERS, min_size=21, max_size=23),
        st.text(alphabet=SECRET_CHARACTERS + "=+/ä", min_size=22, max_size=22),
    ),
    st.sampled_from(["", "", "", "\n", " "]),
)


def well_formed(text: str) -> bool:
    """Independently of the parser: a kind letter, then exactly 22 URL-safe characters."""
    kind, secret = text[:1], text[1:]
    return kind in "LPG" and len(secret) == 22 and all(c in SECRET_CHARACTERS for c in secret)


@given(st.one_of(near_payloads, st.text(max_size=80)))
def test_payloads_are_accepted_exactly_when_well_formed(text: str) -> None:
    token = parse_payload(text)
    assert (token is not None) == well_formed(text)
    assert token is None or token.payload == text


def test_a_trailing_newline_is_not_part_of_a_link() -> None:
    token = InviteToken.new(InviteKind.PARTICIPANT)
    assert parse_payload(token.payload + "\n") is None


def test_pseudonyms_depend_on_the_key() -> None:
    assert pseudonym(b"k" * 32, 42) == pseudonym(b"k" * 32, 42)
    assert pseudonym(b"k" * 32, 42) != pseudonym(b"j" * 32, 42)
    assert "42" not in pseudonym(b"k" * 32, 42)
