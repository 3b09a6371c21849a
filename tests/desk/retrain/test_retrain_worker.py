"""The worker of a run: its states, the gates, and a real failed training that leaves the live model as it was."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from bot.nlu import retrain
from bot.settings import REPO_ROOT, Settings
from desk.retrain.models import State, TrainingRun
from desk.retrain.worker import run_training

pytestmark = pytest.mark.django_db
MEETS = {"languages": {"ru": {"accuracy": 0.95}}, "shortfalls": []}
MISSES = {"languages": {"ru": {"accuracy": 0.5}}, "shortfalls": ["ru: topic accuracy 50.0% < 92%"]}


def digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir()) if path.is_file()
    }


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch, live: Settings):
    """Training writes a stand-in candidate; the figures of the new model are `after[0]`; put_live is recorded."""
    after, put = [MEETS], []

    def train(settings: Settings, model: Settings, output) -> None:
        model.model_path.parent.mkdir(parents=True)
        model.model_path.write_bytes(b"new model")

    def figures(model: Settings) -> dict:
        return after[0] if model.model_path != live.model_path else MEETS

    monkeypatch.setattr(retrain, "train_candidate", train)
    monkeypatch.setattr(retrain, "figures", figures)
    monkeypatch.setattr(retrain, "put_live", lambda settings, model: put.append(model.model_path.read_bytes()))
    return after, put


def test_a_model_that_meets_every_gate_goes_live(cast, stand_in) -> None:
    after, put = stand_in
    run = run_training(TrainingRun.objects.create(started_by=cast["lawyer_a"]).pk)
    assert run.state == State.LIVE and not run.active and run.finished_at
    assert run.figures_before == MEETS and run.figures_after == MEETS
    assert put == [b"new model"]


def test_a_model_that_misses_a_gate_is_held_until_an_admin_overrides(cast, stand_in, live) -> None:
    after, put = stand_in
    after[0] = MISSES
    run = run_training(TrainingRun.objects.create(started_by=cast["lawyer_a"]).pk)
    assert run.state == State.HELD and run.figures_after == MISSES and not put
    assert retrain.candidate(live, str(run.pk)).model_path.exists()  # kept for the override

    run.state, run.overridden_by = State.GOING_LIVE, cast["admin"]
    run.save()
    assert run_training(run.pk, put_live_only=True).state == State.LIVE
    assert put == [b"new model"]


def test_a_swap_that_fails_ends_failed_with_its_reason(cast, stand_in, monkeypatch) -> None:
    def refused(settings, model):
        raise retrain.ModelError("the Rasa server did not take the new model (HTTP 500)")

    monkeypatch.setattr(retrain, "put_live", refused)
    run = run_training(TrainingRun.objects.create(started_by=cast["lawyer_a"]).pk)
    assert run.state == State.FAILED and "HTTP 500" in run.reason


@pytest.mark.slow
def test_a_broken_training_input_fails_and_leaves_the_live_model_byte_identical(cast, live, tmp_path) -> None:
    """A real `rasa train` on a copy of rasa_project whose pipeline names a component that does not exist."""
    project = Path(
        shutil.copytree(
            REPO_ROOT / "rasa_project",
            tmp_path / "rasa_project",
            ignore=shutil.ignore_patterns("models", ".rasa", "results", "__pycache__"),
        )
    )
    config = project / "config.yml"
    config.write_text(config.read_text().replace("pipeline:", "pipeline:\n  - name: NoSuchComponentHere", 1))
    knowledge = Path(shutil.copytree(REPO_ROOT / "knowledge", tmp_path / "knowledge"))
    broken = dataclasses.replace(live, rasa_project_dir=project, knowledge_dir=knowledge)
    before = digests(live.model_path.parent)
    with override_settings(KENESH=broken):
        run = run_training(TrainingRun.objects.create(started_by=cast["lawyer_a"]).pk)
    assert run.state == State.FAILED
    assert "training failed" in run.reason and "NoSuchComponentHere" in run.reason  # the log's end says why
    assert digests(live.model_path.parent) == before
    assert not retrain.candidate(live, str(run.pk)).model_path.parent.exists()
