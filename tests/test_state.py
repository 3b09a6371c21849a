"""bot/state.py: the state folder is made before first use, and a folder that cannot be used is one sentence."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest

from bot.errors import SetupError
from bot.privacy import conversation_store, pseudonym_key
from bot.settings import Settings
from bot.state import state_folder


def settings_in(state_dir: Path) -> Settings:
    return dataclasses.replace(Settings(), state_dir=state_dir)


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Path:
    """A folder that exists but in which no file can be made (root ignores permission bits: /sys)."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        return folder
    if not Path("/sys/kernel").is_dir():
        pytest.skip("no unwritable folder to test with on this machine")
    return Path("/sys")


def test_a_missing_state_folder_and_its_parents_are_made(tmp_path: Path) -> None:
    settings = settings_in(tmp_path / "new" / "state")
    assert state_folder(settings, "log") == tmp_path / "new" / "state" / "log"
    assert (tmp_path / "new" / "state" / "log").is_dir()


def test_the_retention_purge_works_on_a_fresh_clone(tmp_path: Path) -> None:
    """The first-run crash: the purge opened var/trackers.db before anything made var/."""
    settings = settings_in(tmp_path / "var")
    store = conversation_store(settings)
    try:
        assert store.purge_older_than(24) == 0
    finally:
        store.close()
    assert (tmp_path / "var").is_dir()


def test_the_pseudonym_key_is_made_in_a_missing_state_folder(tmp_path: Path) -> None:
    settings = settings_in(tmp_path / "var")
    key = pseudonym_key(settings)
    assert len(key) == 64 and pseudonym_key(settings) == key
    assert stat.S_IMODE((tmp_path / "var" / "pseudonym.key").stat().st_mode) == 0o600


@pytest.mark.parametrize("where", ["the folder itself", "a parent"])
def test_a_file_in_place_of_the_folder_is_one_clear_sentence(tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "var"
    blocker.write_text("not a folder")
    settings = settings_in(blocker if where == "the folder itself" else blocker / "state")
    with pytest.raises(SetupError) as raised:
        state_folder(settings)
    message = str(raised.value)
    assert str(settings.state_dir) in message and "KENESH_STATE_DIR" in message
    assert "\n" not in message and raised.value.__cause__ is None


def test_an_unwritable_folder_is_one_clear_sentence(unwritable_folder: Path) -> None:
    with pytest.raises(SetupError, match="KENESH_STATE_DIR"):
        state_folder(settings_in(unwritable_folder))


def test_the_purge_reports_an_unusable_folder_before_opening_the_database(tmp_path: Path) -> None:
    (tmp_path / "var").write_text("")
    with pytest.raises(SetupError, match=str(tmp_path / "var")):
        conversation_store(settings_in(tmp_path / "var"))


def test_a_database_url_needs_no_state_folder(tmp_path: Path) -> None:
    (tmp_path / "var").write_text("")
    settings = dataclasses.replace(settings_in(tmp_path / "var"), tracker_db_url=f"sqlite:///{tmp_path}/elsewhere.db")
    store = conversation_store(settings)
    try:
        assert store.purge_older_than(24) == 0
    finally:
        store.close()


@pytest.mark.parametrize(
    "command, folder, reason",
    [(["run"], "", "a file is in its place"), (["risk-diagram"], "risk-diagram", "not a directory")],
)
def test_the_command_line_says_it_in_one_line(cli, tmp_path: Path, command: list, folder: str, reason: str) -> None:
    """`make run` says it at once, before training and before any server starts."""
    (tmp_path / "var").write_text("")
    done = cli(command, env={"KENESH_STATE_DIR": str(tmp_path / "var")})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"kenesh: cannot write Kenesh's state to {tmp_path / 'var' / folder if folder else tmp_path / 'var'} "
        f"({reason}): set KENESH_STATE_DIR to a folder you can write to"
    ]
