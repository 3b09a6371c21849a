"""`make bench`: the desk's lookup, as staff meet it: p50/p95 of one search, question to results page.

Starts the Rasa server, the action server and the desk (gunicorn) as `make run` does, in a
temporary state folder, logs in as a fresh account and POSTs held-out questions in every language
and script (Uzbek in Latin and Cyrillic; Kyrgyz and Tajik typed without their special letters too)
to the search box, one at a time. Target: p95 under 150 ms. Prints its figures; asserts nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from bench.figures import p50, p95
from bench.rasa_bench import free_port
from bot import desk_process
from bot.knowledge.loader import load_knowledge
from bot.nlu.dataset import examples
from bot.servers import Servers
from bot.settings import Settings

PER_LANGUAGE = 40
PLAIN_LETTERS = str.maketrans("ңөүҳҷқғӣӯҒҚҲҶӢӮҢӨҮ", "ноухчкгиуГКХЧИУНОУ")  # typed on a Russian keyboard
PASSWORD = "bench password, long enough"
TARGET_P95 = 0.150


def questions(settings: Settings) -> dict[str, list[str]]:
    """Held-out questions per way of writing: ky, ru, uz (Latin), uz_Cyrl, tg, ky and tg without special letters."""
    kb = load_knowledge(settings.knowledge_dir)
    by_way: dict[str, list[str]] = defaultdict(list)
    for example in examples(kb, held_out=True):
        if example.intent not in kb.topics:
            continue
        way = example.language
        if example.language == "uz" and re.search("[а-яўқғҳ]", example.text.lower()):
            way = "uz_Cyrl"
        by_way[way].append(example.text)
        if example.language in ("ky", "tg") and example.text != example.text.translate(PLAIN_LETTERS):
            by_way[f"{example.language} plain"].append(example.text.translate(PLAIN_LETTERS))
    return {way: texts[:: max(1, len(texts) // PER_LANGUAGE)][:PER_LANGUAGE] for way, texts in sorted(by_way.items())}


def logged_in(base_url: str) -> httpx.Client:
    http = httpx.Client(base_url=base_url, timeout=30)
    http.get("/accounts/login/")
    token = http.cookies["csrftoken"]
    answer = http.post(
        "/accounts/login/", data={"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    if answer.status_code != 302:
        raise SystemExit(f"could not log in to the desk (HTTP {answer.status_code})")
    return http


def search_token(http: httpx.Client) -> str:
    page = http.get("/lookup/").text
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        raise SystemExit("no CSRF token on the search page")
    return found.group(1)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kenesh-desk-bench-") as scratch:
        base = Settings.from_env()
        settings = dataclasses.replace(
            base, state_dir=Path(scratch), rasa_port=free_port(), action_port=free_port(), desk_port=free_port()
        )
        desk_process.prepare(settings)
        added = desk_process.manage(
            settings, "adduser", "bench", "--role", "staff", "--password-stdin", capture=True, stdin=PASSWORD + "\n"
        )
        if added.returncode:
            raise SystemExit(added.stderr)
        by_way = questions(settings)
        print(f"Desk lookup (search box → results page, {sum(map(len, by_way.values()))} held-out questions)")
        with Servers(settings, desk=True) as servers:
            asyncio.run(servers.wait_until_ready())
            http = logged_in(settings.desk_base_url)
            token = search_token(http)
            for text in itertools.islice(itertools.cycle(by_way["ru"]), 10):  # warm up: caches, first model call
                http.post("/lookup/", data={"q": text, "csrfmiddlewaretoken": token}, headers={"HX-Request": "true"})
            every: list[float] = []
            for way, texts in by_way.items():
                took = []
                for text in texts:
                    started = time.perf_counter()
                    answer = http.post(
                        "/lookup/", data={"q": text, "csrfmiddlewaretoken": token}, headers={"HX-Request": "true"}
                    )
                    took.append(time.perf_counter() - started)
                    if answer.status_code != 200 or "hits" not in answer.text and "No topic" not in answer.text:
                        print(f"  unexpected answer {answer.status_code} for a {way} question")
                every += took
                print(f"  {way:10s} n={len(took):3d}  p50 {p50(took) * 1000:6.1f} ms  p95 {p95(took) * 1000:6.1f} ms")
            high = p95(every)
            print(
                f"  all        n={len(every):3d}  p50 {p50(every) * 1000:6.1f} ms  "
                f"p95 {high * 1000:6.1f} ms"
                f"  (target p95 < {TARGET_P95 * 1000:.0f} ms: {'met' if high < TARGET_P95 else 'NOT met'})"
            )


if __name__ == "__main__":
    main()
