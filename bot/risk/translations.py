"""What in knowledge/risk_rules.yaml is translated: each question's and finding's `text`.

Parity works as for the entries (bot.knowledge.parity); `python -m bot kb confirm risk_rules`
records the current Russian fingerprint in every translation a translator has checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bot.knowledge.parity import SOURCE_LANGUAGE, confirm, fields_fingerprint
from bot.risk.rules import FindingText, QuestionText


def rule_texts(data: Any) -> Iterator[tuple[str, Any, str]]:
    """("<question or finding id>.", its `text` mapping, the current Russian fingerprint), for `confirm`."""
    for kind, model in (("questions", QuestionText), ("findings", FindingText)):
        for item in data[kind]:
            yield f"{item['id']}.", item["text"], fields_fingerprint(model(**item["text"][SOURCE_LANGUAGE]))


def confirm_rules(path: Path, languages: Iterable[str] | None = None) -> list[str]:
    """Confirm every translation in the rules file; return "<item>.<lang>" changed."""
    return confirm(path, rule_texts, languages)
