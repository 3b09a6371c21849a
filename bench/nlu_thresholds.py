"""Choose the answer thresholds on questions the evaluation never uses: `python -m bench.nlu_thresholds`.

The held-out fifth of the examples is for `make eval` only. Here a second, independent fifth of
the *training* questions (the validation fold) is set aside, a model is trained on the rest with
rasa_project/config.yml, and every (threshold, ambiguity) pair of the FallbackClassifier is scored
on the validation fold: accuracy, confident-wrong and out-of-scope declined per language.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.knowledge.loader import load_knowledge
from bot.knowledge.render import offered_topics
from bot.language.codes import LANGUAGES
from bot.nlu.classify import Classification
from bot.nlu.dataset import Example, examples, in_fifth
from bot.nlu.evaluation import Report, evaluate, share
from bot.nlu.export import nlu_file
from bot.nlu.model import FALLBACK_INTENT, LoadedModel
from bot.nlu.training import rasa_executable
from bot.settings import Settings, training_environment

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8)
AMBIGUITIES = (0.0, 0.05, 0.1, 0.2, 0.3)


def in_validation_fold(example: Example) -> bool:
    return in_fifth(example.intent, example.text, salt="validation|")


@dataclass
class Thresholded:
    """Answers from stored rankings under one (threshold, ambiguity) pair, like the FallbackClassifier."""

    rankings: dict[str, list[dict]]
    topics: set
    threshold: float
    ambiguity: float

    def classify(self, text: str) -> Classification:
        ranking = self.rankings[text]
        best, second = ranking[0]["confidence"], ranking[1]["confidence"] if len(ranking) > 1 else 0.0
        intent = ranking[0]["name"]
        if best < self.threshold or best - second < self.ambiguity:
            intent = FALLBACK_INTENT
        offered = offered_topics((r["name"] for r in ranking), self.topics)
        return Classification(intent if intent in self.topics else None, "", best, intent, ranking[0]["name"], offered)


def train_without(settings: Settings, held_back: Sequence[Example], folder: Path) -> Path:
    """Train an NLU model on the training questions minus `held_back`; return its path."""
    kb = load_knowledge(settings.knowledge_dir)
    by_intent: dict[str, list[str]] = {}
    kept = {(e.intent, e.text) for e in held_back}
    for example in examples(kb, held_out=False):
        if (example.intent, example.text) not in kept:
            by_intent.setdefault(example.intent, []).append(example.text)
    data = folder / "nlu"
    data.mkdir()
    for intent, texts in by_intent.items():
        (data / f"{intent}.yml").write_text(nlu_file(intent, texts, "bench"), encoding="utf-8")
    subprocess.run(
        [
            rasa_executable(),
            "train",
            "nlu",
            "--nlu",
            str(data),
            "--out",
            str(folder),
            "--fixed-model-name",
            "validation",
            "--quiet",
        ],
        cwd=settings.rasa_project_dir,
        check=True,
        env={**os.environ, **training_environment()},
        stdout=subprocess.DEVNULL,
    )
    return folder / "validation.tar.gz"


def main() -> None:
    settings = Settings.from_env()
    kb = load_knowledge(settings.knowledge_dir)
    validation = [e for e in examples(kb, held_out=False) if in_validation_fold(e)]
    with tempfile.TemporaryDirectory() as folder:
        model = LoadedModel(replace(settings, model_path=train_without(settings, validation, Path(folder))))
        rankings = {
            e.text: [r for r in model.parse(e.text)["intent_ranking"] if r["name"] != FALLBACK_INTENT]
            for e in validation
        }
    print(f"validation fold: {len(validation)} training questions set aside (the held-out fifth is not used)")
    print(f"{'threshold ambiguity':22s}{'answered right':>26s}{'confident-wrong':>26s}{'declined':>26s}")
    for threshold, ambiguity in itertools.product(THRESHOLDS, AMBIGUITIES):
        report: Report = evaluate(Thresholded(rankings, set(kb.topics), threshold, ambiguity), kb, validation)
        cells = [
            [share(report.answered, lang) for lang in LANGUAGES],
            [share(report.confident_wrong, lang) for lang in LANGUAGES],
            [share(report.declined, lang) for lang in LANGUAGES],
        ]
        print(
            f"{threshold:9.2f} {ambiguity:9.2f}   "
            + "  ".join("".join(f"{v:6.1%}" if v is not None else "     -" for v in values) for values in cells),
            flush=True,
        )


if __name__ == "__main__":
    main()
