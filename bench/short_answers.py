"""Words per short answer, per language (median, maximum, how many over the limit), at two revisions.

`python -m bench.short_answers [BEFORE] [AFTER]`: git revisions, default 1687e29 (before the
issue-13 rewrite) and the working tree. Words are counted as `kb lint` counts them
(bot.knowledge.readability).
"""

from __future__ import annotations

import statistics
import subprocess
import sys

import yaml

from bot.knowledge.loader import YAML_LOADER
from bot.knowledge.readability import LIMITS, words
from bot.settings import REPO_ROOT

TOPICS = "knowledge/topics"
WORKING_TREE = "working tree"


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, check=True).stdout


def topic_texts(revision: str) -> dict[str, dict]:
    """Topic id -> its `text` mapping, at a git revision or in the working tree."""
    if revision == WORKING_TREE:
        files = {path.stem: path.read_text(encoding="utf-8") for path in (REPO_ROOT / TOPICS).glob("*.yaml")}
    else:
        names = [
            name for name in _git("ls-tree", "--name-only", f"{revision}:{TOPICS}").split() if name.endswith(".yaml")
        ]
        files = {name[:-5]: _git("show", f"{revision}:{TOPICS}/{name}") for name in names}
    return {topic: yaml.load(text, Loader=YAML_LOADER)["text"] for topic, text in files.items()}


def summary(revision: str) -> dict[str, tuple[float, int, int, int]]:
    """Language -> (median words, maximum, answers over the limit, answers)."""
    texts = topic_texts(revision)
    result = {}
    for lang, (limit, _) in LIMITS.items():
        counts = [len(words(text[lang]["short"])) for text in texts.values()]
        result[lang] = (statistics.median(counts), max(counts), sum(count > limit for count in counts), len(counts))
    return result


def main(before: str = "1687e29", after: str = WORKING_TREE) -> None:
    rows = {revision: summary(revision) for revision in (before, after)}
    print(f"Words per short answer: {before} -> {after}")
    for lang, (limit, _) in LIMITS.items():
        (b_median, b_max, b_over, total), (a_median, a_max, a_over, _) = rows[before][lang], rows[after][lang]
        print(
            f"{lang}: limit {limit}; median {b_median:g} -> {a_median:g}, max {b_max} -> {a_max}, "
            f"over the limit {b_over}/{total} -> {a_over}/{total}"
        )


if __name__ == "__main__":
    main(*sys.argv[1:3])
