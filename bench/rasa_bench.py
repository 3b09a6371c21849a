"""`make bench`: training time, model load time, latency, throughput and peak memory, on this machine.

Prints its figures; asserts nothing. Messages are held-out questions in every language, each
answered through Rasa's REST channel and the custom actions (the same path as the chat).
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import os
import resource
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.figures import p50, p95
from bot.knowledge.loader import load_knowledge
from bot.nlu.dataset import examples
from bot.nlu.training import rasa_executable
from bot.servers import Servers
from bot.settings import Settings, training_environment

SEQUENTIAL = 300
CONCURRENT_CLIENTS = 20
CONCURRENT_TOTAL = 300
CONVERSATIONS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0.0
    for each in [pid] + _children(pid):
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def _children(pid: int) -> list[int]:
    try:
        found = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return found + [g for c in found for g in _children(c)]


def measure_training(settings: Settings) -> None:
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        subprocess.run(
            [rasa_executable(), "train", "--out", out, "--quiet", "--force"],
            cwd=settings.rasa_project_dir,
            env={**os.environ, **training_environment()},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"training (rasa train --force, every component):{seconds:6.1f} s, peak RSS {peak:.0f} MB")


def messages(settings: Settings) -> list[str]:
    kb = load_knowledge(settings.knowledge_dir)
    return [e.text for e in examples(kb, held_out=True) if e.intent in kb.topics]


async def one_turn(http: httpx.AsyncClient, url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = await http.post(url, json={"sender": sender, "message": text})
    response.raise_for_status()
    return time.perf_counter() - started


def report(label: str, latencies: list[float], wall: float) -> None:
    print(
        f"{label:44s} p50 {p50(latencies) * 1000:6.1f} ms  p95 {p95(latencies) * 1000:6.1f} ms  "
        f"{len(latencies) / wall:6.1f} msg/s"
    )


async def measure_latency(settings: Settings, texts: list[str]) -> None:
    url = f"{settings.rasa_base_url}/webhooks/rest/webhook"
    cycle = itertools.cycle(texts)
    async with httpx.AsyncClient(timeout=60) as http:
        for _ in range(5):
            await one_turn(http, url, "bench-warmup", next(cycle))
        started = time.perf_counter()
        latencies = [await one_turn(http, url, f"bench-{i % CONVERSATIONS}", next(cycle)) for i in range(SEQUENTIAL)]
        report(f"{SEQUENTIAL} sequential messages", latencies, time.perf_counter() - started)

        queue = [(f"bench-c{i % CONVERSATIONS}", next(cycle)) for i in range(CONCURRENT_TOTAL)]
        latencies = []

        async def client() -> None:
            while queue:
                sender, text = queue.pop()
                latencies.append(await one_turn(http, url, sender, text))

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(CONCURRENT_CLIENTS)))
        report(
            f"{CONCURRENT_TOTAL} messages, {CONCURRENT_CLIENTS} concurrent clients",
            latencies,
            time.perf_counter() - started,
        )


def main() -> None:
    base = Settings.from_env()
    print(f"Kenesh benchmark on {os.cpu_count()} cores; model {base.model_path.name}")
    measure_training(base)
    with tempfile.TemporaryDirectory() as state:
        settings = dataclasses.replace(base, rasa_port=free_port(), action_port=free_port(), state_dir=Path(state))
        servers = Servers(settings)
        started = time.monotonic()
        servers.start()
        try:
            asyncio.run(servers.wait_until_ready())
            print(f"server start until healthy (model load):       {time.monotonic() - started:6.1f} s")
            asyncio.run(measure_latency(settings, messages(settings)))
            actions, rasa = servers.pid("actions"), servers.pid("rasa")
            rasa_mb, actions_mb = peak_rss_mb(rasa), peak_rss_mb(actions)
            print(f"peak memory: Rasa server {rasa_mb:.0f} MB, action server {actions_mb:.0f} MB")
        finally:
            servers.stop()
    measure_classify(base)


def measure_classify(settings: Settings) -> None:
    """Model load in-process, then 400 lines through the same Classifier as `python -m bot classify`."""
    from bot.nlu.classify import Classifier
    from bot.nlu.model import LoadedModel

    started = time.monotonic()
    model = LoadedModel(settings)
    print(
        f"in-process model load (classify):              {time.monotonic() - started:6.1f} s, "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    classifier = Classifier(settings, model)
    texts = list(itertools.islice(itertools.cycle(messages(settings)), 400))
    started = time.monotonic()
    for text in texts:
        classifier.classify(text)
    seconds = time.monotonic() - started
    print(f"classify 400 lines after load:                 {seconds:6.1f} s ({400 / seconds:.0f} lines/s)")


if __name__ == "__main__":
    main()
