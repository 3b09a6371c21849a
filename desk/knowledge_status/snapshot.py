"""The knowledge folder as the knowledge page sees it: read and linted again whenever a file changes.

The page reads the files themselves, not the desk's cached copy (desk.lookup.knowledge), so a
published change shows at once. Reading and `kb lint` take about a second, so the result is kept
for as long as no file in the folder changes (same paths, sizes and modification times) and the
day is the same. The risk rules' exhaustive check of every combination of answers (seconds) is
left to `kb lint` and the editor's validation; its other checks run here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.errors import KnowledgeError
from bot.knowledge import lint as knowledge_lint
from bot.knowledge.loader import KnowledgeBase
from bot.problems import Problem
from bot.risk import check as rules_lint
from bot.risk.rules import RULES_FILE, RiskRules, read_rules

Signature = tuple[tuple[str, int, int], ...]  # (path, size, modification time in ns) of every YAML file


@dataclass(frozen=True)
class Snapshot:
    kb: KnowledgeBase  # the entries that could be read
    rules: RiskRules | None  # None when the file is absent or cannot be read (its problem says why)
    problems: tuple[Problem, ...]  # kb lint's, without the risk rules' exhaustive check


def signature(root: Path) -> Signature:
    files = []
    for path in sorted(root.rglob("*.yaml")):
        stat = path.stat()
        files.append((str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns))
    return tuple(files)


def _rules(root: Path) -> RiskRules | None:
    try:
        return read_rules(root / RULES_FILE)
    except KnowledgeError:
        return None  # rules_lint.lint reports it


@lru_cache(maxsize=4)
def _read(root: Path, files: Signature, today: dt.date) -> Snapshot:
    kb, problems = knowledge_lint.read(root)
    problems += knowledge_lint.check(kb, today) + knowledge_lint.risk_rule_terms(root, kb)
    problems += rules_lint.lint(root, kb, today, every_combination=False)
    rules = _rules(root) if (root / RULES_FILE).exists() else None
    return Snapshot(kb, rules, tuple(problems))


def read(root: Path, today: dt.date) -> Snapshot:
    """The knowledge base under `root` and kb lint's problems on `today` (KnowledgeError: no such folder)."""
    return _read(root, signature(root), today)
