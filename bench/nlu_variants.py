"""Compare NLU pipeline variants on the held-out split: `python bench/nlu_variants.py`.

Each variant is rasa_project/config.yml with some pipeline steps replaced; it is trained
(NLU only) into a temporary folder and evaluated exactly like `make eval`. Prints a table.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.knowledge.loader import load_knowledge
from bot.language.codes import LANGUAGES
from bot.nlu.classify import Classifier
from bot.nlu.evaluation import Report, evaluate, share
from bot.nlu.training import rasa_executable
from bot.settings import Settings, training_environment

Pipeline = list[dict]


def without_normaliser(pipeline: Pipeline) -> Pipeline:
    return [{"name": "WhitespaceTokenizer"} if "Tokenizer" in step["name"] else step for step in pipeline]


def _is_classifier(step: dict) -> bool:
    return step["name"].endswith("Classifier") and step["name"] != "FallbackClassifier"


def classifier(name: str, **config: object) -> Callable[[Pipeline], Pipeline]:
    """The intent classifier of config.yml replaced by another (same tokenizer and featurizers)."""

    def change(pipeline: Pipeline) -> Pipeline:
        return [{"name": name, **config} if _is_classifier(step) else step for step in pipeline]

    return change


def with_classifier_settings(**config: object) -> Callable[[Pipeline], Pipeline]:
    """The intent classifier of config.yml with some settings changed."""

    def change(pipeline: Pipeline) -> Pipeline:
        return [{**step, **config} if _is_classifier(step) else step for step in pipeline]

    return change


def with_char_ngrams(low: int, high: int) -> Callable[[Pipeline], Pipeline]:
    def change(pipeline: Pipeline) -> Pipeline:
        return [
            {**step, "min_ngram": low, "max_ngram": high} if step.get("analyzer") == "char_wb" else step
            for step in pipeline
        ]

    return change


def with_words(pipeline: Pipeline) -> Pipeline:
    """Word unigrams and bigrams beside the character n-grams."""
    featurizer = next(i for i, step in enumerate(pipeline) if step["name"] == "CountVectorsFeaturizer")
    return pipeline[:featurizer] + [{"name": "CountVectorsFeaturizer", "max_ngram": 2}] + pipeline[featurizer:]


DIET = "DIETClassifier"
VARIANTS: dict[str, Callable[[Pipeline], Pipeline]] = {
    "current config.yml": lambda pipeline: pipeline,
    "no normaliser (WhitespaceTokenizer)": without_normaliser,
    "regularisation C=5": with_classifier_settings(C=5.0),
    "regularisation C=50": with_classifier_settings(C=50.0),
    "regularisation C=100": with_classifier_settings(C=100.0),
    "classes balanced": with_classifier_settings(class_weight="balanced"),
    "char n-grams 1-4": with_char_ngrams(1, 4),
    "char n-grams 2-6": with_char_ngrams(2, 6),
    "char n-grams 1-5": with_char_ngrams(1, 5),
    "word uni- and bigrams too": with_words,
    "Rasa's LogisticRegressionClassifier (raw counts)": classifier("LogisticRegressionClassifier", max_iter=1000),
    "DIET no transformer, 100 epochs": classifier(
        DIET,
        epochs=100,
        number_of_transformer_layers=0,
        entity_recognition=False,
        constrain_similarities=True,
        random_seed=42,
    ),
    "DIET no transformer, 40 epochs": classifier(
        DIET,
        epochs=40,
        number_of_transformer_layers=0,
        entity_recognition=False,
        constrain_similarities=True,
        random_seed=42,
    ),
    "DIET 2 transformer layers, 60 epochs": classifier(
        DIET, epochs=60, entity_recognition=False, constrain_similarities=True, random_seed=42
    ),
}


def train_and_evaluate(settings: Settings, name: str, change: Callable[[Pipeline], Pipeline]) -> None:
    config = yaml.safe_load((settings.rasa_project_dir / "config.yml").read_text())
    config["pipeline"] = change(copy.deepcopy(config["pipeline"]))
    with tempfile.TemporaryDirectory() as folder:
        config_path = Path(folder) / "config.yml"
        config_path.write_text(yaml.safe_dump(config))
        started = time.monotonic()
        subprocess.run(
            [
                rasa_executable(),
                "train",
                "nlu",
                "--config",
                str(config_path),
                "--out",
                folder,
                "--fixed-model-name",
                "variant",
                "--quiet",
            ],
            cwd=settings.rasa_project_dir,
            check=True,
            env={**os.environ, **training_environment()},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.monotonic() - started
        variant = dataclasses.replace(settings, model_path=Path(folder) / "variant.tar.gz")
        kb = load_knowledge(settings.knowledge_dir)
        report = evaluate(Classifier(variant), kb)
    print(f"{name:46s}{row(report)}   train {seconds:5.0f} s", flush=True)


def _cells(values: list[float | None]) -> str:
    return "".join(f"{v:6.1%}" if v is not None else "     -" for v in values)


def row(report: Report) -> str:
    """Topic accuracy, answered right, confident-wrong and declined, each for ky ru uz tg."""
    return "  ".join(
        _cells([measure(lang) for lang in LANGUAGES])
        for measure in (
            report.accuracy,
            lambda lang: share(report.answered, lang),
            lambda lang: share(report.confident_wrong, lang),
            lambda lang: share(report.declined, lang),
        )
    )


def main(names: list[str]) -> None:
    settings = Settings.from_env()
    languages = "".join(f"{lang:>6s}" for lang in LANGUAGES)
    print(
        f"{'held-out, as written (ky ru uz tg)':46s}{'topic accuracy':24s}  {'answered right':24s}  "
        f"{'confident-wrong':24s}  {'out-of-scope declined':24s}"
    )
    print(" " * 46 + "  ".join([languages] * 4))
    for name, change in VARIANTS.items():
        if not names or any(n in name for n in names):
            train_and_evaluate(settings, name, change)


if __name__ == "__main__":
    main(sys.argv[1:])
