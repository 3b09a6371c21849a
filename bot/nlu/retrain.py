"""Retrain beside the live model, measure both, and swap the new one in without stopping Rasa.

A candidate is trained into its own folder (models/candidates/<name>/), never over the live model.
Its figures and the live model's come from evaluate() on the held-out questions, as `make eval`.
put_live() hands the candidate to the running Rasa server (`PUT /model`, the server runs with
--enable-api on loopback) and only then moves its files over the live ones, each with one atomic
rename, the inputs hash last: a restart then loads the new model, and a failure before that point
leaves the live files as they were.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from typing import IO, Any

import httpx

from bot.errors import ModelError
from bot.knowledge.loader import load_knowledge
from bot.language.codes import LANGUAGES
from bot.nlu import swap
from bot.nlu.evaluation import Report, evaluate, share
from bot.nlu.export import export
from bot.nlu.training import hash_file, inputs_hash, is_up_to_date, train, train_language_identifier
from bot.settings import Settings

LOAD_TIMEOUT = 300.0  # seconds Rasa may take to load a model


def is_stale(settings: Settings) -> bool:
    """True when the example questions (or other training inputs) changed since the live model was trained."""
    return not is_up_to_date(settings, inputs_hash(knowledge=settings.knowledge_dir))


def candidate(settings: Settings, name: str) -> Settings:
    """The settings of a candidate model: the live ones, with the model in its own folder."""
    folder = settings.model_path.parent / "candidates" / name
    return dataclasses.replace(settings, model_path=folder / settings.model_path.name)


def discard(model: Settings) -> None:
    """Remove a candidate's folder (never the live model's)."""
    shutil.rmtree(model.model_path.parent, ignore_errors=True)


def train_candidate(settings: Settings, model: Settings, output: IO[str] | None = None) -> None:
    """Regenerate the NLU data and train `model` (a candidate) from it, Rasa's output to `output`;
    ModelError if training fails."""
    export(settings)
    digest = inputs_hash(knowledge=settings.knowledge_dir)
    model.model_path.parent.mkdir(parents=True, exist_ok=True)
    train(model, output)
    train_language_identifier(model)
    hash_file(model).write_text(digest + "\n")


def figures(model: Settings) -> dict[str, Any]:
    """`make eval`'s per-language figures of one model, and the targets it misses (the gates)."""
    from bot.nlu.classify import Classifier

    report = evaluate(Classifier(model), load_knowledge(model.knowledge_dir))
    return {"languages": per_language(report), "shortfalls": report.shortfalls()}


def per_language(report: Report) -> dict[str, dict[str, float | None]]:
    return {
        lang: {
            "accuracy": report.accuracy(lang),
            "answered": share(report.answered, lang),
            "confident_wrong": share(report.confident_wrong, lang),
            "declined": share(report.declined, lang),
        }
        for lang in LANGUAGES
    }


def put_live(settings: Settings, model: Settings) -> None:
    """Load `model` into the running Rasa server, then make its files the live ones; ModelError if Rasa refuses."""
    with swap.swapping(settings):
        try:
            response = httpx.put(
                f"{settings.rasa_base_url}/model",
                json={"model_file": str(model.model_path.resolve())},
                timeout=LOAD_TIMEOUT,
            )
        except httpx.HTTPError as error:
            raise ModelError(f"the Rasa server did not take the new model ({type(error).__name__})") from error
        if response.status_code != 204:
            raise ModelError(f"the Rasa server did not take the new model (HTTP {response.status_code})")
    for source, live in (
        (model.model_path, settings.model_path),
        (model.language_model_path, settings.language_model_path),
        (hash_file(model), hash_file(settings)),
    ):
        os.replace(source, live)  # same folder tree, so one atomic rename each
    discard(model)


def last_lines(log: Path, count: int = 12) -> str:
    """The end of a training log, for "why it failed" (the log holds no user data: only training output)."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.rsplit("\r", 1)[-1].rstrip() for line in text.splitlines()]  # a progress bar: its last state
    return "\n".join([line for line in lines if line.strip()][-count:])
