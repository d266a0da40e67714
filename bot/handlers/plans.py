"""/plan: a participant's action plan, in their private chat.

The plan's words are kept only in memory while it is being made (and then in the card
pinned in the person's own chat); the database gets the week and the confidence.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError

from bot.callbacks import PlanChoice
from bot.context import BotContext
from bot.domain.action_plans import SURE_ENOUGH, Step, next_step, parse_answer, parse_confidence
from bot.domain.dialogs import DialogKind
from bot.domain.parsing import Invalid
from bot.handlers.common import send
from bot.render import general
from bot.render import plans as plan_texts
from bot.services.errors import NotAllowed

logger = logging.getLogger(__name__)

DRAFT = "plan"  # user_data key


def _draft(context: BotContext) -> dict[str, Any] | None:
    draft = context.user_data.get(DRAFT) if context.user_data is not None else None
    return draft if isinstance(draft, dict) else None


def forget_words(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)


def _begin_words(context: BotContext) -> None:
    assert context.user_data is not None
    context.user_data[DRAFT] = {"step": Step.WHAT.value, "answers": {}}


async def start(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message
    tr = context.actor.tr
    try:
        await context.services.action_plans.begin(context.actor.access)
    except NotAllowed:
        await send(message, plan_texts.plan_not_for_you(tr))
        return
    _begin_words(context)
    await send(message, plan_texts.plan_question(tr, Step.WHAT))


async def typed(update: Update, context: BotContext) -> None:
    message, draft = update.effective_message, _draft(context)
    assert message and message.text is not None
    tr = context.actor.tr
    if draft is None:  # the plan's row outlived a restart; its words did not
        _begin_words(context)
        await send(message, plan_texts.plan_start_again(tr))
        await send(message, plan_texts.plan_question(tr, Step.WHAT))
        return
    step = Step(draft["step"])
    if step is Step.CONFIDENCE:
        confidence = parse_confidence(message.text)
        if isinstance(confidence, Invalid):
            await send(message, plan_texts.plan_problem(tr, step, confidence))
            return
        await _decide(update, context, confidence)
        return
    answer = parse_answer(message.text)
    if isinstance(answer, Invalid):
        await send(message, plan_texts.plan_problem(tr, step, answer))
        return
    draft["answers"][step.value] = answer
    following = next_step(step)
    assert following is not None
    draft["step"] = following.value
    await send(message, plan_texts.plan_question(tr, following))


async def button(update: Update, context: BotContext) -> None:
    """A confidence, 'smaller' (back to how much) or 'keep' (save as is)."""
    query, draft = update.callback_query, _draft(context)
    assert query
    tr = context.actor.tr
    data = PlanChoice.unpack(query.data)
    if draft is None:
        await query.answer(general.stale_button(tr))
        return
    await query.answer()
    choice = parse_confidence(str(data.confidence) if data.choice == "keep" else data.choice)
    if data.choice == "smaller":
        draft["step"] = Step.HOW_MUCH.value
        question = plan_texts.plan_question(tr, Step.HOW_MUCH)
        await query.edit_message_text(question.text)
    elif isinstance(choice, Invalid) or draft["step"] != Step.CONFIDENCE:
        return  # forged, or from an earlier step
    elif data.choice == "keep":
        await _save(update, context, choice)
    else:
        await _decide(update, context, choice)


async def _decide(update: Update, context: BotContext, confidence: int) -> None:
    message = update.effective_message
    assert message
    if confidence < SURE_ENOUGH:
        await send(message, plan_texts.plan_smaller(context.actor.tr, confidence))
    else:
        await _save(update, context, confidence)


async def _save(update: Update, context: BotContext, confidence: int) -> None:
    message, draft = update.effective_message, _draft(context)
    assert message and draft is not None and context.user_data is not None
    tr = context.actor.tr
    try:
        await context.services.action_plans.save(context.actor.access, confidence)
    except NotAllowed:
        await context.services.dialogs.end(context.actor.user_id, DialogKind.PLAN)
        await send(message, plan_texts.plan_not_for_you(tr))
        return
    finally:
        forget_words(context)
    card = await send(message, plan_texts.plan_card(tr, draft["answers"], confidence))
    try:
        await card.pin(disable_notification=True)
    except TelegramError as error:  # the card is there even if it cannot be pinned
        logger.info("could not pin a plan card: %s", type(error).__name__)
    await send(message, plan_texts.plan_saved(tr))
