"""`python -m bot`: exit statuses and one-line errors instead of tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

SMALL_KB = Path(__file__).parent / "fixtures" / "kb_valid"


@pytest.mark.slow
def test_kb_lint_passes_on_the_real_knowledge_base(cli) -> None:
    """`make kb-lint` in a fresh process (tests/knowledge/test_lint.py lints the real knowledge base in-process)."""
    result = cli(["kb", "lint"])
    assert result.returncode == 0 and "0 error(s)" in result.stdout


def test_kb_lint_fails_and_names_file_and_field(cli, valid_kb: Path) -> None:
    (valid_kb / "topics" / "alpha_topic.yaml").write_text(
        (valid_kb / "topics" / "alpha_topic.yaml").read_text().replace("checked_on: 2026-01-01", "")
    )
    result = cli(["kb", "lint"], env={"KENESH_KNOWLEDGE_DIR": str(valid_kb)})
    assert result.returncode == 1
    assert "alpha_topic.yaml: sources.0.checked_on: field required" in result.stdout


def test_kb_confirm_confirms_an_entry_and_the_risk_rules_the_same_way(cli, valid_kb: Path) -> None:
    """One mechanism for both kinds of file: the same command, output and refusal."""
    import shutil

    shutil.copy(Path(__file__).parent / "fixtures" / "risk" / "small_rules.yaml", valid_kb / "risk_rules.yaml")
    greet = valid_kb / "meta" / "greet.yaml"
    greet.write_text(greet.read_text(encoding="utf-8").replace("    source_fingerprint: f8f493e8f3b0\n", ""))
    env = {"KENESH_KNOWLEDGE_DIR": str(valid_kb)}

    entry = cli(["kb", "confirm", "greet", "ky"], env=env)
    rules = cli(["kb", "confirm", "risk_rules", "tg"], env=env)
    again = cli(["kb", "confirm", "risk_rules", "tg"], env=env)
    russian = cli(["kb", "confirm", "greet", "ru"], env=env)

    assert (entry.returncode, entry.stdout) == (0, "kb confirm: greet: confirmed ky\n")
    assert (rules.returncode, rules.stdout) == (
        0,
        "kb confirm: risk_rules: confirmed citizen.tg, summons_date.tg, foreigner.tg, citizen_summons.tg\n",
    )
    assert (again.returncode, again.stdout) == (0, "kb confirm: risk_rules: already up to date\n")
    assert russian.returncode == 2 and "ru: not a translation language" in russian.stderr
    assert greet.read_text(encoding="utf-8").count("source_fingerprint") == 1


def test_missing_model_is_one_line_not_a_traceback(cli, tmp_path: Path) -> None:
    # The small knowledge base: reading the real one takes seconds and has nothing to do with the model.
    env = {"KENESH_MODEL_PATH": str(tmp_path / "none.tar.gz"), "KENESH_KNOWLEDGE_DIR": str(SMALL_KB)}
    result = cli(["classify"], env=env, stdin='{"id":1,"text":"x"}\n')
    assert result.returncode == 1
    assert "no trained model" in result.stderr and "Traceback" not in result.stderr


def test_telegram_without_a_token_says_how_to_get_one(cli) -> None:
    result = cli(["telegram"], env={"TELEGRAM_BOT_TOKEN": ""})
    assert result.returncode == 1
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr and "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr
