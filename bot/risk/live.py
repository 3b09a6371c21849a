"""The knowledge base and the risk rules every process serves, reloaded when their files change.

A published change to answer texts, sources, dates, contacts or the risk rules' texts reaches users
within about a second, with no retraining and no restart: the action server, the Telegram bot and
the desk each hold one `LiveKnowledge` per knowledge folder (`serving(root)`) and ask it for
`current()` each time they answer.

How a change is noticed: a change stamp, polled. A thread in each process takes the stamp of the
served files every POLL_SECONDS: name, inode, size and modification time of each YAML file in
knowledge/, knowledge/topics/ and knowledge/meta/ (some 40 `stat` calls, under a millisecond).
Chosen over
- a version file the publisher writes last: a file edited by hand or a `git pull` of the
  knowledge repository would never go live;
- a loopback endpoint in each process: more listeners, and the publisher would have to know every
  process (gunicorn runs several workers);
- inotify: not in the standard library, and not on every file system (network folders, volumes).

A change appears whole. Once the stamp moved, the files are read only after it has stayed the same
for SETTLE_SECONDS (the writer has finished: the desk's publisher renames its prepared files into
place within milliseconds, a `git pull` checks out at once), and the stamp is taken again after
reading: if the files moved while they were read, what was read is dropped and read again once
they settle. A file replaced by rename has a new inode, so a rewrite of the same size in the same
clock tick is seen too. A writer that pauses longer than SETTLE_SECONDS between two files can have
its first half served alone, if that half passes the checks below.

A change that does not load keeps the old knowledge and logs one warning, naming the files and
fields at fault and no text: invalid YAML, a field the schema refuses, a related topic, contact or
cited source that does not exist, or an entry added or removed (the entries are the model's
intents: that needs a retraining). The rest of `kb lint` (translation parity, readability, the
glossary, every combination of the risk rules' answers: 8 s) is the publisher's gate, run on the
draft before its files are written.

Replies never wait: a reading takes about 0.25 s (docs/measurements.md), in the watcher thread;
meanwhile replies use the previous version, and the new one is swapped in as one object (knowledge
base and rules together, so an answer never mixes two versions).

Example questions (knowledge/examples/) are read once, at start, and kept across changes: they are
what the running model learned from, users see nothing of them, and they are not in the stamp. A
change to them goes live with the retrained model (`make train`) and a restart.

This module sits in bot/risk, the lowest layer that sees both the knowledge base and the rules.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import KnowledgeError
from bot.knowledge.lint import references
from bot.knowledge.loader import ENTRY_FOLDERS, KnowledgeBase, read_knowledge
from bot.problems import Problem
from bot.risk.check import check_references
from bot.risk.rules import RULES_FILE, RiskRules, read_rules

POLL_SECONDS = 0.2  # how often the files are looked at
SETTLE_SECONDS = 0.1  # then, once they changed, how long they must stay the same before they are read
SERVED_FOLDERS = ("", *ENTRY_FOLDERS)  # knowledge/*.yaml, topics/*.yaml, meta/*.yaml; not examples/

Stamp = tuple[tuple[str, int, int, int], ...]  # (path, inode, size, mtime in ns) of each served file

logger = logging.getLogger(__name__)
_serving_lock = threading.Lock()  # guards serving() and the start of watchers


def stamp_of(root: Path) -> Stamp:
    """What changes when a served file is written, renamed into place, added or removed."""
    files = []
    for folder in SERVED_FOLDERS:
        try:
            with os.scandir(root / folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".yaml") and entry.is_file():
                        status = entry.stat()
                        name = f"{folder}/{entry.name}".lstrip("/")
                        files.append((name, status.st_ino, status.st_size, status.st_mtime_ns))
        except FileNotFoundError:
            continue
    return tuple(sorted(files))


@dataclass(frozen=True)
class Served:
    """One consistent version of the knowledge folder: what every answer is made from."""

    knowledge: KnowledgeBase
    rules: RiskRules
    stamp: Stamp


def read_served(root: Path, examples_of: Served | None = None) -> tuple[Served | None, list[Problem]]:
    """Read the knowledge base and the risk rules; None and the errors when they cannot be served.
    The example questions are read too, unless they are taken over from `examples_of`."""
    stamp = stamp_of(root)
    if not root.is_dir():
        return None, [Problem(str(root), "", "the knowledge folder is missing")]
    kb, problems = read_knowledge(root, examples=examples_of is None)
    if examples_of is not None:
        kb.examples, kb.example_files = examples_of.knowledge.examples, examples_of.knowledge.example_files
    if not kb.topics:
        problems.append(Problem("topics", "", "no topics"))
    try:
        rules = read_rules(root / RULES_FILE)
    except KnowledgeError as error:
        return None, [*problems, Problem(RULES_FILE, "", str(error))]
    problems += references(kb) + check_references(rules, kb)
    errors = [problem for problem in problems if problem.severity == "error"]
    return (None if errors else Served(kb, rules, stamp)), errors


def entries(served: Served) -> set[str]:
    return {*served.knowledge.topics, *served.knowledge.meta}


@dataclass
class LiveKnowledge:
    """The served version of one knowledge folder, replaced when the files change: by a watcher
    thread (`watch`, as `serving()` makes it), or at each call of `check()`."""

    root: Path
    poll: float = POLL_SECONDS
    watch: bool = False
    _served: Served = field(init=False)
    _seen: Stamp = field(init=False)  # the stamp at the last poll
    _refused: Stamp | None = field(init=False, default=None)  # a stamp that did not load: not read again
    _owner: int = field(init=False, default=0)  # the process whose watcher runs (a fork has none)
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)  # one check at a time

    def __post_init__(self) -> None:
        served, errors = read_served(self.root)
        if served is None:
            listed = "\n".join(str(problem) for problem in errors[:10])
            raise KnowledgeError(f"the knowledge in {self.root} cannot be served ({len(errors)} error(s)):\n{listed}")
        self._served, self._seen = served, served.stamp

    def current(self) -> Served:
        """The version to answer with now (starts this process's watcher on first use)."""
        if self.watch and self._owner != os.getpid():
            self._start_watcher()
        return self._served

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.current().knowledge

    @property
    def rules(self) -> RiskRules:
        return self.current().rules

    def check(self) -> bool:
        """One poll: read the files if they changed and have stayed the same since the last poll;
        True when a new version is now served."""
        with self._lock:
            return self._check()

    def _check(self) -> bool:
        stamp = stamp_of(self.root)
        settled, self._seen = stamp == self._seen, stamp
        if stamp == self._served.stamp or stamp == self._refused or not settled:
            return False
        served, errors = read_served(self.root, examples_of=self._served)
        if stamp_of(self.root) != stamp or (served is not None and served.stamp != stamp):
            return False  # written to while being read: read again once it settles
        if served is not None and entries(served) != entries(self._served):
            errors = [Problem("topics", "", "entries added or removed: that needs a retraining")]
            served = None
        if served is None:
            self._refused = stamp
            where = ", ".join(sorted({f"{p.file} {p.field}".strip() for p in errors})[:5])
            logger.warning(
                "A knowledge change was not served (%d error(s): %s); still serving the previous version. "
                "`python -m bot kb lint` says why",
                len(errors),
                where,
            )
            return False
        self._served, self._refused = served, None
        logger.info("Serving the changed knowledge (%d topics)", len(served.knowledge.topics))
        return True

    def _changing(self) -> bool:
        """The last poll saw files that are neither served nor refused: look again soon."""
        return self._seen not in (self._served.stamp, self._refused)

    def stop(self) -> None:
        self._stop.set()

    def _start_watcher(self) -> None:
        with _serving_lock:
            if self._owner == os.getpid():
                return
            self._owner = os.getpid()
            self._stop, self._lock = threading.Event(), threading.Lock()  # a fork may copy a lock held
            threading.Thread(target=self._watch, name="kenesh-live-knowledge", daemon=True).start()

    def _watch(self) -> None:
        while not self._stop.wait(SETTLE_SECONDS if self._changing() else self.poll):
            try:
                self.check()
            except Exception:  # the watcher must outlive any surprise; the old version stays served
                logger.exception("The knowledge watcher failed one poll")


_serving: dict[Path, LiveKnowledge] = {}


def serving(root: Path) -> LiveKnowledge:
    """The one LiveKnowledge of this process for `root` (read on first call; KnowledgeError if it cannot be)."""
    key = root.resolve()
    with _serving_lock:
        if key not in _serving:
            _serving[key] = LiveKnowledge(key, watch=True)
        return _serving[key]
