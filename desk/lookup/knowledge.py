"""The knowledge base, the risk rules and the language identifier, read once per desk process.

The same files the bot reads (KENESH_KNOWLEDGE_DIR); a changed knowledge base is seen after the desk
restarts, as the bot's Rasa model is after `make train`.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.language.detect import load_identifier
from bot.language.identifier import LanguageIdentifier
from bot.risk.rules import RiskRules, load_rules


@lru_cache(maxsize=1)
def knowledge() -> KnowledgeBase:
    return load_knowledge(settings.KENESH.knowledge_dir)


@lru_cache(maxsize=1)
def risk_rules() -> RiskRules:
    return load_rules(settings.KENESH.knowledge_dir)


def language_identifier() -> LanguageIdentifier | None:
    """The character n-gram model `make train` wrote beside the Rasa model (None before the first training)."""
    return load_identifier(settings.KENESH.language_model_path)
