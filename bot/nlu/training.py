"""Train the Rasa model when its inputs changed (a content hash), and only then.

Rasa has its own fingerprinting, but it must start TensorFlow to use it; this hash answers
"nothing changed" in a fraction of a second, which keeps `make run` and `make test` fast. It covers
only what the models learn from, so an edit to an answer, a source, a contact or the risk rules
never retrains (146 s or more): the actions read those at run time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import IO

from bot.errors import ModelError
from bot.knowledge.loader import load_knowledge
from bot.language.identifier import LanguageIdentifier
from bot.nlu.dataset import examples
from bot.nlu.export import export
from bot.settings import REPO_ROOT, Settings, training_environment

logger = logging.getLogger(__name__)

# Everything that changes what the models learn. The example questions are all the model learns
# from knowledge/: the entries' ids reach it through the files `make nlu` writes (the intents in
# domain.yml, rasa_project/data), which train_if_changed regenerates before hashing. The risk rules'
# buttons carry their answers as entities Rasa takes as given, not learned. Actions are not here.
TRAINING_INPUTS = (
    "knowledge/examples",
    "rasa_project/config.yml",
    "rasa_project/domain.yml",
    "rasa_project/data",
    "rasa_project/components",
    "bot/language/normalize.py",
    "bot/language/identifier.py",
    "bot/nlu/dataset.py",
    "bot/nlu/export.py",
    "constraints.txt",
)


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        elif path.is_file():
            found.append(path)
    return sorted(found)


def inputs_hash(root: Path = REPO_ROOT, knowledge: Path | None = None) -> str:
    """A hash of the content (and names) of every training input; the example questions are those of
    the `knowledge` folder (KENESH_KNOWLEDGE_DIR, which the desk edits) when it is given."""
    named: dict[PurePosixPath, Path] = {}  # each file by its name under the repository
    for name in TRAINING_INPUTS:
        inside = name.removeprefix("knowledge/")
        top = root / name if inside == name else (knowledge or root / "knowledge") / inside
        for path in _files([top]):
            named[PurePosixPath(name) / path.relative_to(top).as_posix()] = path
    digest = hashlib.sha256()
    for file_name in sorted(named):
        digest.update(str(file_name).encode())
        digest.update(hashlib.sha256(named[file_name].read_bytes()).digest())
    return digest.hexdigest()


def hash_file(settings: Settings) -> Path:
    return settings.model_path.with_suffix("").with_suffix(".inputs-hash")


def is_up_to_date(settings: Settings, digest: str) -> bool:
    """True when the model exists and was trained from inputs with this hash."""
    stamp = hash_file(settings)
    return (
        settings.model_path.exists()
        and settings.language_model_path.exists()
        and stamp.exists()
        and stamp.read_text().strip() == digest
    )


def rasa_executable() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def train(settings: Settings, output: IO[str] | None = None) -> None:
    """Run `rasa train` into settings.model_path, showing Rasa's progress on the terminal (or in `output`)."""
    model = settings.model_path
    model.parent.mkdir(parents=True, exist_ok=True)
    command = [
        rasa_executable(),
        "train",
        "--fixed-model-name",
        model.stem.replace(".tar", ""),
        "--out",
        str(model.parent),
    ]
    print(f"Training the model into {model} (a few minutes on a laptop)...", file=output, flush=True)
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=settings.rasa_project_dir,
        env={**os.environ, **training_environment()},
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )
    if result.returncode != 0 or not model.exists():
        raise ModelError(f"training failed (rasa train exited with {result.returncode}); see the output above")
    print(f"Model trained in {time.monotonic() - started:.0f} s.", file=output, flush=True)


def train_language_identifier(settings: Settings) -> None:
    """Learn the languages from the knowledge base's training questions (the held-out fifth stays out)."""
    kb = load_knowledge(settings.knowledge_dir)
    pairs = ((example.text, example.language) for example in examples(kb, held_out=False))
    LanguageIdentifier.train(pairs).save(settings.language_model_path)


def train_if_changed(settings: Settings, force: bool = False) -> bool:
    """Regenerate NLU data, then train if the inputs changed. Returns True if it trained."""
    export(settings)
    digest = inputs_hash(knowledge=settings.knowledge_dir)
    if not force and is_up_to_date(settings, digest):
        print(f"Model is up to date: {settings.model_path}", flush=True)
        return False
    train(settings)
    train_language_identifier(settings)
    hash_file(settings).write_text(digest + "\n")
    return True
