"""Settings: the only module that reads os.environ. Laptop defaults; production notes in README.

Every setting is a `KENESH_*` environment variable with a safe default for a laptop (servers on
127.0.0.1, SQLite, files under the repository). Build a Settings once with `Settings.from_env()`
and pass it down; tests build one directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
    rasa_url: str | None = None  # use an already running Rasa server instead of starting one
    endpoints_file: str = "endpoints.yml"  # endpoints.production.yml: PostgreSQL + Redis
    request_timeout: float = 10.0  # seconds for one call to Rasa
    startup_timeout: float = 300.0  # seconds to wait for the servers to become healthy
    max_message_chars: int = 2000  # longer messages are cut before they reach the model
    log_level: str = "INFO"
    tracker_db_url: str | None = field(default=None, repr=False)  # None: SQLite in state_dir
    retention_hours: float = 24.0  # conversation state older than this is erased
    pseudonym_key: str | None = field(default=None, repr=False)  # None: generated in state_dir
    # Telegram front end
    telegram_token: str | None = field(default=None, repr=False)
    telegram_api_base_url: str = "https://api.telegram.org/bot"  # the token is appended to it
    telegram_webhook_url: str | None = None  # set: webhook mode; unset: polling
    telegram_webhook_secret: str | None = field(default=None, repr=False)  # None: random per start
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    reply_timeout: float = 4.0  # seconds to wait for Rasa before apologising (Telegram asks for < 5)
    telegram_rate_limit: float = 30.0  # messages per second to Telegram, all chats together
    user_burst: int = 8  # messages one user may send at once ...
    user_messages_per_minute: float = 20.0  # ... and on average, before being asked to slow down
    # The hotline desk (desk/, a Django site for staff): `make run` starts it beside the servers
    desk_enabled: bool = True
    desk_host: str = "127.0.0.1"  # interface the desk listens on
    desk_port: int = 8000
    desk_allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")  # host names the desk answers to
    desk_secret_key: str | None = field(default=None, repr=False)  # None: generated in state_dir (laptop)
    desk_production: bool = False  # HTTPS only, HSTS, secure cookies; a secret key must be set
    desk_behind_proxy: bool = False  # trust X-Forwarded-Proto from the HTTPS proxy in front of the desk
    desk_database_url: str | None = field(default=None, repr=False)  # None: SQLite in state_dir
    desk_session_hours: float = 8.0  # a login lasts one shift
    desk_lookup_timeout: float = 2.0  # seconds the desk waits for Rasa's /model/parse before searching text only
    desk_url: str | None = None  # where the bot reaches the desk's /internal/ API; None: desk_base_url
    desk_internal_secret: str | None = field(default=None, repr=False)  # None: generated in state_dir
    # The handoff to a person (Telegram -> the desk's staff)
    knowledge_push: str | None = None  # a git remote: the desk pushes each publish of the knowledge to it
    organisation_name: str = "Kenesh"  # who reads a case: named to the user before they agree
    handoff_wait_minutes: float = 10.0  # nobody has answered by then: the user gets the contacts
    handoff_hours: str = ""  # when staff answer, e.g. "mon-fri 09:00-18:00"; empty: at any time
    handoff_timezone: str = "Europe/Moscow"  # the zone of handoff_hours
    case_retention_days: float = 7.0  # a closed case's messages are erased this many days later
    staff_chat_id: int | None = None  # a Telegram staff group with forum topics, one topic per case

    @property
    def rasa_base_url(self) -> str:
        return self.rasa_url or f"http://{self.host}:{self.rasa_port}"

    @property
    def action_base_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    @property
    def language_model_path(self) -> Path:
        """The language identifier `make train` writes beside the Rasa model."""
        return self.model_path.with_name("language.skops")

    @property
    def desk_internal_url(self) -> str:
        """The desk as the bot reaches it (loopback by default)."""
        return (self.desk_url or self.desk_base_url).rstrip("/")

    @property
    def tracker_db_file(self) -> Path:
        """The laptop tracker store: a SQLite file in state_dir."""
        return self.state_dir.resolve() / "trackers.db"

    @property
    def tracker_database_url(self) -> str:
        """SQLAlchemy URL of Rasa's tracker store, for erasure and the retention limit."""
        return self.tracker_db_url or f"sqlite:///{self.tracker_db_file}"

    @property
    def desk_base_url(self) -> str:
        return f"http://{self.desk_host}:{self.desk_port}"

    @property
    def desk_db_file(self) -> Path:
        """The laptop desk database: a SQLite file in state_dir."""
        return self.state_dir.resolve() / "desk.sqlite3"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
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
            tracker_db_url=env.get("KENESH_TRACKER_DB_URL") or _postgres_url(env),
            retention_hours=float(env.get("KENESH_RETENTION_HOURS", defaults.retention_hours)),
            pseudonym_key=env.get("KENESH_PSEUDONYM_KEY") or None,
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or defaults.telegram_api_base_url,
            telegram_webhook_url=env.get("TELEGRAM_WEBHOOK_URL") or None,
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            webhook_listen=env.get("KENESH_WEBHOOK_LISTEN", defaults.webhook_listen),
            webhook_port=int(env.get("KENESH_WEBHOOK_PORT", defaults.webhook_port)),
            reply_timeout=float(env.get("KENESH_REPLY_TIMEOUT", defaults.reply_timeout)),
            telegram_rate_limit=float(env.get("KENESH_TELEGRAM_RATE_LIMIT", defaults.telegram_rate_limit)),
            user_burst=int(env.get("KENESH_USER_BURST", defaults.user_burst)),
            user_messages_per_minute=float(
                env.get("KENESH_USER_MESSAGES_PER_MINUTE", defaults.user_messages_per_minute)
            ),
            desk_enabled=_flag(env.get("KENESH_DESK", "on")),
            desk_host=env.get("KENESH_DESK_HOST", defaults.desk_host),
            desk_port=int(env.get("KENESH_DESK_PORT", defaults.desk_port)),
            desk_allowed_hosts=tuple(
                host.strip() for host in env.get("KENESH_DESK_ALLOWED_HOSTS", "").split(",") if host.strip()
            )
            or defaults.desk_allowed_hosts,
            desk_secret_key=env.get("KENESH_DESK_SECRET_KEY") or None,
            desk_production=_flag(env.get("KENESH_DESK_PRODUCTION", "off")),
            desk_behind_proxy=_flag(env.get("KENESH_DESK_BEHIND_PROXY", "off")),
            desk_database_url=env.get("KENESH_DESK_DATABASE_URL")
            or _postgres_url(env, "KENESH_DESK_POSTGRES_DB", "kenesh_desk"),
            desk_session_hours=float(env.get("KENESH_DESK_SESSION_HOURS", defaults.desk_session_hours)),
            desk_lookup_timeout=float(env.get("KENESH_DESK_LOOKUP_TIMEOUT", defaults.desk_lookup_timeout)),
            desk_url=env.get("KENESH_DESK_URL") or None,
            desk_internal_secret=env.get("KENESH_DESK_INTERNAL_SECRET") or None,
            knowledge_push=env.get("KENESH_KNOWLEDGE_PUSH") or None,
            organisation_name=env.get("KENESH_ORGANISATION_NAME") or defaults.organisation_name,
            handoff_wait_minutes=float(env.get("KENESH_HANDOFF_WAIT_MINUTES", defaults.handoff_wait_minutes)),
            handoff_hours=env.get("KENESH_HANDOFF_HOURS", defaults.handoff_hours).strip(),
            handoff_timezone=env.get("KENESH_HANDOFF_TIMEZONE") or defaults.handoff_timezone,
            case_retention_days=float(env.get("KENESH_CASE_RETENTION_DAYS", defaults.case_retention_days)),
            staff_chat_id=int(env["KENESH_STAFF_CHAT_ID"]) if env.get("KENESH_STAFF_CHAT_ID") else None,
        )


