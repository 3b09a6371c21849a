"""The desk as `make run` starts it: prepared by `manage.py prepare`, served by gunicorn; accounts
added with `python -m bot desk adduser` (bot/ runs desk/manage.py in its own process)."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import time

import httpx
import pytest

from bot import desk_process
from bot.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_prepare_adduser_and_serve(cli, tmp_path) -> None:
    settings = dataclasses.replace(Settings(), state_dir=tmp_path / "state", desk_port=free_port())
    assert desk_process.prepare(settings) == 0
    for private in ("desk-secret.key", "desk.sqlite3", ""):  # the key, the cases, the folder
        assert (tmp_path / "state" / private).stat().st_mode & 0o077 == 0, private or "the state folder"
    env = {k: v for k, v in desk_process.environment(settings).items() if k.startswith("KENESH_")}
    added = cli(
        ["desk", "adduser", "aigul", "--role", "admin", "--password-stdin"], env=env, stdin="a long enough password\n"
    )
    assert added.returncode == 0, added.stderr
    assert desk_process.prepare(settings) == 1
    refused = cli(
        ["desk", "adduser", "aigul", "--role", "staff", "--password-stdin"], env=env, stdin="another long password\n"
    )
    assert refused.returncode != 0 and "already" in refused.stderr

    server = subprocess.Popen(
        desk_process.serve_command(settings),
        env={**__import__("os").environ, **desk_process.environment(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{settings.desk_base_url}/healthz").text == "ok":
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "the desk did not start"
            time.sleep(0.3)
        login = httpx.get(f"{settings.desk_base_url}/accounts/login/")
        assert login.status_code == 200 and "Content-Security-Policy" in login.headers
        for asset in ("/static/desk/desk.css", "/static/desk/copy.js", "/static/django_htmx/htmx-2.min.js"):
            assert httpx.get(settings.desk_base_url + asset).status_code == 200, asset
        assert httpx.get(f"{settings.desk_base_url}/lookup/").status_code == 302
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
