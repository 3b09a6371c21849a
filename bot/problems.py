"""Problem: one thing wrong in a file that people edit (the knowledge base, the risk rules).

A bottom-layer value type, so every linter (bot.knowledge.lint, bot.risk.check) reports in one
shape and the CLI composes their lists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong, named by file and field."""

    file: str
    field: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{self.severity}: {where}: {self.message}"
