"""bot/risk/rules.py and check.py: `kb lint` on the risk rules catches each kind of error."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.errors import KnowledgeError
from bot.knowledge.loader import read_knowledge
from bot.risk.check import combinations, lint
from bot.risk.rules import RULES_FILE, read_rules
from bot.risk.translations import confirm_rules
from bot.settings import REPO_ROOT

SMALL = Path(__file__).parents[1] / "fixtures" / "risk" / "small_rules.yaml"
TODAY = __import__("datetime").date(2026, 11, 20)


@pytest.fixture
def kb_with_rules(valid_kb: Path) -> Path:
    """The fixture knowledge base with the small rules file, translations confirmed."""
    shutil.copy(SMALL, valid_kb / RULES_FILE)
    confirm_rules(valid_kb / RULES_FILE)
    return valid_kb


def edit(kb: Path, change: Callable[[dict], None]) -> None:
    path = kb / RULES_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rule_problems(kb: Path) -> list[str]:
    return [str(p) for p in lint(kb, read_knowledge(kb)[0], TODAY)]


def test_the_small_rules_file_is_clean(kb_with_rules: Path) -> None:
    assert rule_problems(kb_with_rules) == []


def test_the_real_rules_enumerate_every_path_of_the_interview() -> None:
    rules = read_rules(REPO_ROOT / "knowledge" / RULES_FILE)
    seen = list(combinations(rules))
    assert len(seen) > 10_000
    assert all("age_band" not in answers for answers in seen if answers.get("sex") == "female")


def test_a_combination_with_no_finding_is_an_error(kb_with_rules: Path) -> None:
    edit(
        kb_with_rules,
        lambda d: d["findings"][0]["when"].update(citizen=["citizen"]) or d["findings"][0].update(conflicts_with=[]),
    )
    problems = rule_problems(kb_with_rules)
    assert any("no finding for: citizen=not_citizen" in p for p in problems), problems


def test_the_quick_lint_leaves_out_only_the_combinations(kb_with_rules: Path) -> None:
    """every_combination=False (the desk's knowledge page) skips the seconds-long enumeration, nothing else."""
    edit(
        kb_with_rules,
        lambda d: d["findings"][0]["when"].update(citizen=["citizen"]) or d["findings"][0].update(conflicts_with=[]),
    )
    edit(kb_with_rules, lambda d: d["findings"][0]["sources"].append("no_such_topic/law"))
    kb = read_knowledge(kb_with_rules)[0]
    quick = [str(p) for p in lint(kb_with_rules, kb, TODAY, every_combination=False)]
    assert not any("no finding for" in p for p in quick) and any("no_such_topic/law" in p for p in quick), quick
    assert any("no finding for" in p for p in rule_problems(kb_with_rules))


def test_conflicting_findings_together_are_an_error(kb_with_rules: Path) -> None:
    edit(kb_with_rules, lambda d: d["findings"][0].update(when=[]))  # foreigner now always applies
    problems = rule_problems(kb_with_rules)
    assert any(
        "citizen_summons: conflicts with foreigner, yet both follow from: citizen=citizen" in p for p in problems
    ), problems


def test_an_unreachable_finding_is_an_error(kb_with_rules: Path) -> None:
    edit(
        kb_with_rules,
        lambda d: (
            d["findings"][1]["when"].update(summons_date=["unknown"], citizen=["not_citizen"])
            or d["findings"][0].update(conflicts_with=[])
        ),
    )
    problems = rule_problems(kb_with_rules)
    assert any("citizen_summons: no combination of answers leads to it" in p for p in problems), problems


def test_a_question_nothing_depends_on_is_an_error(kb_with_rules: Path) -> None:
    edit(
        kb_with_rules,
        lambda d: (
            d["findings"][1].update(deadlines=[]) or [t.pop("deadlines") for t in d["findings"][1]["text"].values()]
        ),
    )
    assert any(
        "questions.summons_date: no rule and no other question depends on it" in p for p in rule_problems(kb_with_rules)
    )


@pytest.mark.parametrize(
    "reference, message",
    [
        ("alpha_topic/no_such_source", "'alpha_topic/no_such_source' is not <topic id>/<source id>"),
        ("no_topic/test_law", "'no_topic/test_law' is not <topic id>/<source id>"),
    ],
)
def test_a_source_that_is_not_in_the_knowledge_base_is_an_error(
    kb_with_rules: Path, reference: str, message: str
) -> None:
    edit(kb_with_rules, lambda d: d["findings"][0].update(sources=[reference]))
    assert any(message in p for p in rule_problems(kb_with_rules))


def test_an_unknown_topic_is_an_error(kb_with_rules: Path) -> None:
    edit(kb_with_rules, lambda d: d["findings"][0].update(topics=["no_such_topic"]))
    assert any("unknown topic 'no_such_topic'" in p for p in rule_problems(kb_with_rules))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["findings"][0]["when"].update(citizen=["maybe"]), "citizen has no answer(s) ['maybe']"),
        (lambda d: d["findings"][0]["when"].update(colour=["red"]), "'colour' is not a question asked before it"),
        (lambda d: d["questions"][0]["text"]["ky"].pop("options"), "text.ky.options must label exactly the options"),
        (
            lambda d: d["findings"][1]["deadlines"][0].update(after="citizen"),
            "deadline delivered must follow a date question",
        ),
        (lambda d: d["findings"][0].update(conflicts_with=["nothing"]), "conflicts_with names unknown findings"),
        (lambda d: d["findings"][0]["text"].pop("tg"), "text missing for language(s): tg"),
        (lambda d: d["controls"].pop("stop"), "texts missing for ['stop']"),
    ],
)
def test_errors_within_the_file_name_what_is_wrong(kb_with_rules: Path, change, message: str) -> None:
    edit(kb_with_rules, change)
    problems = rule_problems(kb_with_rules)
    assert any(message in p for p in problems), problems
    with pytest.raises(KnowledgeError):
        read_rules(kb_with_rules / RULES_FILE)


