"""Held-out NLU evaluation: per-language and per-topic accuracy, what the assistant does, confusions.

The held-out fifth of the knowledge-base examples never reaches training (bot.nlu.dataset), and it
is classified here through the same Classifier as `python -m bot classify`. Definitions:

- topic accuracy: the model's first choice is the right topic (before any threshold);
- answered right: above the answer threshold and right, so the topic's answer is sent at once;
- "did you mean": below the threshold; the two best topics are offered as buttons
  (`clarified` counts how often the right one is among them);
- confident-wrong: above the threshold and wrong, so a wrong legal answer is sent;
- declined: an out-of-scope question gets no legal answer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.language.codes import LANGUAGES
from bot.language.style import STYLES, writing_style
from bot.nlu.classify import Classification, Classifier
from bot.nlu.dataset import Example, examples
from bot.settings import Settings

OUT_OF_SCOPE = "out_of_scope"
# Every language must reach these on the held-out split (issue 4); tests/test_nlu_quality.py fails below.
TARGET_ACCURACY, TARGET_CONFIDENT_WRONG, TARGET_DECLINED = 0.92, 0.02, 0.90

Cells = dict[str, list[int]]  # language -> [hits, total]
Key = TypeVar("Key", bound=Hashable)


class Classifies(Protocol):
    """What evaluate() needs: the Classifier, the Baseline, or a stand-in such as bench's Thresholded."""

    def classify(self, text: str) -> Classification: ...


def _cells() -> Cells:
    return defaultdict(lambda: [0, 0])


@dataclass
class Report:
    # (language, variant) -> topic -> [first choice right, total]
    topics: dict[tuple[str, str], dict[str, list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0, 0]))
    )
    answered: Cells = field(default_factory=_cells)  # answered at once and right / topic questions
    clarified: Cells = field(default_factory=_cells)  # right topic offered / "did you mean" asked
    confident_wrong: Cells = field(default_factory=_cells)  # answered with a wrong topic / topic questions
    declined: Cells = field(default_factory=_cells)  # no legal answer / out-of-scope questions
    detected: Cells = field(default_factory=_cells)  # language detected right / topic questions
    # (language, writing style) -> [first choice right, total]
    styles: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    confusions: Counter = field(default_factory=Counter)  # (expected, first choice) where wrong

    def accuracy(self, language: str, variant: str = "as written") -> float | None:
        """Topic accuracy: the first choice is right."""
        cells = self.topics.get((language, variant), {}).values()
        total = sum(t for _, t in cells)
        return sum(c for c, _ in cells) / total if total else None

    def shortfalls(self) -> list[str]:
        """Every target a language misses, in words; empty when all are met."""
        found = []
        for lang in LANGUAGES:
            accuracy, wrong, declined = (
                self.accuracy(lang),
                share(self.confident_wrong, lang),
                share(self.declined, lang),
            )
            if accuracy is None or accuracy < TARGET_ACCURACY:
                found.append(f"{lang}: topic accuracy {_percent(accuracy)} < {TARGET_ACCURACY:.0%}")
            if wrong is None or wrong > TARGET_CONFIDENT_WRONG:
                found.append(f"{lang}: confident-wrong {_percent(wrong)} > {TARGET_CONFIDENT_WRONG:.0%}")
            if declined is None or declined < TARGET_DECLINED:
                found.append(f"{lang}: out-of-scope declined {_percent(declined)} < {TARGET_DECLINED:.0%}")
        return found


def share(cells: Cells, language: str) -> float | None:
    """hits / total for one language of a [hits, total] table (None when it has no questions)."""
    hits, total = cells.get(language, [0, 0])
    return hits / total if total else None


