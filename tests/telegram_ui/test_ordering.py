"""bot/telegram_ui/ordering.py: one user's updates in order, different users at the same time."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.telegram_ui.ordering import PerUserUpdateProcessor


def update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "T", False)
    message = Message(update_id, None, Chat(user_id, "private"), from_user=user, text="x")
    return Update(update_id, message=message)


async def test_same_user_is_serialised_and_others_run_alongside() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=10)
    log = []

    async def handle(name: str, seconds: float) -> None:
        log.append(f"start {name}")
        await asyncio.sleep(seconds)
        log.append(f"end {name}")

    await asyncio.gather(
        processor.process_update(update(1, 7), handle("a1", 0.05)),
        processor.process_update(update(2, 7), handle("a2", 0.0)),
        processor.process_update(update(3, 8), handle("b1", 0.0)),
    )
    assert log.index("end a1") < log.index("start a2")  # a2 waited for a1
    assert log.index("end b1") < log.index("end a1")  # b1 did not wait
    assert processor._locks == {} and processor._users == {}
