"""Words the review settled, checked in the catalogues and in what the reader sees."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.domain.models import Group, SessionState
from bot.i18n import po_path, translator
from bot.render import general, meetings
from bot.services.checkins import MeetingStatus
from bot.services.outside_contacts import WeekContacts

ZONE = ZoneInfo("Europe/Helsinki")
GROUP = Group(7, 1, "Tiistairyhmä, kevät 2027", "sv", 1, time(17, 30), date(2027, 1, 12), 6, None)
CONTROLLER = general.Controller("Kuopion kaupunki", "kirjaamo@kuopio.fi", 90)


def texts(language: str) -> list[tuple[str, str]]:
    """(English, translated) for every text and plural form of a catalogue."""
    with po_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language)
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        pairs += [(ids[min(i, len(ids) - 1)], text) for i, text in enumerate(strings)]
    return pairs


def test_swedish_says_avstamning_for_every_check_in() -> None:
    for english, swedish in texts("sv"):
        assert "förfrågan" not in swedish.lower() and "förfrågningar" not in swedish.lower()
        if "check-in" in english.lower():
            assert "avstämning" in swedish.lower(), swedish


def test_finnish_has_no_plus_one_nor_user_number() -> None:
    for _, finnish in texts("fi"):
        assert "+1" not in finnish and "käyttäjänumero" not in finnish.lower(), finnish
    tr = translator("fi")
    week = WeekContacts(GROUP, calls=2, visits=0, today=date(2027, 1, 19))
    labels = [b.text for row in meetings.contact_panel(tr, week).buttons for b in row]
    assert labels[:2] == ["📞 Soitin", "🏠 Kävin"]
    assert not any("+1" in label for label in labels)


def test_finnish_names_a_group_without_a_chain_of_possessives() -> None:
    """'ryhmän Tiistairyhmä, kevät 2027 apulainen' reads as one long knot: the name stands
    last or on its own, never between a genitive and its noun."""
    chain = re.compile(r"[Rr]yhmän <b>\{\w+\}</b> \w")
    for _, finnish in texts("fi"):
        assert not chain.search(finnish), finnish
    hello = translator("fi")._(
        "Hello everyone! I am Ryhmäkaveri, the group buddy of <b>{name}</b>. I pass on your"
        " leaders' tips and messages here, also when you cannot meet.\n\nI do not keep your"
        " messages, names or phone numbers. Answers to my questions are counted without names."
        " /privacy tells more.",
        name="Tiistairyhmä",
    )
    assert "Autan ryhmää <b>Tiistairyhmä</b> pitämään yhteyttä" in hello


def test_swedish_cancels_a_meeting_with_stall_in_and_a_post_with_avbryt() -> None:
    tr = translator("sv")
    start = datetime(2027, 1, 19, 15, 30, tzinfo=UTC)
    meeting = MeetingStatus(GROUP, start, SessionState.PLANNED, None)
    reply = meetings.meeting_actions(tr, meeting, 1, ZONE)
    labels = [b.text for row in reply.buttons for b in row]
    assert "Ställ in" in labels, labels
    assert tr._("Cancel {when}", when="x") == "Avbryt x"  # a scheduled post
    assert tr.pgettext("meeting", "Cancel it") == "Ställ in"
    assert translator("en").pgettext("meeting", "Cancel it") == "Cancel it"


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        ("No, keep them", "Nej, behåll dem"),
        ("I did not understand the time. Please type it like: tomorrow 9.30", "i morgon 9.30"),
        ("Tomorrow at 9", "I morgon kl. 9"),
    ],
)
def test_swedish_words_from_the_walk(english: str, swedish: str) -> None:
    assert swedish in translator("sv")._(english)


def test_swedish_answers_are_seen_as_counts() -> None:
    for english, swedish in texts("sv"):
        assert "imorgon" not in swedish and "totaler" not in swedish, swedish
        if "seen only as totals" in english:
            assert "som antal" in swedish


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_privacy_notice_names_the_municipality_and_does_not_say_only(language: str) -> None:
    notice = general.privacy_notice(translator(language), CONTROLLER)
    assert "Kuopion kaupunki" in notice and "kirjaamo@kuopio.fi" in notice and "90" in notice
    first = notice.split("\n\n")[1].split("\n")[0]  # what is kept: more than the id
    assert not re.search(r"\b(only|vain|bara)\b", first, re.IGNORECASE), first
    assert "käyttäjänumero" not in notice


def test_the_privacy_notice_escapes_the_settings() -> None:
    odd = general.Controller("A & B <kunta>", "x@y.fi", 30)
    assert "A &amp; B &lt;kunta&gt;" in general.privacy_notice(translator("fi"), odd)
