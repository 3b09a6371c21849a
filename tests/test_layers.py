"""Dependency direction: the core (knowledge, language) never loads rasa, rasa_sdk or telegram."""

import subprocess
import sys

import pytest

CORE = [
    "bot.knowledge.lint",
    "bot.knowledge.render",
    "bot.nlu.export",
    "bot.language.detect",
    "bot.language.i18n",
    "bot.cli",
    "bot.console",
    "bot.nlu.training",
    "bot.privacy",
    "bot.risk.engine",
    "bot.risk.check",
    "bot.risk.live",
    "bot.risk.card",
    "bot.risk.answers",
    "bot.risk.report",
    "bot.risk.diagram",
]


def assert_imports_none_of(module: str, frameworks: tuple) -> None:
    """Import `module` in a fresh interpreter; fail if any of `frameworks` got loaded."""
    code = (
        f"import sys, {module}; heavy = [m for m in sys.modules if m.split('.')[0] in {frameworks!r}]; "
        "print(heavy); sys.exit(bool(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_heavy_framework(module: str) -> None:
    assert_imports_none_of(module, ("rasa", "rasa_sdk", "telegram", "tensorflow"))


def test_bot_never_imports_rasa_project() -> None:
    import re
    from pathlib import Path

    importing = re.compile(r"^\s*(from|import)\s+rasa_project\b", re.M)
    offenders = [str(p) for p in Path("bot").rglob("*.py") if importing.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_telegram_front_end_never_loads_rasa() -> None:
    assert_imports_none_of("bot.telegram_ui.app", ("rasa", "rasa_sdk", "tensorflow"))


def test_actions_never_import_the_front_ends() -> None:
    import re
    from pathlib import Path

    importing = re.compile(r"^\s*(from|import)\s+bot\.(telegram_ui|rasa_client|console)\b", re.M)
    offenders = [str(p) for p in Path("rasa_project").rglob("*.py") if importing.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
