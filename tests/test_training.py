"""bot/nlu/training.py: the inputs hash changes with what the model learns from, and only with that."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.nlu.export import export
from bot.nlu.training import TRAINING_INPUTS, inputs_hash
from bot.settings import REPO_ROOT, Settings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the repository's training inputs around the small knowledge base, with risk rules."""
    for name in TRAINING_INPUTS:
        source, target = REPO_ROOT / name, tmp_path / name
        if source.is_dir() and not name.startswith("knowledge"):
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    shutil.copytree(FIXTURES / "kb_nlu", tmp_path / "knowledge")
    shutil.copy(FIXTURES / "risk" / "small_rules.yaml", tmp_path / "knowledge" / "risk_rules.yaml")
    return tmp_path


def stamp(root: Path) -> str:
    """What `make train` compares: regenerate the Rasa data from the knowledge base, then hash."""
    load_knowledge.cache_clear()  # the files changed on disk since the last export
    export(replace(Settings(), knowledge_dir=root / "knowledge", rasa_project_dir=root / "rasa_project"))
    return inputs_hash(root)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_answer_or_a_risk_rule_changes_nothing_the_model_learns_from(root: Path) -> None:
    before = stamp(root)
    edit(root / "knowledge" / "topics" / "evasion_liability.yaml", "Короткий ответ", "Новый короткий ответ")
    edit(root / "knowledge" / "risk_rules.yaml", "Иностранца не призывают.", "Иностранца не призывают на службу.")
    assert stamp(root) == before


def test_an_example_question_changes_the_hash(root: Path) -> None:
    before = stamp(root)
    edit(
        root / "knowledge" / "examples" / "topics" / "evasion_liability.yaml",
        "  - povestka omad naravam jarima chand\n",
        "  - povestka omad naravam jarima chand somon\n",
    )
    assert stamp(root) != before


def test_renaming_a_topic_changes_the_hash_and_the_intents(root: Path) -> None:
    """Its id is an intent the model learns, though the topic files themselves are not hashed."""
    before = stamp(root)
    knowledge = root / "knowledge"
    for folder in ("topics", "examples/topics"):
        (knowledge / folder / "summons_received.yaml").rename(knowledge / folder / "summons_came.yaml")
    edit(knowledge / "topics" / "summons_came.yaml", "id: summons_received", "id: summons_came")
    assert stamp(root) != before
    assert "  - summons_came\n" in (root / "rasa_project" / "domain.yml").read_text(encoding="utf-8")


def test_the_example_questions_are_those_of_the_knowledge_folder_in_use(root: Path, tmp_path: Path) -> None:
    """The desk edits KENESH_KNOWLEDGE_DIR, which may be a checkout outside the repository."""
    elsewhere = Path(shutil.copytree(root / "knowledge", tmp_path / "checkout" / "knowledge"))
    assert inputs_hash(root, knowledge=elsewhere) == inputs_hash(root)
    edit(
        elsewhere / "examples" / "topics" / "evasion_liability.yaml",
        "  - povestka omad naravam jarima chand\n",
        "  - povestka omad naravam jarima chand somon\n",
    )
    assert inputs_hash(root, knowledge=elsewhere) != inputs_hash(root)
