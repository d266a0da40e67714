"""The page buttons of long lists: the list is read afresh and the message edited in place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update

from bot.callbacks import Page, PagedView
from bot.context import BotContext
from bot.handlers import broadcast, coordinator, leader, leaders_mail, leadership, meetings
from bot.handlers.common import send
from bot.render.common import Reply
from bot.services.errors import NotAllowed

PAGES: dict[PagedView, Callable[[BotContext, int], Awaitable[Reply]]] = {
    "groups": coordinator.group_page,
    "meetings": meetings.meetings_page,
    "scheduled": broadcast.scheduled_page,
    "links": leader.links_page,
    "checkin": meetings.checkin_page,
    "contact": meetings.contact_page,
    "leaders": leaders_mail.choose_page,
}
# Lists of one thing: the page and whose list it is (cb.Page.of).
PAGES_OF: dict[PagedView, Callable[[BotContext, int, int], Awaitable[Reply]]] = {
    "leadership": leadership.leaders_page,
}


def opens(view: PagedView) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A command that shows the first page of a list; its page function checks the role
    (NotAllowed is answered centrally)."""

    async def command(update: Update, context: BotContext) -> None:
        message = update.effective_message
        assert message
        await send(message, await PAGES[view](context, 0))

    return command


async def page_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query
    data = Page.unpack(query.data)
    # NotAllowed and Stale are answered centrally.
    if data.of is None and data.view in PAGES:
        reply = await PAGES[data.view](context, data.page)
    elif data.of is not None and data.view in PAGES_OF:
        reply = await PAGES_OF[data.view](context, data.page, data.of)
    else:
        raise NotAllowed  # a forged button
    await query.answer()
    await query.edit_message_text(reply.text, reply_markup=reply.markup)
