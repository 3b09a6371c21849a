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
from pathlib import Path
from typing import Callable, Dict, List

import yaml

from bot.classify import Classifier
from bot.evaluation import GATED_TOPICS, evaluate
from bot.knowledge.loader import load_knowledge
from bot.language.codes import LANGUAGES
from bot.settings import Settings, training_environment
from bot.training import rasa_executable

Pipeline = List[dict]


def without_normaliser(pipeline: Pipeline) -> Pipeline:
    return [{"name": "WhitespaceTokenizer"} if "Tokenizer" in step["name"] else step for step in pipeline]


def with_diet(**changes: object) -> Callable[[Pipeline], Pipeline]:
    def change(pipeline: Pipeline) -> Pipeline:
        return [{**step, **changes} if step["name"] == "DIETClassifier" else step for step in pipeline]
    return change


def logistic_regression_instead_of_diet(pipeline: Pipeline) -> Pipeline:
    """Rasa's own LogisticRegressionClassifier on the same sparse features, in DIET's place."""
    return [{"name": "LogisticRegressionClassifier", "max_iter": 1000, "C": 20.0}
            if step["name"] == "DIETClassifier" else step for step in pipeline]


VARIANTS: Dict[str, Callable[[Pipeline], Pipeline]] = {
    "current config.yml": lambda pipeline: pipeline,
    "no normaliser (WhitespaceTokenizer)": without_normaliser,
    "DIET 100 epochs": with_diet(epochs=100),
    "DIET no transformer, 100 epochs": with_diet(epochs=100, number_of_transformer_layers=0),
    "DIET no transformer, 200 epochs": with_diet(epochs=200, number_of_transformer_layers=0),
    "DIET no transformer, 100 epochs, 512-256": with_diet(epochs=100, number_of_transformer_layers=0,
                                                          hidden_layers_sizes={"text": [512, 256]}),
    "DIET 40 epochs": with_diet(epochs=40),
    "LogisticRegressionClassifier instead of DIET": logistic_regression_instead_of_diet,
}


def train_and_evaluate(settings: Settings, name: str, change: Callable[[Pipeline], Pipeline]) -> None:
    config = yaml.safe_load((settings.rasa_project_dir / "config.yml").read_text())
    config["pipeline"] = change(copy.deepcopy(config["pipeline"]))
    with tempfile.TemporaryDirectory() as folder:
        config_path = Path(folder) / "config.yml"
        config_path.write_text(yaml.safe_dump(config))
        started = time.monotonic()
        subprocess.run([rasa_executable(), "train", "nlu", "--config", str(config_path), "--out", folder,
                        "--fixed-model-name", "variant", "--quiet"], cwd=settings.rasa_project_dir, check=True,
                       env={**os.environ, **training_environment()}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        variant = dataclasses.replace(settings, model_path=Path(folder) / "variant.tar.gz")
        kb = load_knowledge(settings.knowledge_dir)
        report = evaluate(Classifier(variant), kb)
    cells = [f"{report.accuracy(lang, topics=GATED_TOPICS):7.1%}" for lang in LANGUAGES]
    cells += [f"{report.accuracy(lang):7.1%}" for lang in LANGUAGES]
    cells += [f"{w / t:7.1%}" if t else "      -" for w, t in (report.confident_wrong.get(lang, (0, 0)) for lang in LANGUAGES)]
    print(f"{name:46s}{''.join(cells)}   train {seconds:5.0f} s", flush=True)


def main(names: List[str]) -> None:
    settings = Settings.from_env()
    print(f"{'held-out accuracy':46s}" + "".join(f"{l:>7s}" for l in LANGUAGES) + "  (five gated topics)"
          + "".join(f"{l:>7s}" for l in LANGUAGES) + "  (all topics)"
          + "".join(f"{l:>7s}" for l in LANGUAGES) + "  (confident-wrong)")
    for name, change in VARIANTS.items():
        if not names or any(n in name for n in names):
            train_and_evaluate(settings, name, change)


if __name__ == "__main__":
    main(sys.argv[1:])
