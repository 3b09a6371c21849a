"""The knowledge the editor changes in these tests: a git repository in a temporary folder holding a
copy of the repository's knowledge/, set as KENESH.knowledge_dir. Tests never write to the real
knowledge/ nor commit in the real repository (`_real_knowledge_untouched` checks it).

The copy keeps two example questions per language and entry: reading and comparing all 15 000 is
most of `kb lint`'s time. TOPIC's examples file stays as it is (the editor lints it with the draft,
and two questions are too few for `kb lint`); the others' "too few" errors are in files the editor
does not show as the draft's.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.test import override_settings

from bot.settings import REPO_ROOT

TOPIC = "summons_received"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout.strip()


def _state_of_the_real_knowledge() -> tuple[str, str]:
    return git(REPO_ROOT, "rev-parse", "HEAD"), git(REPO_ROOT, "status", "--porcelain", "--", "knowledge")


@pytest.fixture(autouse=True)
def _real_knowledge_untouched() -> Iterator[None]:
    before = _state_of_the_real_knowledge()
    yield
    assert _state_of_the_real_knowledge() == before


@pytest.fixture
def knowledge_repo(tmp_path: Path) -> Iterator[Path]:
    """A git repository whose one commit holds a copy of knowledge/; the desk edits it for this test.
    Yields the knowledge folder inside it."""
    repo = tmp_path / "knowledge-repo"
    shutil.copytree(REPO_ROOT / "knowledge", repo / "knowledge")
    for path in (repo / "knowledge" / "examples").rglob("*.yaml"):
        if path.relative_to(repo / "knowledge") == Path("examples", "topics", f"{TOPIC}.yaml"):
            continue
        examples = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["examples"]
        few = {"examples": {lang: questions[:2] for lang, questions in examples.items()}}
        path.write_text(yaml.dump(few, Dumper=yaml.CSafeDumper, allow_unicode=True), encoding="utf-8")
    git(tmp_path, "init", "--quiet", str(repo))
    git(repo, "add", "knowledge")
    identity = ["-c", "user.name=Setup", "-c", "user.email=setup@example.invalid", "-c", "commit.gpgsign=false"]
    git(repo, *identity, "commit", "--quiet", "-m", "knowledge as in the repository")
    with override_settings(KENESH=dataclasses.replace(django_settings.KENESH, knowledge_dir=repo / "knowledge")):
        yield repo / "knowledge"