def _percent(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "-"


def _count(cells: dict[Key, list[int]], key: Key, hit: bool) -> None:
    cells[key][0] += hit
    cells[key][1] += 1


def evaluate(classifier: Classifies, kb: KnowledgeBase, questions: Iterable[Example] | None = None) -> Report:
    """Score `classifier` on `questions` (default: the held-out fifth of the examples)."""
    report = Report()
    for example in examples(kb, held_out=True) if questions is None else questions:
        predicted = classifier.classify(example.text)
        language, as_written = example.language, example.variant == "as written"
        if example.intent in kb.topics:
            right = predicted.best == example.intent
            _count(report.topics[(language, example.variant)], example.intent, right)
            if not right:
                report.confusions[(example.intent, predicted.best)] += 1
            if as_written:
                _count(report.answered, language, predicted.topic == example.intent)
                _count(report.confident_wrong, language, predicted.topic not in (None, example.intent))
                _count(report.detected, language, predicted.language == language)
                _count(report.styles, (language, writing_style(example.text, language)), right)
                if predicted.topic is None:
                    _count(report.clarified, language, example.intent in predicted.offered)
        elif example.intent == OUT_OF_SCOPE and as_written:
            _count(report.declined, language, predicted.topic is None)
    return report


def _summary(report: Report) -> list[str]:
    rows = [
        ("Topic accuracy (first choice)", lambda lang: report.accuracy(lang)),
        ("Answered at once and right", lambda lang: share(report.answered, lang)),
        ("Confident-wrong (a wrong answer sent)", lambda lang: share(report.confident_wrong, lang)),
        ("'Did you mean': right topic offered", lambda lang: share(report.clarified, lang)),
        ("Out-of-scope declined", lambda lang: share(report.declined, lang)),
        ("Language detected right", lambda lang: share(report.detected, lang)),
    ]
    lines = ["Per language (held-out questions as written)".ljust(40) + "".join(lang.rjust(9) for lang in LANGUAGES)]
    lines += [label.ljust(40) + "".join(_percent(value(lang)).rjust(9) for lang in LANGUAGES) for label, value in rows]
    return lines


def format_report(report: Report, kb: KnowledgeBase) -> str:
    rows = sorted(report.topics)
    header = "topic".ljust(28) + "".join(f"{lang}/{'tr' if v != 'as written' else 'as'}".rjust(9) for lang, v in rows)
    lines = ["Held-out topic accuracy, first choice (as = as written, tr = Uzbek in the other script)", header]
    for topic_id in sorted(kb.topics):
        cells = []
        for row in rows:
            correct, total = report.topics[row].get(topic_id, [0, 0])
            cells.append((f"{correct}/{total}" if total else "-").rjust(9))
        lines.append(topic_id.ljust(28) + "".join(cells))
    lines.append("ALL".ljust(28) + "".join(_percent(report.accuracy(lang, variant)).rjust(9) for lang, variant in rows))
    lines += ["", *_summary(report), "", "Worst confusions (expected -> first choice: count):"]
    lines += [
        f"  {expected} -> {predicted}: {count}" for (expected, predicted), count in report.confusions.most_common(10)
    ]
    lines += ["", format_styles(report)]
    shortfalls = report.shortfalls()
    lines += [
        "",
        f"Targets per language: topic accuracy >= {TARGET_ACCURACY:.0%}, confident-wrong <= "
        f"{TARGET_CONFIDENT_WRONG:.0%}, out-of-scope declined >= {TARGET_DECLINED:.0%}. "
        + ("MISSED: " + "; ".join(shortfalls) if shortfalls else "All languages meet them."),
    ]
    return "\n".join(lines)


def format_styles(report: Report) -> str:
    """Accuracy by the way the question is written (bot.language.style), per language."""
    lines = [
        "Topic accuracy by writing style (first choice right/total)",
        "style".ljust(16) + "".join(lang.rjust(10) for lang in LANGUAGES),
    ]
    for style in STYLES:
        cells = [report.styles.get((lang, style)) or (0, 0) for lang in LANGUAGES]
        lines.append(style.ljust(16) + "".join((f"{c}/{t}" if t else "-").rjust(10) for c, t in cells))
    return "\n".join(lines)


def format_comparison(rasa: Report, baseline: Report) -> str:
    """Rasa and the baseline side by side, per language, against the issue 4 targets."""
    measures = (
        ("topic accuracy", lambda r, lang: r.accuracy(lang)),
        ("confident-wrong", lambda r, lang: share(r.confident_wrong, lang)),
        ("declined", lambda r, lang: share(r.declined, lang)),
        ("answered right", lambda r, lang: share(r.answered, lang)),
    )
    lines = [
        "Rasa pipeline vs baseline (char n-gram TF-IDF + logistic regression, same data, same thresholds)",
        "language".ljust(10) + "".join(name.rjust(20) for name, _ in measures),
        "".ljust(10) + "".join("rasa / baseline".rjust(20) for _ in measures),
    ]
    for lang in LANGUAGES:
        lines.append(
            lang.ljust(10)
            + "".join(" / ".join(_percent(value(r, lang)) for r in (rasa, baseline)).rjust(20) for _, value in measures)
        )
    return "\n".join(lines)


def print_report(settings: Settings) -> bool:
    """Evaluate the trained model (and the baseline) on the held-out examples; True when every target is met."""
    from bot.nlu.baseline import Baseline

    kb = load_knowledge(settings.knowledge_dir)
    report = evaluate(Classifier(settings), kb)
    print(format_report(report, kb))
    print()
    print(format_comparison(report, evaluate(Baseline(settings, kb), kb)))
    return not report.shortfalls()
