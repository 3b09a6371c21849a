"""Terminal chat over Rasa's REST channel: the same path the Telegram bot uses.

Buttons are shown numbered; typing the number presses the button (sends its payload).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import TextIO

from bot.errors import RasaUnavailable
from bot.incoming import clean
from bot.language.codes import DEFAULT_LANGUAGE, LANGUAGES
from bot.language.detect import detect, load_identifier
from bot.language.i18n import gettext_for
from bot.rasa_client import RasaClient, Reply
from bot.settings import Settings

PROMPT = "> "


def _render(replies: list[Reply]) -> tuple[str, list[str]]:
    lines, payloads = [], []
    for reply in replies:
        if reply.text:
            lines.append(reply.text)
        for title, payload in reply.buttons:
            payloads.append(payload)
            lines.append(f"  [{len(payloads)}] {title}")
    return "\n".join(lines), payloads


class ConsoleChat:
    """One terminal conversation under a random pseudonym."""

    def __init__(self, client: RasaClient, settings: Settings, write: Callable[[str], None]) -> None:
        self.client, self.settings, self.write = client, settings, write
        self.sender_id = f"console-{uuid.uuid4().hex[:12]}"
        self.script = DEFAULT_LANGUAGE
        self.payloads: list[str] = []
        self.language_model = load_identifier(settings.language_model_path)

    async def handle(self, line: str) -> None:
        """Answer one line typed by the user."""
        stripped = line.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.payloads):
            await self._send(self.payloads[int(stripped) - 1])
            return
        incoming = clean(line, self.settings.max_message_chars)
        _ = gettext_for(self.script)
        if not incoming.has_words:
            self.write(_("Please write your question in words."))
            return
        detection = detect(incoming.text, self.language_model)
        if detection.confidence > 0 and detection.language != "en":
            self.script = detection.serve_script
            _ = gettext_for(self.script)
        if incoming.truncated:
            self.write(_("Your message is very long. I read only the beginning."))
        await self._send(incoming.text)

    async def greet(self) -> None:
        """The greeting and the menu, as Rasa gives them to a new conversation."""
        await self._send("/greet")

    async def _send(self, text: str) -> None:
        try:
            replies = await self.client.send(self.sender_id, text)
        except RasaUnavailable:
            _ = gettext_for(self.script)
            self.write(
                _(
                    "Sorry, the assistant is not available right now. Please try again in a few minutes. "
                    "If it is urgent, contact your country's embassy or consulate."
                )
            )
            return
        shown, self.payloads = _render(replies)
        self.write(shown)


def banner() -> str:
    """The first lines, in every language: the user's language is not known yet."""
    lines = ["Kenesh"]
    for script in LANGUAGES:
        _ = gettext_for(script)
        lines.append(_("Write your question in your language. Ctrl-C ends the chat."))
    return "\n".join(lines)


def chat(settings: Settings, stdin: TextIO | None = None) -> int:
    """Run the terminal chat until end of input or Ctrl-C.

    Lines are read on the main thread, so Ctrl-C ends the chat at once, even while waiting.
    """
    import sys

    stdin = stdin or sys.stdin
    print(banner())
    loop = asyncio.new_event_loop()
    client = RasaClient(settings.rasa_base_url, settings.request_timeout)
    conversation = ConsoleChat(client, settings, print)
    try:
        loop.run_until_complete(conversation.greet())
        while True:
            print(PROMPT, end="", flush=True)
            line = stdin.readline()
            if not line:  # end of input (Ctrl-D)
                print()
                return 0
            loop.run_until_complete(conversation.handle(line))
    except KeyboardInterrupt:
        print()
        return 0
    finally:
        loop.run_until_complete(client.close())
        loop.close()
