"""bot.risk.live: a changed knowledge folder is served once it settles; a broken or half-read one never is."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import time
from pathlib import Path

import pytest

from bot.knowledge import loader
from bot.risk import live
from bot.risk.live import LiveKnowledge, stamp_of
from bot.settings import REPO_ROOT

TOPIC = "summons_received"
OLD_END = "Сохраните повестку и спросите юриста или консульство."
NEW_END = "Сохраните повестку. Позвоните юристу сегодня."


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A writable copy of the real knowledge folder."""
    return Path(shutil.copytree(REPO_ROOT / "knowledge", tmp_path / "knowledge"))


def publish(path: Path, text: str) -> None:
    """Write a file as the desk's publisher does: a temporary file renamed into place."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    publish(path, text.replace(old, new, 1))


def short_ru(served: LiveKnowledge) -> str:
    return served.knowledge.topic(TOPIC).text["ru"].short


def settle(served: LiveKnowledge) -> bool:
    """Poll twice, as the watcher does: the first poll sees the change, the second finds it settled."""
    return any([served.check(), served.check()])


def test_a_changed_answer_is_served_once_the_files_settle(knowledge_dir: Path) -> None:
    served = LiveKnowledge(knowledge_dir)
    before = served.current()
    edit(knowledge_dir / "topics" / f"{TOPIC}.yaml", OLD_END, NEW_END)

    assert not served.check()  # just written: maybe not finished
    assert short_ru(served).endswith(OLD_END)
    assert served.check()
    assert short_ru(served).endswith(NEW_END)
    assert served.current() is not before and served.rules is not before.rules  # one new version, rules too


def test_nothing_is_read_again_while_the_files_stay_the_same(knowledge_dir: Path) -> None:
    served = LiveKnowledge(knowledge_dir)
    before = served.current()
    assert not settle(served) and served.current() is before


def test_a_contact_and_a_risk_rule_text_change_too(knowledge_dir: Path) -> None:
    served = LiveKnowledge(knowledge_dir)
    contact = served.knowledge.contacts.contacts[0]
    question = served.rules.questions[0]
    old_question = question.text["ru"].question
    earlier = contact.last_verified_on - dt.timedelta(days=1)
    edit(
        knowledge_dir / "contacts.yaml", f"last_verified_on: {contact.last_verified_on}", f"last_verified_on: {earlier}"
    )
    edit(knowledge_dir / "risk_rules.yaml", old_question, old_question + " Ответьте честно.")

    assert settle(served)
    assert served.knowledge.contacts.by_id()[contact.id].last_verified_on == earlier
    assert served.rules.question(question.id).text["ru"].question == old_question + " Ответьте честно."


@pytest.mark.parametrize(
    ("file", "old", "new", "at_fault"),
    [
        ("topics/summons_received.yaml", "risk_level: high", "risk_level: [high", "topics/summons_received.yaml"),
        ("topics/summons_received.yaml", "risk_level: high", "risk_level: enormous", "risk_level"),
        ("topics/summons_received.yaml", "related: [", "related: [no_such_topic, ", "related"),
        ("topics/summons_received.yaml", OLD_END, OLD_END + " {contact:nobody}", "text.ru.short"),
        ("risk_rules.yaml", "questions:", "questions: 5\nquestions_again:", "risk_rules.yaml"),
    ],
    ids=["invalid YAML", "schema", "unknown related topic", "unknown contact", "broken risk rules"],
)
def test_a_broken_change_keeps_the_old_knowledge_and_warns_once_without_text(
    knowledge_dir: Path, caplog: pytest.LogCaptureFixture, file: str, old: str, new: str, at_fault: str
) -> None:
    served = LiveKnowledge(knowledge_dir)
    before = served.current()
    edit(knowledge_dir / file, old, new)
    with caplog.at_level(logging.WARNING, logger=live.__name__):
        assert not settle(served)
        assert not settle(served)  # not read again, not warned again
    assert served.current() is before
    [warning] = [record.getMessage() for record in caplog.records]
    assert at_fault in warning and "previous version" in warning
    assert "enormous" not in warning and "nobody" not in warning and "no_such_topic" not in warning


def test_a_broken_change_once_fixed_is_served(knowledge_dir: Path) -> None:
    served = LiveKnowledge(knowledge_dir)
    topic = knowledge_dir / "topics" / f"{TOPIC}.yaml"
    edit(topic, "risk_level: high", "risk_level: [high")
    assert not settle(served)
    edit(topic, "risk_level: [high", "risk_level: high")
    edit(topic, OLD_END, NEW_END)
    assert settle(served) and short_ru(served).endswith(NEW_END)


def test_an_entry_removed_needs_a_retraining_and_is_not_served(knowledge_dir: Path) -> None:
    served = LiveKnowledge(knowledge_dir)
    (knowledge_dir / "topics" / "consular_help.yaml").unlink()
    (knowledge_dir / "examples" / "topics" / "consular_help.yaml").unlink()
    edit(knowledge_dir / "topics" / "summons_received.yaml", "related: [", "related: [")  # a fresh write
    for path in (knowledge_dir / "topics").glob("*.yaml"):  # and no topic names it any more
        text = path.read_text(encoding="utf-8")
        if "consular_help" in text:
            publish(path, text.replace("consular_help, ", "").replace(", consular_help", ""))
    assert not settle(served)
    assert "consular_help" in served.knowledge.topics


def test_a_multi_file_change_is_served_whole(knowledge_dir: Path) -> None:
    """Two files published one after the other, each of them valid alone: no version with only the
    first is served, even when a poll falls between the two writes."""
    served = LiveKnowledge(knowledge_dir)
    contact = served.knowledge.contacts.contacts[0]
    earlier = contact.last_verified_on - dt.timedelta(days=1)
    edit(knowledge_dir / "topics" / f"{TOPIC}.yaml", OLD_END, NEW_END)
    assert not served.check()  # a poll between the two files
    edit(
        knowledge_dir / "contacts.yaml", f"last_verified_on: {contact.last_verified_on}", f"last_verified_on: {earlier}"
    )

    assert not served.check()  # changed again since the last poll: not settled
    assert short_ru(served).endswith(OLD_END)
    assert served.check()
    assert (
        short_ru(served).endswith(NEW_END) and served.knowledge.contacts.by_id()[contact.id].last_verified_on == earlier
    )


def test_a_text_naming_a_new_contact_waits_for_the_contact(knowledge_dir: Path) -> None:
    """The first half of a change that cannot stand alone (a text names a contact not yet written) is
    refused, and the whole is served once the second half lands."""
    served = LiveKnowledge(knowledge_dir)
    edit(knowledge_dir / "topics" / f"{TOPIC}.yaml", OLD_END, NEW_END + " {contact:new_line}")
    assert not settle(served) and short_ru(served).endswith(OLD_END)
    contacts = knowledge_dir / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    first = served.knowledge.contacts.contacts[0].id
    block = text[text.index(f"  - id: {first}") :].split("\n\n", 1)[0]  # contacts are separated by blank lines
    publish(contacts, text.replace(block, block + "\n\n" + block.replace(f"id: {first}", "id: new_line"), 1))
    assert settle(served)
    assert short_ru(served).endswith("{contact:new_line}") and "new_line" in served.knowledge.contacts.by_id()


def test_files_written_while_being_read_are_read_again(knowledge_dir: Path, monkeypatch) -> None:
    served = LiveKnowledge(knowledge_dir)
    topic = knowledge_dir / "topics" / f"{TOPIC}.yaml"
    edit(topic, OLD_END, NEW_END)
    served.check()
    read = loader.read_knowledge

    def read_then_write(root: Path, **options):
        result = read(root, **options)
        edit(topic, NEW_END, NEW_END + " Не ждите.")  # the next change lands during the reading
        return result

    monkeypatch.setattr(live, "read_knowledge", read_then_write)
    assert not served.check()
    assert short_ru(served).endswith(OLD_END)  # what was read is dropped
    monkeypatch.setattr(live, "read_knowledge", read)
    assert settle(served) and short_ru(served).endswith(NEW_END + " Не ждите.")


def test_example_questions_are_those_the_model_learned_from(knowledge_dir: Path) -> None:
    """Examples are read at start only: a change to them alone reads nothing, and a served change
    keeps them as they were."""
    served = LiveKnowledge(knowledge_dir)
    before, stamp = served.current(), stamp_of(knowledge_dir)
    learned = before.knowledge.examples[TOPIC]["ru"][0]
    examples = knowledge_dir / "examples" / "topics" / f"{TOPIC}.yaml"
    edit(examples, learned, learned + " срочно")
    assert stamp_of(knowledge_dir) == stamp
    assert not settle(served) and served.current() is before

    edit(knowledge_dir / "topics" / f"{TOPIC}.yaml", OLD_END, NEW_END)
    assert settle(served) and short_ru(served).endswith(NEW_END)
    assert served.knowledge.examples[TOPIC]["ru"][0] == learned


def test_the_watcher_serves_a_change_without_being_asked(knowledge_dir: Path) -> None:
    served = LiveKnowledge(knowledge_dir, poll=0.05, watch=True)
    served.current()  # starts the watcher
    try:
        edit(knowledge_dir / "topics" / f"{TOPIC}.yaml", OLD_END, NEW_END)
        deadline = time.monotonic() + 30
        while not short_ru(served).endswith(NEW_END) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert short_ru(served).endswith(NEW_END)
    finally:
        served.stop()


def test_one_live_knowledge_per_folder_and_process(knowledge_dir: Path) -> None:
    first = live.serving(knowledge_dir)
    try:
        assert live.serving(knowledge_dir / ".." / "knowledge") is first
    finally:
        first.stop()
