"""What handlers and jobs reach through the context: the services, typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.db.database import Database
from bot.delivery.sender import Sender
from bot.domain.clock import Clock
from bot.domain.models import Access
from bot.i18n import Translator
from bot.services.action_plans import ActionPlans
from bot.services.broadcasts import Broadcasts
from bot.services.buddies import Buddies
from bot.services.checkins import Checkins
from bot.services.contact_log import ContactLog
from bot.services.dialogs import Dialogs
from bot.services.escalation import Escalations
from bot.services.leaders_mail import LeadersMail
from bot.services.leadership import Leadership
from bot.services.library import Library
from bot.services.library_items import LibraryItems
from bot.services.meetings import Meetings
from bot.services.messages import Messages
from bot.services.onboarding import Onboarding
from bot.services.outbox import Outbox
from bot.services.outside_contacts import OutsideContacts
from bot.services.people import People
from bot.services.privacy import Privacy
from bot.services.reminders import Reminders
from bot.services.summaries import Summaries
from bot.services.welfare import Welfare


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    db: Database
    people: People
    onboarding: Onboarding
    contact_log: ContactLog
    outbox: Outbox
    broadcasts: Broadcasts
    library: Library
    library_items: LibraryItems
    meetings: Meetings
    checkins: Checkins
    action_plans: ActionPlans
    dialogs: Dialogs
    outside_contacts: OutsideContacts
    privacy: Privacy
    summaries: Summaries
    welfare: Welfare
    buddies: Buddies
    messages: Messages
    reminders: Reminders
    escalations: Escalations
    leaders_mail: LeadersMail
    leadership: Leadership

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone


@dataclass(frozen=True)
class Actor:
    """The person behind an update: what they may do and their language."""

    access: Access
    tr: Translator

    @property
    def user_id(self) -> int:
        return self.access.user_id


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with `services` and `actor`, so handlers need no casts of bot_data.

    PTB builds one context per update and passes it to the handlers of every group, so the
    actor that handler group -1 resolves is the one the answering handler sees. The error
    handler gets a context of its own (no actor). Not shared between updates.
    """

    _actor: Actor | None = None

    @property
    def services(self) -> Services:
        services = self.bot_data.get("services")
        if not isinstance(services, Services):
            raise RuntimeError("services are set in post_init before any update is handled")
        return services

    @property
    def sender(self) -> Sender:
        sender = self.bot_data.get("sender")
        if not isinstance(sender, Sender):
            raise RuntimeError("the outbox sender is started in post_init")
        return sender

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            raise RuntimeError("the actor is resolved in handler group -1 for this update")
        return self._actor

    @actor.setter
    def actor(self, actor: Actor) -> None:
        self._actor = actor


RyhmaApp = Application[Any, BotContext, Any, Any, Any, Any]
