"""/plan: a participant's action plan, in their private chat.

The plan's words are kept only in memory while it is being made (and then in the card
pinned in the person's own chat); the database gets the week and the confidence.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError

from bot import render
from bot.context import BotContext
from bot.domain.action_plans import SURE_ENOUGH, Step, next_step, parse_answer, parse_confidence
from bot.domain.parsing import Invalid
from bot.handlers.common import access_of, button_data, send, tr_for
from bot.services.errors import NotAllowed

logger = logging.getLogger(__name__)

DRAFT = "plan"  # user_data key


def _draft(context: BotContext) -> dict[str, Any] | None:
    draft = context.user_data.get(DRAFT) if context.user_data is not None else None
    return draft if isinstance(draft, dict) else None


def making_plan(context: BotContext) -> bool:
    return _draft(context) is not None


async def start(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message and context.user_data is not None
    tr = await tr_for(update, context)
    access = await access_of(update, context)
    if not (access.participant_of or access.leader_of):
        await send(message, render.plan_not_for_you(tr))
        return
    context.user_data[DRAFT] = {"step": Step.WHAT.value, "answers": {}}
    await send(message, render.plan_question(tr, Step.WHAT))


async def typed(update: Update, context: BotContext) -> None:
    message, draft = update.effective_message, _draft(context)
    assert message and message.text is not None and draft is not None
    tr = await tr_for(update, context)
    step = Step(draft["step"])
    if step is Step.CONFIDENCE:
        confidence = parse_confidence(message.text)
        if isinstance(confidence, Invalid):
            await send(message, render.plan_problem(tr, step, confidence))
            return
        await _decide(update, context, confidence)
        return
    answer = parse_answer(message.text)
    if isinstance(answer, Invalid):
        await send(message, render.plan_problem(tr, step, answer))
        return
    draft["answers"][step.value] = answer
    following = next_step(step)
    assert following is not None
    draft["step"] = following.value
    await send(message, render.plan_question(tr, following))


async def button(update: Update, context: BotContext) -> None:
    """'pl:<0-10>' confidence, 'pl:smaller' back to how much, 'pl:keep:<n>' save as is."""
    query, draft = update.callback_query, _draft(context)
    assert query
    tr = await tr_for(update, context)
    parts = button_data(update).split(":")
    if draft is None or len(parts) < 2:
        await query.answer(render.stale_button(tr))
        return
    await query.answer()
    choice = parse_confidence(parts[-1])
    if parts[1] == "smaller":
        draft["step"] = Step.HOW_MUCH.value
        question = render.plan_question(tr, Step.HOW_MUCH)
        await query.edit_message_text(question.text, parse_mode="HTML")
    elif isinstance(choice, Invalid) or draft["step"] != Step.CONFIDENCE:
        return  # forged, or from an earlier step
    elif parts[1] == "keep":
        await _save(update, context, choice)
    else:
        await _decide(update, context, choice)


async def _decide(update: Update, context: BotContext, confidence: int) -> None:
    message = update.effective_message
    assert message
    if confidence < SURE_ENOUGH:
        await send(message, render.plan_smaller(await tr_for(update, context), confidence))
    else:
        await _save(update, context, confidence)


async def _save(update: Update, context: BotContext, confidence: int) -> None:
    message, draft = update.effective_message, _draft(context)
    assert message and draft is not None and context.user_data is not None
    tr = await tr_for(update, context)
    try:
        await context.services.action_plans.save(await access_of(update, context), confidence)
    except NotAllowed:
        await send(message, render.plan_not_for_you(tr))
        return
    finally:
        context.user_data.pop(DRAFT, None)
    card = await send(message, render.plan_card(tr, draft["answers"], confidence))
    try:
        await card.pin(disable_notification=True)
    except TelegramError as error:  # the card is there even if it cannot be pinned
        logger.info("could not pin a plan card: %s", type(error).__name__)
    await send(message, render.plan_saved(tr))
