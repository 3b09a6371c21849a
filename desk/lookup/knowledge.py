"""The knowledge base, the risk rules and the language identifier, as the desk serves them.

The same files the bot reads (KENESH_KNOWLEDGE_DIR), live as the bot's are (bot.risk.live): a
published change shows on the desk's pages within about a second, in every gunicorn worker, with
no restart. A new Rasa model is seen after the desk restarts.
"""

from __future__ import annotations

from django.conf import settings

from bot.knowledge.loader import KnowledgeBase
from bot.language.detect import load_identifier
from bot.language.identifier import LanguageIdentifier
from bot.risk.live import Served, serving
from bot.risk.rules import RiskRules


def served() -> Served:
    """The knowledge base and the rules of one published version (take it once per request)."""
    return serving(settings.KENESH.knowledge_dir).current()


def knowledge() -> KnowledgeBase:
    return served().knowledge


def risk_rules() -> RiskRules:
    return served().rules


def language_identifier() -> LanguageIdentifier | None:
    """The character n-gram model `make train` wrote beside the Rasa model (None before the first training)."""
    return load_identifier(settings.KENESH.language_model_path)
