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


@pytest.fixture
def summoned() -> dict:
    """A Kyrgyz dual citizen in Russia, registered, who got an electronic summons on 20 November 2026."""
    return {
        "situation_now": "none",
        "home_country": "kg",
        "russian_citizen": "citizen",
        "location": "russia",
        "sex": "male",
        "age_band": "age_30_65",
        "military_registration": "registered",
        "summons": "electronic",
        "summons_date": "2026-11-20",
        "appearance_date": "2026-12-20",
        "contract": "none",
        "occupied_work": "none",
        "family": "none",
    }


@pytest.fixture
def promised_citizenship() -> dict:
    """A young Kyrgyz man in Russia, not a Russian citizen, offered a contract with a Russian passport."""
    return {
        "situation_now": "none",
        "home_country": "kg",
        "russian_citizen": "not_citizen",
        "location": "russia",
        "sex": "male",
        "age_band": "age_18_29",
        "summons": "none",
        "contract": "offered",
        "citizenship_promise": "promised",
        "residence_application": "none",
        "occupied_work": "none",
        "family": "none",
    }