def _flag(value: str) -> bool:
    """on/off, 1/0, true/false, yes/no (any case); anything else is a mistake worth one clear error."""
    lowered = value.strip().lower()
    if lowered in ("1", "on", "true", "yes"):
        return True
    if lowered in ("0", "off", "false", "no", ""):
        return False
    raise ValueError(f"expected on or off, got {value!r}")


def _postgres_url(
    env: Mapping[str, str], db_variable: str = "KENESH_POSTGRES_DB", db_default: str = "rasa"
) -> str | None:
    """A database on the production PostgreSQL server as a URL, if configured: the tracker store
    (endpoints.production.yml; KENESH_POSTGRES_DB) or the desk's (KENESH_DESK_POSTGRES_DB)."""
    if not env.get("KENESH_POSTGRES_HOST"):
        return None
    from urllib.parse import quote

    user = quote(env.get("KENESH_POSTGRES_USER", ""), safe="")
    password = quote(env.get("KENESH_POSTGRES_PASSWORD", ""), safe="")
    return (
        f"postgresql://{user}:{password}@{env['KENESH_POSTGRES_HOST']}:"
        f"{env.get('KENESH_POSTGRES_PORT', '5432')}/{env.get(db_variable, db_default)}"
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
    return {
        **quiet_environment(),
        "TF_DETERMINISTIC_OPS": "1",
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    }
