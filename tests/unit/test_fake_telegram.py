"""Fast self-tests of the Telegram test kit (tests/support)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

from tests.support.botapi import check_call
from tests.support.fake_request import FakeRequest
from tests.support.fake_server import FakeBotApiServer
from tests.support.fake_telegram import Call, FakeTelegram

USER = 4242
GROUP = -4001
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Kyllä", callback_data="rsvp:yes")]])


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    telegram = FakeTelegram()
    yield telegram
    assert telegram.violations == []


@pytest.fixture
async def server(fake: FakeTelegram) -> AsyncIterator[FakeBotApiServer]:
    api = FakeBotApiServer(fake)
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def http_bot(fake: FakeTelegram, server: FakeBotApiServer) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=f"{server.base_url}/bot") as bot:
        yield bot


@pytest.fixture
async def local_bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    bot = Bot(fake.token, request=FakeRequest(fake), get_updates_request=FakeRequest(fake))
    async with bot:
        yield bot


# ----- schema ---------------------------------------------------------------------------------


def test_check_call_reports_each_kind_of_problem() -> None:
    assert check_call("sendMesage", {}) == ["unknown method 'sendMesage'"]
    assert check_call("sendMessage", {"chat_id": 1}) == [
        "sendMessage: missing required parameter 'text'"
    ]
    assert check_call("getMe", {"x": 1}) == ["getMe: unknown parameter 'x'"]
    assert check_call("sendMessage", {"chat_id": 1, "text": "hei"}) == []


def test_violations_are_recorded_and_answered_400(fake: FakeTelegram) -> None:
    status, body = fake.handle("sendMessage", {"chat_id": USER, "txt": "hei"})
    assert status == 400
    assert body["description"].startswith("Bad Request: sendMessage: missing required")
    assert fake.calls == [Call("sendMessage", {"chat_id": USER, "txt": "hei"}, 400)]
    assert len(fake.violations) == 2
    fake.violations.clear()


# ----- rate limits ----------------------------------------------------------------------------


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def send(fake: FakeTelegram, chat_id: int) -> tuple[int, dict[str, Any]]:
    return fake.handle("sendMessage", {"chat_id": chat_id, "text": "hei"})


def test_private_chat_allows_one_message_per_second() -> None:
    clock = ManualClock()
    fake = FakeTelegram(enforce_rate_limits=True, clock=clock)
    assert send(fake, USER)[0] == 200
    status, body = send(fake, USER)
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    assert body["description"] == "Too Many Requests: retry after 1"
    clock.now += 1.0
    assert send(fake, USER)[0] == 200
    assert fake.rate_limited == 1


def test_group_chat_allows_twenty_messages_per_minute() -> None:
    clock = ManualClock()
    fake = FakeTelegram(enforce_rate_limits=True, clock=clock)
    for second in range(20):
        clock.now = 1000.0 + second
        assert send(fake, GROUP)[0] == 200
    status, body = send(fake, GROUP)
    assert (status, body["parameters"]["retry_after"]) == (429, 41)  # first send frees at 1060
    clock.now = 1060.0
    assert send(fake, GROUP)[0] == 200


def test_thirty_messages_per_second_overall_and_chat_actions_are_free() -> None:
    fake = FakeTelegram(enforce_rate_limits=True, clock=ManualClock())
    assert all(send(fake, USER + n)[0] == 200 for n in range(30))
    assert send(fake, USER + 99)[0] == 429
    assert fake.handle("sendChatAction", {"chat_id": USER, "action": "typing"})[0] == 200


def test_a_copy_of_several_messages_counts_each_of_them() -> None:
    fake = FakeTelegram(enforce_rate_limits=True, clock=ManualClock())
    ids = [fake.private_message(USER, text)["message"]["message_id"] for text in "ab"]
    for n in range(3):  # 6 messages, in three group chats
        copy = {"chat_id": GROUP - n, "from_chat_id": USER, "message_ids": ids}
        assert fake.handle("copyMessages", copy)[0] == 200
    assert all(send(fake, USER + n)[0] == 200 for n in range(1, 25))  # 6 + 24 = 30
    assert send(fake, USER + 99)[0] == 429


# ----- updates --------------------------------------------------------------------------------


def update_ids(fake: FakeTelegram, **params: object) -> list[int]:
    status, body = fake.handle("getUpdates", params)
    assert status == 200
    return [update["update_id"] for update in body["result"]]


def test_get_updates_offset_confirms_like_telegram(fake: FakeTelegram) -> None:
    first, second, third = (fake.private_message(USER, f"viesti {n}") for n in range(3))
    ids = [first["update_id"], second["update_id"], third["update_id"]]
    assert ids == sorted(ids) and update_ids(fake) == ids
    assert update_ids(fake) == ids  # nothing confirmed yet
    assert update_ids(fake, offset=ids[1]) == ids[1:]  # confirms the first
    assert update_ids(fake, offset=-1) == ids[2:]  # forgets all but the last
    assert update_ids(fake, offset=ids[2] + 1) == []


async def test_get_updates_long_polls_until_an_update_arrives(fake: FakeTelegram) -> None:
    asyncio.get_running_loop().call_later(0.05, fake.private_message, USER, "/start")
    status, body = await fake.handle_async("getUpdates", {"timeout": 5})
    assert status == 200
    message = body["result"][0]["message"]
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_builders_parse_as_ptb_updates(fake: FakeTelegram, local_bot: Bot) -> None:
    sent = await local_bot.send_message(USER, "Valitse", reply_markup=KEYBOARD)
    built = [
        fake.private_message(USER, "hei"),
        fake.group_message(-1001234567890123, USER, "/apua@ryhmakaveri_test_bot"),
        fake.edited_message(fake.group_message(GROUP, USER, "moi")["message"], "moikka"),
        fake.photo_message(USER, caption="kuva"),
        fake.callback_query(USER, sent.to_dict(), "rsvp:yes"),
        fake.my_chat_member(GROUP, USER, "left", "administrator"),
    ]
    updates = [Update.de_json(update, local_bot) for update in built]
    assert updates[1].effective_chat is not None and updates[1].effective_chat.type == "supergroup"
    assert updates[2].edited_message is not None and updates[2].edited_message.text == "moikka"
    assert updates[4].callback_query is not None and updates[4].callback_query.data == "rsvp:yes"
    assert updates[5].my_chat_member is not None
    with pytest.raises(ValueError, match="no button"):
        fake.callback_query(USER, sent.to_dict(), "forged")


# ----- a real telegram.Bot over both transports -------------------------------------------------


async def exercise_bot(fake: FakeTelegram, bot: Bot) -> None:
    """The same conversation works over HTTP and in process, and records typed params."""
    me = await bot.get_me()
    assert me.username == fake.username
    message = await bot.send_message(USER, "123", reply_markup=KEYBOARD)
    assert message.reply_markup == KEYBOARD
    source = fake.group_message(GROUP, USER, "Tervetuloa!")["message"]
    copy = await bot.copy_message(USER, GROUP, source["message_id"])
    sent = fake.calls_to("sendMessage")[0].params
    assert sent == {"chat_id": USER, "text": "123", "reply_markup": KEYBOARD.to_dict()}
    copied = fake.calls_to("copyMessage")[0].params
    assert copied == {"chat_id": USER, "from_chat_id": GROUP, "message_id": source["message_id"]}
    assert fake.sent_texts(USER) == ["123", "Tervetuloa!"]
    assert copy.message_id == message.message_id + 1


async def test_bot_over_http(fake: FakeTelegram, http_bot: Bot) -> None:
    await exercise_bot(fake, http_bot)


async def test_bot_in_process(fake: FakeTelegram, local_bot: Bot) -> None:
    await exercise_bot(fake, local_bot)


# PTB itself warns that RetryAfter.retry_after will become a timedelta.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_bot_api_errors_map_to_ptb_exceptions(fake: FakeTelegram, local_bot: Bot) -> None:
    fake.block(USER)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await local_bot.send_message(USER, "hei")
    fake.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 3", parameters={"retry_after": 3}
    )
    with pytest.raises(RetryAfter):
        await local_bot.send_message(GROUP, "hei")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await local_bot.send_message(GROUP, "a <b>b", parse_mode="HTML")
    message = await local_bot.send_message(GROUP, "<b>Hei</b> &amp; tervetuloa", parse_mode="HTML")
    assert message.text == "Hei & tervetuloa"
    with pytest.raises(BadRequest, match="not modified"):
        await local_bot.edit_message_text("Hei & tervetuloa", GROUP, message.message_id)


async def test_callback_query_round_trip(fake: FakeTelegram, http_bot: Bot) -> None:
    message = await http_bot.send_message(USER, "Tuletko?", reply_markup=KEYBOARD)
    query = fake.callback_query(USER, message.to_dict(), "rsvp:yes")["callback_query"]
    waiter = asyncio.create_task(fake.wait_for(lambda c: c.method == "answerCallbackQuery"))
    assert await http_bot.answer_callback_query(query["id"], text="Kiitos!")
    assert (await waiter).params == {"callback_query_id": query["id"], "text": "Kiitos!"}
    assert fake.open_queries == set()


async def test_wrong_token_and_unknown_method(fake: FakeTelegram, server: FakeBotApiServer) -> None:
    with pytest.raises(InvalidToken):
        await Bot("1:wrong", base_url=f"{server.base_url}/bot").initialize()
    assert fake.calls == []
    async with Bot(fake.token, base_url=f"{server.base_url}/bot") as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("noSuchMethod")


async def test_dropped_connection_is_a_network_error(
    fake: FakeTelegram, server: FakeBotApiServer, http_bot: Bot
) -> None:
    server.drop_next("sendMessage")
    with pytest.raises(NetworkError):
        await http_bot.send_message(USER, "hei")
    server.error_next("sendMessage")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await http_bot.send_message(USER, "hei")
    assert (await http_bot.send_message(USER, "hei")).text == "hei"
    assert [call.method for call in fake.calls] == ["getMe", "sendMessage"]
