"""Settings: the only module that reads os.environ. Laptop defaults; production notes in README.

Every setting is a `KENESH_*` environment variable with a safe default for a laptop (servers on
127.0.0.1, SQLite, files under the repository). Build a Settings once with `Settings.from_env()`
and pass it down; tests build one directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Typed configuration for every Kenesh process."""

    knowledge_dir: Path = REPO_ROOT / "knowledge"
    rasa_project_dir: Path = REPO_ROOT / "rasa_project"
    model_path: Path = REPO_ROOT / "rasa_project" / "models" / "kenesh.tar.gz"
    state_dir: Path = REPO_ROOT / "var"  # logs and the laptop tracker database
    host: str = "127.0.0.1"  # interface the Rasa and action servers listen on
    rasa_port: int = 5005
    action_port: int = 5055
    rasa_url: Optional[str] = None  # use an already running Rasa server instead of starting one
    endpoints_file: str = "endpoints.yml"  # endpoints.production.yml: PostgreSQL + Redis
    request_timeout: float = 10.0  # seconds for one call to Rasa
    startup_timeout: float = 300.0  # seconds to wait for the servers to become healthy
    max_message_chars: int = 2000  # longer messages are cut before they reach the model
    log_level: str = "INFO"
    telegram_token: Optional[str] = field(default=None, repr=False)

    @property
    def rasa_base_url(self) -> str:
        return self.rasa_url or f"http://{self.host}:{self.rasa_port}"

    @property
    def action_base_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Read KENESH_* variables (and TELEGRAM_BOT_TOKEN) over the defaults."""
        env = os.environ if env is None else env
        defaults = cls()
        model_path = Path(env.get("KENESH_MODEL_PATH", defaults.model_path))
        return cls(
            knowledge_dir=Path(env.get("KENESH_KNOWLEDGE_DIR", defaults.knowledge_dir)),
            model_path=model_path,
            state_dir=Path(env.get("KENESH_STATE_DIR", defaults.state_dir)),
            host=env.get("KENESH_HOST", defaults.host),
            rasa_port=int(env.get("KENESH_RASA_PORT", defaults.rasa_port)),
            action_port=int(env.get("KENESH_ACTION_PORT", defaults.action_port)),
            rasa_url=env.get("KENESH_RASA_URL") or None,
            endpoints_file=env.get("KENESH_RASA_ENDPOINTS", defaults.endpoints_file),
            request_timeout=float(env.get("KENESH_REQUEST_TIMEOUT", defaults.request_timeout)),
            startup_timeout=float(env.get("KENESH_STARTUP_TIMEOUT", defaults.startup_timeout)),
            max_message_chars=int(env.get("KENESH_MAX_MESSAGE_CHARS", defaults.max_message_chars)),
            log_level=env.get("KENESH_LOG_LEVEL", defaults.log_level).upper(),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        )


def quiet_environment() -> dict[str, str]:
    """Variables every Rasa process gets: no telemetry, no noisy warnings."""
    return {
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }


def training_environment() -> dict[str, str]:
    """quiet_environment, plus one TensorFlow thread and deterministic ops: the same inputs give
    the same model on every machine of one kind, so CI measures what developers measured."""
    return {**quiet_environment(), "TF_DETERMINISTIC_OPS": "1",
            "TF_INTER_OP_PARALLELISM_THREADS": "1", "TF_INTRA_OP_PARALLELISM_THREADS": "1"}

