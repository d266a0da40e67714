from tests.handler.conftest import Harness
from tests.handler.test_onboarding_flow import PARTICIPANT, STRANGER, become_leader, button, link


async def test_forget_after_a_confirmation(harness: Harness) -> None:
    h = harness
    links = await become_leader(h)
    consent = await h.say(PARTICIPANT, f"/start {link(links['text'], 'start')}")
    await h.press(PARTICIPANT, consent, button(consent, "cs:"))
    question = await h.say(PARTICIPANT, "/forget")
    assert "Poistanko kaiken" in question["text"]
    await h.press(PARTICIPANT, question, "fg:no")
    assert (await h.services.people.access(PARTICIPANT)).participant_of  # nothing changed
    question = await h.say(PARTICIPANT, "/forget")
    await h.press(PARTICIPANT, question, "fg:yes")
    assert "Poistin kaiken" in h.last(PARTICIPANT)["text"]
    assert not await h.services.privacy.knows(PARTICIPANT)


async def test_forget_by_someone_unknown(harness: Harness) -> None:
    assert "ei ole sinusta mitään" in (await harness.say(STRANGER, "/forget"))["text"]
