"""Every topic id the outside evaluation tools ask about is answered by the knowledge base."""

from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import load_knowledge
from bot.settings import REPO_ROOT

REQUIRED = Path(__file__).parents[1] / "fixtures" / "required_topics.yaml"
SHARED = REPO_ROOT.parent / "shared" / "topics.yaml"  # beside the repository on developers' machines


def required_ids() -> list:
    return yaml.safe_load(REQUIRED.read_text(encoding="utf-8"))["topics"]


def test_every_required_topic_is_served() -> None:
    served = set(load_knowledge(REPO_ROOT / "knowledge").topics)
    assert sorted(set(required_ids()) - served) == []


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside this checkout")
def test_the_required_list_matches_the_shared_one() -> None:
    shared = list(yaml.safe_load(SHARED.read_text(encoding="utf-8"))["topics"])
    assert sorted(shared) == sorted(required_ids())
