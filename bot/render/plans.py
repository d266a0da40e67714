"""A participant's action plan."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.domain.action_plans import Step as PlanStep
from bot.domain.dialogs import DialogKind
from bot.domain.parsing import Invalid, Problem
from bot.i18n import N_, Translator
from bot.render.common import Reply

# --- action plans ------------------------------------------------------------------------


PLAN_QUESTIONS = {
    PlanStep.WHAT: N_(
        "Let's make an action plan for this week. <b>What</b> would you like to do? For example: walk."
    ),
    PlanStep.HOW_MUCH: N_("<b>How much?</b> For example: 15 minutes."),
    PlanStep.WHEN: N_("<b>When?</b> For example: after lunch."),
    PlanStep.HOW_OFTEN: N_("<b>How often?</b> For example: three times this week."),
    PlanStep.CONFIDENCE: N_(
        "<b>How sure are you</b> that you can do it, from 0 (not at all) to 10 (completely)?"
    ),
}
PLAN_LABELS = {
    PlanStep.WHAT: N_("What"),
    PlanStep.HOW_MUCH: N_("How much"),
    PlanStep.WHEN: N_("When"),
    PlanStep.HOW_OFTEN: N_("How often"),
}


def plan_question(tr: Translator, step: PlanStep) -> Reply:
    """A question of the plan, with a way out (the plan is not kept)."""
    out = [InlineKeyboardButton(tr._("Stop"), callback_data=cb.DropDialog(DialogKind.PLAN).pack())]
    if step is not PlanStep.CONFIDENCE:
        return Reply(tr._(PLAN_QUESTIONS[step]), [out])
    numbers = [
        InlineKeyboardButton(str(n), callback_data=cb.PlanChoice(str(n)).pack()) for n in range(11)
    ]
    return Reply(tr._(PLAN_QUESTIONS[step]), [numbers[:6], numbers[6:], out])


def plan_problem(tr: Translator, step: PlanStep, invalid: Invalid) -> Reply:
    question = plan_question(tr, step)
    if step is PlanStep.CONFIDENCE:
        problem = tr._("Please choose a number from 0 to 10.")
    elif invalid.problem is Problem.TOO_LONG:
        problem = tr._("That is a bit long. Please keep it short.")
    else:
        problem = tr._("Please write a few words.")
    return Reply(f"{problem}\n\n{question.text}", question.buttons)


def plan_smaller(tr: Translator, confidence: int) -> Reply:
    text = tr._(
        "Thank you! {confidence} out of 10 is a start. A plan feels easier when it is a little"
        " smaller: a bit less, or less often. Would you like to make it smaller?",
        confidence=confidence,
    )
    rows = [
        [
            InlineKeyboardButton(
                tr._("Yes, make it smaller"), callback_data=cb.PlanChoice("smaller").pack()
            )
        ],
        [
            InlineKeyboardButton(
                tr._("No, keep this plan"), callback_data=cb.PlanChoice("keep", confidence).pack()
            )
        ],
    ]
    return Reply(text, rows)


def plan_card(tr: Translator, answers: dict[str, str], confidence: int) -> str:
    lines = [tr._("📝 <b>My action plan</b>")]
    for step, label in PLAN_LABELS.items():
        lines.append(f"{tr._(label)}: {escape(answers.get(step.value, ''))}")
    lines.append(tr._("How sure: {confidence}/10", confidence=confidence))
    return "\n".join(lines)


def plan_start_again(tr: Translator) -> str:
    return tr._(
        "I was restarted in between, so I no longer have your earlier answers. Let us start again."
    )


def plan_saved(tr: Translator) -> str:
    return tr._("Good luck! I pinned your plan here. Next time I will ask how it went.")


def plan_not_for_you(tr: Translator) -> str:
    return tr._(
        "Action plans are for group members. Join your group with the link from your leader first."
    )


def with_plan(tr: Translator, text: str, confidence: int) -> str:
    return (
        text
        + "\n\n"
        + tr._(
            "You made an action plan (how sure: {confidence}/10). The plan question is about it.",
            confidence=confidence,
        )
    )
