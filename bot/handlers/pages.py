"""The page buttons of long lists: the list is read afresh and the message edited in place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update

from bot.callbacks import Page, PagedView
from bot.context import BotContext
from bot.handlers import (
    broadcast,
    coordinator,
    leader,
    leaders_mail,
    leadership,
    library,
    meetings,
)
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
    "library": library.library_page,
}
# Views with a list for each key: the key is part of the page button.
KEYED_PAGES: dict[PagedView, Callable[[BotContext, str, int], Awaitable[Reply]]] = {
    "tips": broadcast.topic_page,
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
    # NotAllowed is answered centrally: also a key where none belongs, or none where one does.
    if data.key is None and data.view in PAGES:
        reply = await PAGES[data.view](context, data.page)
    elif data.key is not None and data.view in KEYED_PAGES:
        reply = await KEYED_PAGES[data.view](context, data.key, data.page)
    else:
        raise NotAllowed
    await query.answer()
    await query.edit_message_text(reply.text, reply_markup=reply.markup)
