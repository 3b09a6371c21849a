"""bot.nlu.retrain: a candidate beside the live model, and put_live(): Rasa first, then the files, atomically."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.errors import ModelError
from bot.nlu import retrain, swap
from bot.nlu.training import hash_file
from bot.settings import Settings


class FakeRasa(ThreadingHTTPServer):
    """Rasa's `PUT /model`: answers `status`, records each body (and whether a swap was marked meanwhile)."""

    def __init__(self, settings: Settings) -> None:
        self.status, self.bodies, self.marked = 204, [], []
        self.settings = settings
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: FakeRasa

    def do_PUT(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers["Content-Length"])
        self.server.bodies.append((self.path, json.loads(self.rfile.read(length))))
        self.server.marked.append(swap.in_progress(self.server.settings))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


@pytest.fixture
def rasa(tmp_path: Path) -> Iterator[FakeRasa]:
    server = FakeRasa(Settings(state_dir=tmp_path / "state"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def models(tmp_path: Path, rasa: FakeRasa) -> tuple[Settings, Settings]:
    """(live, candidate) settings, each with its three files; Rasa is the fake one."""
    live = Settings(
        model_path=tmp_path / "models" / "kenesh.tar.gz",
        state_dir=tmp_path / "state",
        rasa_url=f"http://127.0.0.1:{rasa.server_address[1]}",
    )
    model = retrain.candidate(live, "7")
    for settings, label in ((live, b"old"), (model, b"new")):
        write(settings.model_path, label + b" model")
        write(settings.language_model_path, label + b" languages")
        write(hash_file(settings), label + b" hash\n")
    return live, model


def contents(settings: Settings) -> list[bytes]:
    return [path.read_bytes() for path in (settings.model_path, settings.language_model_path, hash_file(settings))]


def test_a_candidate_lives_in_its_own_folder_beside_the_live_model(tmp_path: Path) -> None:
    live = Settings(model_path=tmp_path / "models" / "kenesh.tar.gz")
    model = retrain.candidate(live, "12")
    assert model.model_path == tmp_path / "models" / "candidates" / "12" / "kenesh.tar.gz"
    assert model.language_model_path.parent == model.model_path.parent != live.model_path.parent
    assert dataclasses.replace(model, model_path=live.model_path) == live


def test_put_live_loads_the_candidate_into_rasa_then_replaces_the_live_files(models, rasa) -> None:
    live, model = models
    retrain.put_live(live, model)
    assert rasa.bodies == [("/model", {"model_file": str(model.model_path.resolve())})]
    assert rasa.marked == [True]  # the bot knew a swap was on while Rasa loaded
    assert contents(live) == [b"new model", b"new languages", b"new hash\n"]
    assert not model.model_path.parent.exists()


def test_a_model_rasa_refuses_leaves_the_live_files_as_they_were(models, rasa) -> None:
    live, model = models
    rasa.status = 500
    with pytest.raises(ModelError, match="HTTP 500"):
        retrain.put_live(live, model)
    assert contents(live) == [b"old model", b"old languages", b"old hash\n"]


def test_a_rasa_that_does_not_answer_leaves_the_live_files_as_they_were(models) -> None:
    live, model = models
    unreachable = dataclasses.replace(live, rasa_url="http://127.0.0.1:9")
    with pytest.raises(ModelError, match="did not take"):
        retrain.put_live(unreachable, model)
    assert contents(live) == [b"old model", b"old languages", b"old hash\n"]


def test_the_last_lines_of_a_log_keep_a_progress_bar_s_last_state(tmp_path: Path) -> None:
    log = tmp_path / "train.log"
    log.write_text("start\nEpochs:  10%\rEpochs:  50%\rEpochs: 100%\n\nTraining failed\n")
    assert retrain.last_lines(log, 2) == "Epochs: 100%\nTraining failed"
    assert retrain.last_lines(tmp_path / "missing.log") == ""
