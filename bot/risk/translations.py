"""Translation parity for knowledge/risk_rules.yaml, as bot.knowledge.parity does for the entries.

Each question's and finding's translation records a fingerprint of the Russian text it was made
from; `python -m bot kb confirm risk_rules` records the current one after a translator checked it.
The file is rewritten with ruamel.yaml's round trip, so its layout, quotes and comments stay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from bot.knowledge.parity import SOURCE_LANGUAGE, translation_languages
from bot.risk.rules import FindingText, QuestionText


def text_fingerprint(text: QuestionText | FindingText) -> str:
    """12 hex digits over every Russian string of one question or finding (white space does not count)."""
    data = text.dict(exclude={"source_fingerprint"})
    parts = []
    for key in sorted(data):
        value = data[key]
        items = (
            sorted(value.items())
            if isinstance(value, dict)
            else list(enumerate(value))
            if isinstance(value, list)
            else [("", value)]
        )
        parts += [f"{key}.{name}={' '.join(str(item).split())}" for name, item in items]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]


def _round_trip():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes, yaml.width = True, 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def confirm_rules(path: Path, languages: Iterable[str] | None = None) -> list[str]:
    """Record the current Russian fingerprint in every translation; return "<item>.<lang>" changed."""
    wanted = translation_languages(languages)
    yaml = _round_trip()
    data = yaml.load(path.read_text(encoding="utf-8"))
    changed = []
    for kind, model in (("questions", QuestionText), ("findings", FindingText)):
        for item in data[kind]:
            current = text_fingerprint(model(**item["text"][SOURCE_LANGUAGE]))
            for lang in wanted:
                block = item["text"][lang]
                if block.get("source_fingerprint") != current:
                    if "source_fingerprint" in block:
                        block["source_fingerprint"] = current
                    else:
                        block.insert(1, "source_fingerprint", current)
                    changed.append(f"{item['id']}.{lang}")
    if changed:
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
    return changed