def test_a_changed_russian_text_makes_its_translations_stale_until_confirmed(kb_with_rules: Path) -> None:
    edit(
        kb_with_rules, lambda d: d["findings"][0]["text"]["ru"].update(says="Иностранца не призывают и не мобилизуют.")
    )
    problems = rule_problems(kb_with_rules)
    assert sorted(p.split(": ")[2] for p in problems) == [
        f"findings.foreigner.text.{lang}" for lang in ("ky", "tg", "uz")
    ]
    assert confirm_rules(kb_with_rules / RULES_FILE) == ["foreigner.ky", "foreigner.uz", "foreigner.tg"]
    assert rule_problems(kb_with_rules) == []


def test_confirming_keeps_the_file_as_it_was_written(kb_with_rules: Path) -> None:
    before = (kb_with_rules / RULES_FILE).read_text(encoding="utf-8")
    assert confirm_rules(kb_with_rules / RULES_FILE) == []
    assert (kb_with_rules / RULES_FILE).read_text(encoding="utf-8") == before


def test_confirming_one_language_of_the_real_rules_changes_only_its_fingerprint_line(tmp_path: Path) -> None:
    """The round trip keeps the lawyers' layout, quotes and section comments: one line changes."""
    path = tmp_path / RULES_FILE
    says = "Полиция обязана объяснить ваши права."
    original = (REPO_ROOT / "knowledge" / RULES_FILE).read_text(encoding="utf-8")
    edited = original.replace(says, says + " Спросите, почему вас задержали.", 1)
    assert edited != original and "# ---- urgent: right now" in edited
    path.write_text(edited, encoding="utf-8")

    assert confirm_rules(path, ["uz"]) == ["ru_detained.uz"]

    old, new = edited.splitlines(), path.read_text(encoding="utf-8").splitlines()
    assert len(old) == len(new)
    [changed] = [number for number, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    finding = old.index("  - id: ru_detained")
    uz = next(n for n in range(finding, len(old)) if old[n] == "      uz:")
    assert changed == uz + 2 and old[changed] == "        source_fingerprint: c6781b131ab6"
    assert new[changed].startswith("        source_fingerprint: ") and new[changed] != old[changed]


def test_each_schema_error_is_reported_at_its_field(kb_with_rules: Path) -> None:
    def two_errors(data: dict) -> None:
        data["findings"][1]["deadlines"][0]["days"] = -1
        data["findings"][0]["text"]["tg"]["title"] = ""

    edit(kb_with_rules, two_errors)
    problems = lint(kb_with_rules, read_knowledge(kb_with_rules)[0], TODAY)
    assert {p.field for p in problems} == {"findings.1.deadlines.0.days", "findings.0.text.tg.title"}
