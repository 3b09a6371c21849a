"""bot/privacy.py: pseudonyms, the key file, erasure and the retention limit on Rasa's real store."""

from __future__ import annotations

import asyncio
import stat
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.privacy import ConversationStore, Pseudonymizer, ReplyAddresses, pseudonym_key
from bot.settings import Settings


def test_pseudonyms_are_stable_keyed_and_hide_the_id() -> None:
    one, other = Pseudonymizer(b"k" * 32), Pseudonymizer(b"x" * 32)
    assert one(918273645) == one(918273645) != one(918273646)
    assert one(918273645) != other(918273645)
    assert "918273645" not in one(918273645) and not any(c.isdigit() for c in one(918273645))


def test_the_desks_pseudonym_is_another_hmac_than_rasas_sender_id() -> None:
    key = b"k" * 32
    rasa, desk = Pseudonymizer(key), Pseudonymizer(key, namespace="desk")
    assert desk(4242) == desk(4242) and desk(4242) != rasa(4242)
    assert desk(4242).startswith("tg-") and "4242" not in desk(4242)
    assert rasa(4242) == Pseudonymizer(key, namespace="")(4242)  # Rasa's sender ids did not change


def test_a_reply_address_opens_to_the_chat_id_only_with_the_same_key() -> None:
    addresses = ReplyAddresses(b"k" * 32)
    sealed = addresses.seal(918273645)
    assert "918273645" not in sealed
    assert addresses.open(sealed) == 918273645
    assert sealed != addresses.seal(918273645)  # Fernet adds a time and a random IV: no two tokens alike
    with pytest.raises(ValueError):
        ReplyAddresses(b"o" * 32).open(sealed)
    with pytest.raises(ValueError):
        addresses.open(sealed[:-4] + "AAAA")


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        Pseudonymizer(b"short")


def test_key_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    settings = replace(Settings(), state_dir=tmp_path / "state")
    key = pseudonym_key(settings)
    assert len(key) == 64 and pseudonym_key(settings) == key
    assert stat.S_IMODE((tmp_path / "state" / "pseudonym.key").stat().st_mode) == 0o600
    assert pseudonym_key(replace(settings, pseudonym_key="from-the-environment-0123456789")) != key


@pytest.fixture
def rasa_store(tmp_path: Path):
    """Rasa's SQL tracker store (Kenesh's redacting one) on a SQLite file, with two conversations."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_project.tracker_store import RedactingSQLTrackerStore

    db = tmp_path / "trackers.db"
    store = RedactingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))
    for sender, age in (("tg-old", 3 * 3600), ("tg-new", 60)):
        tracker = DialogueStateTracker(sender, [])
        tracker.update(ActionExecuted("action_listen", timestamp=time.time() - age))
        tracker.update(
            UserUttered(
                "повестка пришла Zyxwvut", {"name": "summons_received", "confidence": 1.0}, timestamp=time.time() - age
            )
        )
        asyncio.run(store.save(tracker))
    return store, db


def test_user_text_is_never_written_to_the_tracker_store(rasa_store) -> None:
    store, db = rasa_store
    assert b"Zyxwvut" not in db.read_bytes() + (
        db.with_name("trackers.db-wal").read_bytes() if db.with_name("trackers.db-wal").exists() else b""
    )
    tracker = asyncio.run(store.retrieve("tg-new"))
    assert tracker.latest_message.intent["name"] == "summons_received"


def test_a_slot_filled_with_message_text_is_stored_empty(tmp_path: Path) -> None:
    """The risk check's `risk_answer` takes the raw text of each message (from_text)."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.settings import REPO_ROOT
    from rasa_project.tracker_store import RedactingSQLTrackerStore

    db = tmp_path / "trackers.db"
    domain = Domain.load(str(REPO_ROOT / "rasa_project" / "domain.yml"))
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events(
        "tg-risk", [SlotSet("risk_answer", "мне 34 Qwertyuiop"), SlotSet("risk_answers", '[["sex", "male"]]')]
    )
    asyncio.run(store.save(tracker))
    stored = asyncio.run(store.retrieve("tg-risk"))
    assert b"Qwertyuiop" not in db.read_bytes() + (
        db.with_name("trackers.db-wal").read_bytes() if db.with_name("trackers.db-wal").exists() else b""
    )
    assert stored.get_slot("risk_answer") is None and stored.get_slot("risk_answers") == '[["sex", "male"]]'


def test_erase_deletes_one_conversation(rasa_store) -> None:
    store, db = rasa_store
    conversations = ConversationStore(f"sqlite:///{db}")
    assert conversations.erase("tg-new") == 2
    assert asyncio.run(store.retrieve("tg-new")) is None
    assert asyncio.run(store.retrieve("tg-old")) is not None


def test_retention_deletes_what_is_older_than_the_limit(rasa_store) -> None:
    store, db = rasa_store
    conversations = ConversationStore(f"sqlite:///{db}")
    assert conversations.purge_older_than(hours=1) == 2
    assert asyncio.run(store.retrieve("tg-old")) is None
    assert asyncio.run(store.retrieve("tg-new")) is not None


def test_a_store_without_events_yet_is_not_an_error(tmp_path: Path) -> None:
    conversations = ConversationStore(f"sqlite:///{tmp_path / 'empty.db'}")
    assert conversations.erase("tg-x") == 0 and conversations.purge_older_than(24) == 0


def test_production_settings_build_a_postgres_url() -> None:
    settings = Settings.from_env(
        {
            "KENESH_POSTGRES_HOST": "db",
            "KENESH_POSTGRES_USER": "rasa",
            "KENESH_POSTGRES_PASSWORD": "p@ss/word",
            "KENESH_POSTGRES_DB": "rasa",
        }
    )
    assert settings.tracker_database_url == "postgresql://rasa:p%40ss%2Fword@db:5432/rasa"
    assert Settings().tracker_database_url.startswith("sqlite:///")


@pytest.mark.model
def test_rasas_own_warnings_reach_its_log_without_the_users_text(servers, talk) -> None:
    """Text sent to Rasa directly (not through the bot, which never lets it through) in the shape of
    an intent with arguments makes Rasa warn, quoting it; its log keeps the warning, not the text."""
    marker = "Qwertzuiopmarker"
    talk(servers.settings, "privacy-log-check", f"/summons_received@0.9 {marker} 918273645")
    log = (servers.log_dir / "rasa.log").read_text()
    assert "Failed to parse arguments in line '…'" in log
    assert marker not in log and "918273645" not in log
