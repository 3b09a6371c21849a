"""The retrain page: who may see it, start a run and override the gates; one run at a time; a dead worker."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from desk.retrain.models import State, TrainingRun

pytestmark = pytest.mark.django_db
PAGE, START = reverse("knowledge-retrain"), reverse("knowledge-retrain-start")


def override_url(run: TrainingRun) -> str:
    return reverse("knowledge-retrain-override", args=[run.pk])


def as_user(client: Client, cast, name: str) -> Client:
    client.force_login(cast[name])
    return client


@pytest.mark.parametrize("name", ["staff", "translator", "outsider"])
def test_only_lawyers_and_admins_see_the_page_or_start_a_run(client, cast, launched, name) -> None:
    as_user(client, cast, name)
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("knowledge-retrain-panel")).status_code == 403
    assert client.post(START).status_code == 403
    assert not TrainingRun.objects.exists() and not launched


@pytest.mark.parametrize("name", ["lawyer_a", "admin"])
def test_a_lawyer_or_an_admin_starts_a_run_and_its_worker(client, cast, launched, name) -> None:
    as_user(client, cast, name)
    page = client.get(PAGE)
    assert page.status_code == 200 and START in page.content.decode()
    response = client.post(START)
    assert response.status_code == 302 and response.url == PAGE
    run = TrainingRun.objects.get()
    assert run.started_by == cast[name] and run.state == State.QUEUED and run.active
    assert launched == [(run.pk, ())]


def test_the_start_button_needs_the_csrf_token(csrf_client, cast, launched) -> None:
    csrf_client.force_login(cast["lawyer_a"])
    assert csrf_client.post(START).status_code == 403
    assert not TrainingRun.objects.exists()


def test_a_second_run_is_refused_while_one_is_under_way(client, cast, launched) -> None:
    as_user(client, cast, "lawyer_a")
    client.post(START)
    page = client.post(START, follow=True)
    assert "Обучение уже идёт" in page.content.decode()
    assert TrainingRun.objects.count() == 1 and len(launched) == 1


def test_the_database_allows_one_active_run_only(cast) -> None:
    TrainingRun.objects.create(started_by=cast["lawyer_a"], state=State.TRAINING)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingRun.objects.create(started_by=cast["lawyer_b"], state=State.EVALUATING)
    TrainingRun.objects.create(started_by=cast["lawyer_b"], state=State.FAILED)  # finished runs do not count


def test_only_an_admin_puts_a_held_model_live_and_it_is_recorded(client, cast, launched) -> None:
    held = TrainingRun.objects.create(
        started_by=cast["lawyer_a"], state=State.HELD, figures_after={"languages": {}, "shortfalls": ["ky: x"]}
    )
    as_user(client, cast, "lawyer_a")
    assert "Всё равно включить" not in client.get(PAGE).content.decode()
    assert client.post(override_url(held)).status_code == 403
    held.refresh_from_db()
    assert held.state == State.HELD and held.overridden_by is None

    as_user(client, cast, "admin")
    assert "Всё равно включить" in client.get(PAGE).content.decode()
    assert client.post(override_url(held)).status_code == 302
    held.refresh_from_db()
    assert held.state == State.GOING_LIVE and held.overridden_by == cast["admin"] and held.overridden_at
    assert launched == [(held.pk, ("--put-live",))]


def test_an_older_held_run_cannot_be_put_live(client, cast, launched) -> None:
    older = TrainingRun.objects.create(started_by=cast["lawyer_a"], state=State.HELD)
    TrainingRun.objects.create(started_by=cast["lawyer_a"], state=State.FAILED)
    as_user(client, cast, "admin")
    assert "Включить можно только последнюю" in client.post(override_url(older), follow=True).content.decode()
    older.refresh_from_db()
    assert older.state == State.HELD and not launched


def test_a_run_whose_worker_died_shows_as_failed(client, cast, live) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    run = TrainingRun.objects.create(started_by=cast["lawyer_a"], state=State.TRAINING, worker_pid=gone.pid)
    as_user(client, cast, "lawyer_a")
    page = client.get(PAGE).content.decode()
    run.refresh_from_db()
    assert run.state == State.FAILED and not run.active and run.finished_at
    assert "stopped before it finished" in run.reason and "stopped before it finished" in page


def test_a_run_whose_worker_lives_stays_under_way_and_the_panel_polls(client, cast, live) -> None:
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "run_training"])
    try:
        run = TrainingRun.objects.create(started_by=cast["lawyer_a"], state=State.TRAINING, worker_pid=worker.pid)
        as_user(client, cast, "lawyer_a")
        panel = client.get(reverse("knowledge-retrain-panel")).content.decode()
        run.refresh_from_db()
        assert run.state == State.TRAINING
        assert 'hx-trigger="every 2s"' in panel
    finally:
        worker.kill()
        worker.wait()


def test_figures_before_and_after_are_shown_side_by_side(client, cast, live) -> None:
    languages = {"ru": {"accuracy": 0.95, "answered": 0.9, "confident_wrong": 0.01, "declined": 0.93}}
    TrainingRun.objects.create(
        started_by=cast["lawyer_a"],
        state=State.LIVE,
        figures_before={"languages": languages, "shortfalls": []},
        figures_after={"languages": {"ru": {**languages["ru"], "accuracy": 0.97}}, "shortfalls": []},
    )
    as_user(client, cast, "lawyer_a")
    page = client.get(PAGE).content.decode()
    assert 'class="figures before"' in page and 'class="figures after"' in page
    assert "95.0%" in page and "97.0%" in page
