"""The git repository that holds the knowledge folder: what changed a file (its versions, a version's
text), and the commit that publishes a change (several files in one commit).

The repository is the one that contains settings.KENESH.knowledge_dir; paths here are relative to
the knowledge folder ("topics/summons_received.yaml"). git is run as a program: the desk needs a
few of its commands, and the program is what every lawyer's laptop and server already has.

Where the knowledge folder is a checkout of a shared repository, each publish is pushed to the
remote named by KENESH_KNOWLEDGE_PUSH (`push`). A push that fails leaves the commit here, live and
in the local history; the next push that succeeds carries it along.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


def knowledge_dir() -> Path:
    return Path(settings.KENESH.knowledge_dir)


def git(*args: str, strip: bool = True) -> str:
    """Run git in the knowledge folder; its output (CalledProcessError if it fails)."""
    done = subprocess.run(["git", "-C", str(knowledge_dir()), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip() if strip else done.stdout


def last_change(relative: str) -> str:
    """The last commit that changed a file: "<short id> <author>, <date>: <subject>" (or "")."""
    return git("log", "-1", "--format=%h %an, %ad: %s", "--date=short", "--", relative)


COMMIT_ID = re.compile(r"[0-9a-f]{40}")
_FIELD, _RECORD = "\x1f", "\x1e"  # separators git never finds in a name or a subject (str.strip() removes them)


@dataclass(frozen=True)
class Commit:
    """One commit that changed a file: who wrote it, when, its subject and the Reviewed-by trailer ("" if none)."""

    id: str
    author: str
    date: dt.datetime
    subject: str
    reviewer: str

    @property
    def short_id(self) -> str:
        return self.id[:10]

    @property
    def reviewer_names(self) -> str:
        """The reviewers without their e-mail addresses."""
        return re.sub(r"\s*<[^>]*>", "", self.reviewer)


def commits(relative: str, count: int, skip: int = 0) -> list[Commit]:
    """The commits that changed a file, newest first: `count` of them after the newest `skip`."""
    fields = ["%H", "%an", "%aI", "%s", "%(trailers:key=Reviewed-by,valueonly,separator=%x2C )"]
    log = git(
        "log",
        f"--format={'%x1f'.join(fields)}%x1e",
        f"--max-count={count}",
        f"--skip={skip}",
        "--",
        relative,
        strip=False,
    )
    found = []
    for record in filter(None, (part.strip("\n") for part in log.split(_RECORD))):
        commit, author, date, subject, reviewer = record.split(_FIELD)
        found.append(Commit(commit, author, dt.datetime.fromisoformat(date), subject, reviewer.strip()))
    return found


def changed(relative: str, commit: str) -> bool:
    """Whether `commit` (a full id) is one of the commits that changed the file."""
    return COMMIT_ID.fullmatch(commit) is not None and commit in git("log", "--format=%H", "--", relative).split()


def text_at(commit: str, relative: str) -> str:
    """The file's text as `commit` left it."""
    return git("show", f"{commit}:./{relative}", strip=False)


@dataclass(frozen=True)
class Version:
    """A file as one commit left it."""

    commit: str
    when: dt.datetime  # the commit's date (UTC)
    text: str


def versions(relative: str) -> Iterator[Version]:
    """The file's committed versions, newest first, read one at a time (a caller may stop early)."""
    commits = [line.split() for line in git("log", "--format=%H %ct", "--", relative).splitlines()]
    dates = dict(commits)
    for commit, text in _texts(relative, [commit for commit, _ in commits]):
        if text is not None:  # None: the commit deleted the file
            yield Version(commit, dt.datetime.fromtimestamp(int(dates[commit]), tz=dt.timezone.utc), text)


def texts_at(relative: str, commit_ids: list[str]) -> list[str | None]:
    """The file's text as each commit left it (None where the commit deleted it), in one git process."""
    return [text for _, text in _texts(relative, commit_ids)]


def _texts(relative: str, commit_ids: list[str]) -> Iterator[tuple[str, str | None]]:
    """(commit, the file's text as it left it or None), one at a time, through one `git cat-file --batch`:
    a git process per version would take seconds for a long history."""
    if not commit_ids:
        return
    batch = ["git", "-C", str(knowledge_dir()), "cat-file", "--batch"]
    with subprocess.Popen(batch, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as reader:
        assert reader.stdin and reader.stdout  # noqa: S101 (both are pipes, as asked above)
        try:
            for commit in commit_ids:
                reader.stdin.write(f"{commit}:./{relative}\n".encode())
                reader.stdin.flush()
                header = reader.stdout.readline().split()
                if header[-1] == b"missing":
                    yield commit, None
                    continue
                data = reader.stdout.read(int(header[2]) + 1)[:-1]  # the object, then a line break
                yield commit, data.decode("utf-8")
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


PUSH_TIMEOUT = 60.0  # seconds; a remote that does not answer by then is reported, not waited for


@dataclass(frozen=True)
class Pushed:
    remote: str
    error: str = ""  # why the push failed; empty when it succeeded
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error


def push() -> Pushed | None:
    """Push the current branch to KENESH_KNOWLEDGE_PUSH; None when no remote is set."""
    remote = settings.KENESH.knowledge_push
    if not remote:
        return None
    started = time.monotonic()
    command = ["git", "-C", str(knowledge_dir()), "push", "--quiet", "--porcelain", remote, "HEAD"]
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}  # a remote asking for a password fails, never waits
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PUSH_TIMEOUT, env=environment)
    except subprocess.TimeoutExpired:
        return Pushed(remote, f"no answer from {remote} within {PUSH_TIMEOUT:.0f} s", time.monotonic() - started)
    said = (done.stderr or done.stdout).strip()[-500:] or f"git exited with {done.returncode}"
    error = "" if done.returncode == 0 else said
    return Pushed(remote, error, time.monotonic() - started)
