"""End to end: a knowledge change published on disk reaches a Telegram user with no retraining and
no restart (bot.risk.live); bench/live_knowledge_bench.py measures how fast (target: within 2 s).
The real action and Rasa servers and the real bot run on a copy of the knowledge folder, which the
test edits as the desk's publisher does."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_process import BotProcess, answer_once_it_changes, assistant_on
from fake_bot_api import FakeBotAPI

from bot.settings import REPO_ROOT, Settings
from bot.telegram_ui.formatting import escape

pytestmark = pytest.mark.model

QUESTION = "мне пришла электронная повестка, что делать?"
TOPIC_FILE = Path("topics") / "summons_received.yaml"
OLD_END = "Сохраните повестку и спросите юриста или консульство."


@dataclasses.dataclass
class Assistant:
    bot: BotProcess
    fake: FakeBotAPI

    @property
    def settings(self) -> Settings:
        return self.bot.settings

    @property
    def topic(self) -> Path:
        return self.settings.knowledge_dir / TOPIC_FILE

    def ask(self, user: int) -> str:
        return self.fake.answer_to(user, QUESTION)


def publish(path: Path, old: str, new: str) -> None:
    """Change a file as the desk's publisher does: a temporary file renamed into place."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture(scope="module")
def assistant(trained_settings: Settings, own_telegram: FakeBotAPI, tmp_path_factory) -> Iterator[Assistant]:
    """The servers and the bot on their own copy of the knowledge folder."""
    root = tmp_path_factory.mktemp("live")
    knowledge = Path(shutil.copytree(REPO_ROOT / "knowledge", root / "knowledge"))
    with assistant_on(knowledge, trained_settings, own_telegram, root / "state", "live") as bot:
        yield Assistant(bot, own_telegram)


def test_a_changed_short_answer_reaches_the_user_without_a_restart(assistant: Assistant) -> None:
    user = 7_500_001
    assert escape(OLD_END) in assistant.ask(user)

    new_end = "Сохраните повестку. Сегодня же позвоните юристу."
    publish(assistant.topic, OLD_END, new_end)
    answer = answer_once_it_changes(assistant.fake, user, QUESTION, OLD_END)
    assert escape(new_end) in answer and escape(OLD_END) not in answer

    # a broken change is never served: the user keeps getting the last good answer
    publish(assistant.topic, "risk_level: high", "risk_level: [high")
    actions_log = assistant.settings.state_dir / "log" / "actions.log"
    assistant.fake.wait_for(lambda: "A knowledge change was not served" in actions_log.read_text(encoding="utf-8"))
    answer = assistant.ask(user)
    log = actions_log.read_text(encoding="utf-8")
    versions = [line for line in log.splitlines() if "knowledge" in line.lower()]  # no message text is logged
    first = escape(OLD_END) in answer
    assert escape(new_end) in answer, f"after a refused change, the first version: {first}; actions.log: {versions}"
    assert log.count("A knowledge change was not served") == 1
    assert new_end not in log
