"""bot/console.py: the terminal chat answers bad input politely and never crashes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from bot.console import ConsoleChat
from bot.rasa_client import RasaClient
from bot.settings import REPO_ROOT, Settings

pytestmark = pytest.mark.model


def chat_lines(settings: Settings, lines: list[str]) -> list[str]:
    written: list[str] = []

    async def run() -> None:
        async with RasaClient(settings.rasa_base_url, timeout=30) as client:
            conversation = ConsoleChat(client, settings, written.append)
            for line in lines:
                before = len(written)
                await conversation.handle(line)
                assert len(written) > before and written[-1].strip(), f"no reply to {line[:30]!r}"

    asyncio.run(run())
    return written


@pytest.mark.parametrize(
    "line, expected",
    [
        ("", "напишите вопрос словами"),
        ("   ", "напишите вопрос словами"),
        ("🙂🙂🙂", "напишите вопрос словами"),
        ("повестка " * 1200, "очень длинное"),
    ],
)
def test_bad_input_gets_a_polite_answer(running_servers: Settings, line: str, expected: str) -> None:
    assert any(expected in text for text in chat_lines(running_servers, [line]))


@pytest.mark.parametrize(
    "line",
    [
        "<b>повестка</b><script>alert(1)</script>",
        "**повестка** [link](http://x)",
        "Wie ist das Wetter in Berlin?",
        "你好，我收到了传票",
    ],
)
def test_markup_and_unknown_languages_do_not_crash(running_servers: Settings, line: str) -> None:
    chat_lines(running_servers, [line])


def test_polite_reply_follows_the_users_language(running_servers: Settings) -> None:
    written = chat_lines(running_servers, ["повестка келди эмне кылам", ""])
    assert "Сурооңузду сөз менен жазыңыз." in written[-1]


def test_numbers_press_buttons(running_servers: Settings) -> None:
    written = chat_lines(running_servers, ["пришла повестка что делать", "1"])
    assert "Источники:" in written[-1] and len(written[-1]) > len(written[-2]) // 2


def test_rasa_down_gives_an_apology(running_servers: Settings) -> None:
    from dataclasses import replace

    down = replace(running_servers, rasa_port=9, request_timeout=2)
    written = chat_lines(down, ["повестка келди, эмне кылам"])
    assert "элчилигине" in written[-1]


def test_chat_command_end_to_end(running_servers: Settings) -> None:
    """`python -m bot chat` against the running servers, typed lines on stdin."""
    env = {**os.environ, "KENESH_RASA_URL": running_servers.rasa_base_url}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="пришла повестка что делать\n\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Источники:" in result.stdout and "Traceback" not in result.stderr
