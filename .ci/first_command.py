"""CI's proof of the README's first command (`make run`), from a state folder that does not exist yet.

    .venv/bin/python .ci/first_command.py terminal make run   a Kyrgyz question piped in, then end of input
    .venv/bin/python .ci/first_command.py telegram make run   the same question from a user of a fake Bot
                                                              API; then the bot is killed (-9), and a
                                                              question asked meanwhile must be answered
                                                              within 60 s

The command after the mode is run as given (.ci/run gives the README's).

Each run checks that an answer in Kyrgyz came back, that nothing printed a traceback, and that
no process is left behind afterwards (every process that inherited this run's unique state
folder is found through /proc). Exit 0 when all hold; 1, with what went wrong, when one does not.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.errors import SetupError  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.servers import Servers  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.fake_bot_api import FakeBotAPI  # noqa: E402

QUESTION = "мага повестка келди, эмне кылышым керек?"  # "I got a summons, what should I do?"
TOPIC = "summons_received"
USER = 4242
COMMAND: list[str] = []  # the README's first command, from the command line
STARTUP_LIMIT = 900.0  # seconds: install and training happen in earlier CI layers, startup is about a minute


def expected_answer() -> str:
    """The first sentence of the topic's Kyrgyz short answer, as the knowledge base has it."""
    return load_knowledge(REPO / "knowledge").topic(TOPIC).text["ky"].short.strip().split(". ")[0]


def environment(state: Path, **extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("KENESH_", "TELEGRAM_"))}
    return {**env, "KENESH_STATE_DIR": str(state), **extra}


def left_behind(state: Path) -> list[str]:
    """Processes whose environment names this run's state folder: what `make run` started and did not stop."""
    marker = f"KENESH_STATE_DIR={state}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker in (proc / "environ").read_bytes().split(b"\0"):
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append(f"{proc.name}: {command[:120]}")
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def wait_until_none_left(state: Path, seconds: float = 20.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while (remaining := left_behind(state)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return remaining


def verdict(mode: str, output: str, state: Path, seconds: float | None, stopping: str = "") -> int:
    """Print what held or what did not (`stopping`: a problem found on the way); 0 when the answer came,
    with no traceback and nothing left running."""
    problems = [stopping] if stopping else []
    if seconds is None:
        problems.append(f"no Kyrgyz answer (expected {expected_answer()[:60]!r}…)")
    if "Traceback" in output:
        problems.append("a traceback was printed")
    remaining = wait_until_none_left(state)
    if remaining:
        problems.append("processes left behind:\n    " + "\n    ".join(remaining))
        for line in remaining:
            os.kill(int(line.split(":")[0]), signal.SIGKILL)
    if problems:
        print(f"first command ({mode}): FAILED\n  - " + "\n  - ".join(problems))
        print("---- make run printed (last 60 lines) ----\n" + "\n".join(output.splitlines()[-60:]))
        return 1
    print(
        f"first command ({mode}): answered in Kyrgyz {seconds or 0:.0f} s after `make run` started; "
        "no traceback; no process left behind"
    )
    return 0


def terminal(state: Path) -> int:
    started = time.monotonic()
    done = subprocess.run(
        COMMAND,
        cwd=REPO,
        env=environment(state),
        input=QUESTION + "\n",
        capture_output=True,
        text=True,
        timeout=STARTUP_LIMIT,
    )
    answered = expected_answer() in done.stdout
    stopping = f"make run exited with {done.returncode} at the end of input" if done.returncode else ""
    seconds = time.monotonic() - started if answered else None
    return verdict("terminal", done.stdout + done.stderr, state, seconds, stopping)


def ask_in_telegram(fake: FakeBotAPI, run: subprocess.Popen) -> float | None:
    """Once the bot polls, a Kyrgyz user asks; the seconds from start to the right answer, or None."""
    started = time.monotonic()
    try:
        fake.wait_for(lambda: "getUpdates" in fake.methods() or run.poll() is not None, STARTUP_LIMIT)
        if run.poll() is not None:
            return None
        fake.text(USER, QUESTION, language_code="ky")
        replies = fake.wait_for_messages(USER, 0, timeout=30)
    except AssertionError as error:  # the fake's time-out
        print(f"first command (telegram): {error}")
        return None
    return time.monotonic() - started if any(expected_answer() in reply.text for reply in replies) else None


def bot_comes_back(fake: FakeBotAPI, state: Path) -> str:
    """kill -9 of the bot under supervisord; a question asked meanwhile is answered within 60 s."""
    try:
        Servers(dataclasses.replace(Settings(), state_dir=state)).kill("bot")  # the supervisord that make run started
    except SetupError as error:
        return str(error)
    killed, mark = time.monotonic(), fake.mark()
    fake.text(USER, QUESTION, language_code="ky")  # waits at Telegram until the bot is back
    try:
        replies = fake.wait_for_messages(USER, mark, timeout=60)
    except AssertionError:
        return "no answer within 60 s after the bot was killed"
    print(
        f"first command (telegram): the bot was killed (-9) and answered again after {time.monotonic() - killed:.0f} s"
    )
    return "" if any(expected_answer() in reply.text for reply in replies) else "after the bot was killed: no answer"


def stop_like_ctrl_c(run: subprocess.Popen) -> str:
    """SIGINT to make run's process group, as Ctrl-C in a terminal sends; what went wrong, if anything."""
    if run.poll() is not None:
        return f"make run had already stopped (exit {run.returncode})"
    os.killpg(run.pid, signal.SIGINT)
    try:
        run.wait(60)
    except subprocess.TimeoutExpired:
        return "make run did not stop within 60 s of Ctrl-C"
    return ""


def telegram(state: Path) -> int:
    fake = FakeBotAPI().start()
    env = environment(state, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url)
    with tempfile.TemporaryFile(mode="w+") as log:
        run = subprocess.Popen(
            COMMAND,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            seconds = ask_in_telegram(fake, run)
            restart = bot_comes_back(fake, state) if seconds is not None else ""
        finally:
            stopping = stop_like_ctrl_c(run)
            fake.stop()
        log.seek(0)
        output = log.read()
    return verdict("telegram", output, state, seconds, "; ".join(filter(None, (restart, stopping))))


def main(mode: str) -> int:
    with tempfile.TemporaryDirectory(prefix="kenesh-first-run-") as scratch:
        state = Path(scratch) / "state"  # does not exist yet, as var/ in a fresh clone
        return {"terminal": terminal, "telegram": telegram}[mode](state)


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("terminal", "telegram"):
        sys.exit(__doc__)
    COMMAND[:] = sys.argv[2:]
    sys.exit(main(sys.argv[1]))
