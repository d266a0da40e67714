"""Who someone is to the bot (roles, checked on every update) and their language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db import groups as groups_sql
from bot.db import people as people_sql
from bot.db.database import Database
from bot.domain.clock import Clock
from bot.domain.languages import LANGUAGES
from bot.domain.models import Access, Role


@dataclass(frozen=True)
class Coordinator:
    user_id: int
    area_names: tuple[str, ...]  # empty: all areas
    from_settings: bool  # named in COORDINATOR_IDS


class UnknownAreas(Exception):
    def __init__(self, unknown: list[str], known: list[str]) -> None:
        super().__init__(unknown)
        self.unknown, self.known = unknown, known


def language_from_telegram(code: str | None, default: str) -> str:
    """Telegram's language_code ('fi', 'sv-FI', 'en-GB', …) to one we speak."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else default


class People:
    def __init__(
        self, db: Database, clock: Clock, global_coordinators: frozenset[int], default_language: str
    ) -> None:
        self._db = db
        self._clock = clock
        self._global = global_coordinators
        self.default_language = default_language

    async def access(self, user_id: int) -> Access:
        return self._access(await people_sql.person(self._db, user_id))

    async def actor(self, user_id: int, telegram_code: str | None) -> tuple[Access, str]:
        """`access` and `language` from one read (for every update)."""
        person = await people_sql.person(self._db, user_id)
        return self._access(person), self._language(person.language, telegram_code)

    def _access(self, person: people_sql.PersonRow) -> Access:
        all_areas, areas = person.coordinator
        roles = person.memberships
        return Access(
            user_id=person.user_id,
            all_areas=all_areas or person.user_id in self._global,
            coordinator_areas=areas,
            leader_of=frozenset(g for g, role in roles if role is Role.LEADER),
            participant_of=frozenset(g for g, role in roles if role is Role.PARTICIPANT),
        )

    async def language(self, user_id: int, telegram_code: str | None) -> str:
        """A chosen language wins; otherwise Telegram's, then the default."""
        stored = await people_sql.person_language(self._db, user_id)
        return self._language(stored, telegram_code)

    def _language(self, stored: tuple[str, bool] | None, telegram_code: str | None) -> str:
        if stored and stored[1]:
            return stored[0]
        if telegram_code:
            return language_from_telegram(telegram_code, self.default_language)
        return stored[0] if stored else self.default_language

    async def stored_language(self, user_id: int) -> str:
        """For messages sent without an incoming update (jobs, menus)."""
        stored = await people_sql.person_language(self._db, user_id)
        return stored[0] if stored else self.default_language

    async def choose_language(self, user_id: int, language: str) -> bool:
        """Remember a choice for someone the bot already knows; False for strangers."""
        if language not in LANGUAGES:
            raise ValueError(language)
        async with self._db.transaction() as tx:
            return await people_sql.set_language(tx, user_id, language)

    async def add_coordinator(
        self, user_id: int, area_names: list[str], *, create_areas: bool = False
    ) -> None:
        """Operator's CLI: coordinator of the named areas, or of all areas if none.

        An unknown area is created only when asked: a typo must not make a new municipality.
        """
        async with self._db.transaction() as tx:
            area_ids, unknown = [], []
            for name in area_names:
                area = await groups_sql.area_by_name(tx, name.strip(), create=create_areas)
                if area is None:
                    unknown.append(name.strip())
                else:
                    area_ids.append(area.id)
            if unknown:
                known = [area.name for area in await groups_sql.areas(tx)]
                raise UnknownAreas(unknown, known)
            await people_sql.add_coordinator(tx, user_id, area_ids, self.default_language)

    async def coordinators(self) -> list[Coordinator]:
        """Operator's CLI: every coordinator, those of COORDINATOR_IDS too."""
        stored = {c.user_id: c for c in await people_sql.coordinators(self._db)}
        found = [
            Coordinator(c.user_id, () if c.all_areas else c.area_names, False)
            for c in stored.values()
            if c.user_id not in self._global
        ]
        found += [Coordinator(user_id, (), True) for user_id in self._global]
        return sorted(found, key=lambda c: c.user_id)

    async def remove_coordinator(self, user_id: int) -> bool:
        """Operator's CLI: False if they were not a coordinator (in the database)."""
        async with self._db.transaction() as tx:
            return await people_sql.remove_coordinator(tx, user_id)

    async def staff(self) -> list[int]:
        return sorted(set(await people_sql.staff_ids(self._db)) | self._global)
