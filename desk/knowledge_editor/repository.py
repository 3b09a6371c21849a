"""The git repository that holds the knowledge folder: what changed a file, and the commit that
publishes a change (several files in one commit).

The repository is the one that contains settings.KENESH.knowledge_dir; paths here are relative to
the knowledge folder ("topics/summons_received.yaml"). git is run as a program: the desk needs a
few of its commands, and the program is what every lawyer's laptop and server already has.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


def knowledge_dir() -> Path:
    return Path(settings.KENESH.knowledge_dir)


def git(*args: str) -> str:
    """Run git in the knowledge folder; its output (CalledProcessError if it fails)."""
    done = subprocess.run(["git", "-C", str(knowledge_dir()), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def last_change(relative: str) -> str:
    """The last commit that changed a file: "<short id> <author>, <date>: <subject>" (or "")."""
    return git("log", "-1", "--format=%h %an, %ad: %s", "--date=short", "--", relative)


@dataclass(frozen=True)
class Version:
    """A file as one commit left it."""

    commit: str
    when: dt.datetime  # the commit's date (UTC)
    text: str


def versions(relative: str) -> Iterator[Version]:
    """The file's committed versions, newest first, read one at a time (a caller may stop early) through
    one `git cat-file --batch`: a git process per version would take seconds for a long history."""
    commits = [line.split() for line in git("log", "--format=%H %ct", "--", relative).splitlines()]
    if not commits:
        return
    batch = ["git", "-C", str(knowledge_dir()), "cat-file", "--batch"]
    with subprocess.Popen(batch, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as reader:
        assert reader.stdin and reader.stdout  # noqa: S101 (both are pipes, as asked above)
        try:
            for commit, seconds in commits:
                reader.stdin.write(f"{commit}:./{relative}\n".encode())
                reader.stdin.flush()
                header = reader.stdout.readline().split()
                if header[-1] == b"missing":
                    continue  # the commit deleted the file
                data = reader.stdout.read(int(header[2]) + 1)[:-1]  # the object, then a line break
                when = dt.datetime.fromtimestamp(int(seconds), tz=dt.timezone.utc)
                yield Version(commit, when, data.decode("utf-8"))
        finally:
            reader.stdin.close()


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    @property
    def signature(self) -> str:
        return f"{self.name} <{self.email}>"


class CommitFailed(RuntimeError):
    """git refused the commit; the files are back as they were."""


def write_and_commit(changes: Mapping[str, str], message: str, author: Person, committer: Person) -> str:
    """Write the files ({path in the knowledge folder: text}) and commit them alone; the commit id.

    Each file is renamed into place (readers never see half a file). If git fails (no repository,
    a hook says no), every file is put back and CommitFailed says why.
    """
    root = knowledge_dir()
    originals = {relative: (root / relative).read_bytes() for relative in changes}
    for relative, text in changes.items():
        path = root / relative
        temporary = path.with_name(f".{path.name}.publishing")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    identity = ["-c", f"user.name={committer.name}", "-c", f"user.email={committer.email}"]
    paths = ["--", *changes]
    try:
        git("add", *paths)
        git(*identity, "commit", "--quiet", f"--author={author.signature}", "-m", message, *paths)
        return git("rev-parse", "HEAD")
    except subprocess.CalledProcessError as error:
        for relative, original in originals.items():
            (root / relative).write_bytes(original)
        subprocess.run(["git", "-C", str(root), "reset", "--quiet", *paths], capture_output=True)
        raise CommitFailed((error.stderr or error.stdout or "").strip()[-500:]) from None
