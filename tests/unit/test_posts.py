"""The pure rules of issue 12: the usual choice of groups, and messages set aside."""

from __future__ import annotations

from bot.domain import broadcast_draft as drafts
from bot.domain.broadcast_draft import BroadcastDraft, Step
from bot.domain.parsing import Invalid
from bot.domain.posts import usual_groups


def test_before_any_post_all_the_groups_are_the_usual_choice() -> None:
    assert usual_groups((1, 2), []) == (1, 2)


def test_the_most_frequent_recent_choice_wins_and_the_newest_breaks_a_tie() -> None:
    assert usual_groups((1, 2), [frozenset({1}), frozenset({1, 2}), frozenset({1})]) == (1,)
    assert usual_groups((1, 2), [frozenset({2}), frozenset({1})]) == (2,)


def test_groups_no_longer_led_are_left_out() -> None:
    assert usual_groups((1, 2), [frozenset({7})]) == (1, 2)
    assert usual_groups((1, 2), [frozenset({2, 7})]) == (2,)


def test_a_multi_group_post_starts_with_the_usual_groups_chosen() -> None:
    draft = drafts.start((1, 2, 3), (1, 3), chat_id=5, message_ids=(9,))
    assert draft.step is Step.TARGETS and draft.groups == (1, 3)
    assert drafts.start((4,), (), chat_id=5, message_ids=(9,)).step is Step.WHEN


def test_messages_set_aside_join_the_post_in_order_or_are_refused_for_a_tip() -> None:
    draft = BroadcastDraft(Step.WHEN, chat_id=5, message_ids=(10,), groups=(1,))
    aside = drafts.set_aside(drafts.set_aside(draft, 12), 11)
    assert aside.waiting == (11, 12) and aside.message_ids == (10,)
    joined = drafts.add_waiting(aside)
    assert not isinstance(joined, Invalid)
    assert joined.message_ids == (10, 11, 12) and joined.waiting == ()
    tip = BroadcastDraft(Step.WHEN, tip_id="fi/x", groups=(1,))
    assert isinstance(drafts.add_waiting(drafts.set_aside(tip, 3)), Invalid)


def test_a_draft_saved_before_waiting_existed_still_reads() -> None:
    text = BroadcastDraft(Step.WHEN, chat_id=5, message_ids=(10,)).to_json()
    old = text.replace(', "waiting": [], "waiting_album": null', "")
    assert "waiting" not in old
    assert BroadcastDraft.from_json(old).waiting == ()
