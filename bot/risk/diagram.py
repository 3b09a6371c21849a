"""The risk rules as a Graphviz diagram (`make risk-diagram`), so a lawyer can review them by looking.

Questions are boxes on the left (В1, В2… in the order they are asked), each with the answers
that make it asked. Findings are notes in one cluster per jurisdiction, coloured by risk, each
with the answers it follows from ("если … или …", "кроме …") and its deadlines (В10+7: seven
days after the answer to question 10). Texts are in the language asked for (Russian by default).
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import textwrap
from pathlib import Path

from bot.errors import KeneshError
from bot.risk.rules import Alternatives, RiskRules

_LINE = "\\n"  # a line break inside a DOT label
_RISK_COLOURS = {"high": "#f4b6b6", "medium": "#f9e0a8", "low": "#cfe8cf", "note": "#dde6f0"}


def _quote(text: str) -> str:
    """A DOT string; `_LINE` inside stays a line break."""
    return '"' + text.replace('"', '\\"') + '"'


def _wrap(text: str, width: int = 40) -> str:
    return _LINE.join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""])


def _labels(rules: RiskRules, question_id: str, values: list[str], language: str) -> str:
    options = rules.question(question_id).text[language].options
    return ", ".join(options.get(value, value) for value in values)


def _condition_text(
    rules: RiskRules, numbers: dict[str, str], alternatives: Alternatives, language: str, first: str, other: str
) -> list[str]:
    """One line per alternative: "if: Q1 = a, b; Q2 = c", then "or: …"."""
    lines = []
    for index, condition in enumerate(alternatives):
        parts = [f"{numbers[q]}={_labels(rules, q, values, language)}" for q, values in condition.items()]
        lines.append(_wrap(f"{first if index == 0 else other}: " + "; ".join(parts), 46))
    return lines


_WORDS = {
    "ru": ("Вопросы (по порядку)", "спросить, если", "или", "если", "кроме", "сроки"),
    "en": ("Questions (in order)", "ask if", "or", "if", "unless", "deadlines"),
}
_RISK_WORDS = {"ru": {"high": "высокий риск", "medium": "средний риск", "low": "низкий риск", "note": "для сведения"}}


def to_dot(rules: RiskRules, language: str = "ru") -> str:
    """The diagram in the DOT language: the questions in order, then each jurisdiction's findings."""
    words = _WORDS["ru" if language == "ru" else "en"]
    numbers = {q.id: f"В{n}" if language == "ru" else f"Q{n}" for n, q in enumerate(rules.questions, 1)}
    lines = [
        "digraph risk_rules {",
        "  rankdir=TB; newrank=true; node [fontname=Helvetica, fontsize=10];",
        f"  subgraph cluster_questions {{ label={_quote(words[0])};",
    ]
    for question in rules.questions:
        label = [_wrap(f"{numbers[question.id]}. {question.text[language].question}")]
        label += _condition_text(rules, numbers, question.ask_if, language, words[1], words[2])
        label += _condition_text(rules, numbers, question.ask_unless, language, words[4], words[2])
        lines.append(f"    q_{question.id} [shape=box, style=rounded, label={_quote(_LINE.join(label))}];")
    ids = [q.id for q in rules.questions]
    lines += [f"    q_{a} -> q_{b};" for a, b in itertools.pairwise(ids)] + ["  }"]
    for jurisdiction, names in rules.jurisdictions.items():
        findings = [f for f in rules.findings if f.jurisdiction is jurisdiction]
        lines.append(f"  subgraph cluster_{jurisdiction.value} {{ label={_quote(names[language])};")
        for finding in findings:
            risk = _RISK_WORDS.get(language, {}).get(finding.risk.value, finding.risk.value)
            label = [_wrap(("⚠ " if finding.urgent else "") + finding.text[language].title) + f" ({risk})"]
            label += _condition_text(rules, numbers, finding.when, language, words[3], words[2])
            label += _condition_text(rules, numbers, finding.unless, language, words[4], words[2])
            if finding.deadlines:
                label.append(
                    _wrap(f"{words[5]}: " + ", ".join(f"{numbers[d.after]}+{d.days}" for d in finding.deadlines), 46)
                )
            lines.append(
                f"    f_{finding.id} [shape=note, style=filled, fillcolor={_quote(_RISK_COLOURS[finding.risk.value])}, "
                f"label={_quote(_LINE.join(label))}];"
            )
        lines += [f"    f_{a.id} -> f_{b.id} [style=invis];" for a, b in itertools.pairwise(findings)] + ["  }"]
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(rules: RiskRules, folder: Path, language: str = "ru") -> list[Path]:
    """Write risk-rules.dot, and its SVG and PNG drawn by Graphviz's `dot`; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "risk-rules.dot"
    source.write_text(to_dot(rules, language), encoding="utf-8")
    dot = shutil.which("dot")
    if dot is None:
        raise KeneshError("Graphviz is not installed (`dot` not found): sudo apt-get install graphviz")
    written = [source]
    for kind in ("svg", "png"):
        target = folder / f"risk-rules.{kind}"
        subprocess.run([dot, f"-T{kind}", str(source), "-o", str(target)], check=True)
        written.append(target)
    return written
