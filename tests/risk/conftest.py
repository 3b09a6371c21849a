"""The real rules and knowledge base, loaded once for the risk tests."""

import pytest

from bot.knowledge.loader import load_knowledge
from bot.risk.rules import load_rules
from bot.settings import REPO_ROOT


@pytest.fixture(scope="session")
def rules():
    return load_rules(REPO_ROOT / "knowledge")


@pytest.fixture(scope="session")
def kb():
    return load_knowledge(REPO_ROOT / "knowledge")
