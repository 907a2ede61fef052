"""Deployment configuration, read from the environment (SPEC §7).

Nothing here is read at import time by the application: `create_app` picks a class and
calls its `init_instance` hook, which reads the environment and the instance folder.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
from pathlib import Path

logger = logging.getLogger("consultation.config")


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


RATE_LIMIT_SETTINGS = (
    "CONTRIBUTION_LIMITS_PER_ACCOUNT",
    "CONTRIBUTION_LIMITS_PER_ADDRESS",
    "VOTE_LIMITS_PER_ACCOUNT",
    "VOTE_LIMITS_PER_ADDRESS",
    "REPORT_LIMITS_PER_ACCOUNT",
    "REPORT_LIMITS_PER_ADDRESS",
    "API_READ_LIMITS_PER_ADDRESS",
    "EXPORT_LIMITS_PER_ADDRESS",
)


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = 3600 * 4
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    # One text field of a form may fill the request: a bill pasted into the back-office form
    # (up to texts.services.MAX_SOURCE_CHARS characters) is one field. Werkzeug's default,
    # 500 kB, refused long bills with a 413.
    MAX_FORM_MEMORY_SIZE = 4 * 1024 * 1024
    # Account tokens: e-mail verification and password reset.
    EMAIL_VERIFICATION_HOURS = 48
    PASSWORD_RESET_HOURS = 2
    MAIL_FROM = "Consultation <ne-pas-repondre@consultation.localhost>"
    # Reply-To of the e-mails moderation sends (a contribution hidden, an account blocked, an
    # appeal decided): an address the moderators read. Unset, those e-mails point only to the
    # appeal form.
    MODERATION_REPLY_TO: str | None = None
    # werkzeug's default (scrypt); tests use a cheap method to stay fast.
    PASSWORD_HASH_METHOD = "scrypt"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    # Flask-Limiter stays initialised in every environment (its switch is global to the
    # process); RATE_LIMITS_ENABLED turns every limit of this application on or off.
    RATELIMIT_ENABLED = True
    RATE_LIMITS_ENABLED = True
    # Participation limits (consultation/core/limits.py), Flask-Limiter syntax, one per
    # account (signed-in user or API token) and one per client address, shared by the web
    # pages and the API. An empty value switches that limit off.
    CONTRIBUTION_LIMITS_PER_ACCOUNT = "10 per minute;60 per hour"
    CONTRIBUTION_LIMITS_PER_ADDRESS = "60 per minute;600 per hour"
    VOTE_LIMITS_PER_ACCOUNT = "120 per minute;1000 per hour"
    VOTE_LIMITS_PER_ADDRESS = "600 per minute"
    REPORT_LIMITS_PER_ACCOUNT = "10 per minute;50 per hour"
    REPORT_LIMITS_PER_ADDRESS = "60 per minute"
    # Reads of the API and its bulk exports, per client address only (a 304 is not counted).
    API_READ_LIMITS_PER_ADDRESS = "1200 per minute"
    EXPORT_LIMITS_PER_ADDRESS = "10 per minute;120 per hour"
    # Public forms (registration, contributions, comments, reports): a submission sooner
    # than this many seconds after the form was shown is refused, its text kept.
    FORM_MIN_FILL_SECONDS: float = 3
    # Number of proxies in front of the app whose X-Forwarded-For may be trusted.
    PROXY_COUNT = 0
    # One extension may postpone a published consultation's closing by at most this many
    # calendar days (Paris) after the closing it replaces; each extension is logged publicly.
    EXTENSION_MAX_DAYS = 365
    # Uploaded drafts (.docx, .odt: consultation/core/uploads.py): the largest file accepted,
    # and the most a ZIP-based document may expand to, all its entries together (a larger
    # one, or one expanding at an extreme ratio, is refused as a zip bomb). In bytes.
    DRAFT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    ARCHIVE_EXPANDED_MAX = 200 * 1024 * 1024
    # A consultation's documents (exposé des motifs, étude d'impact… : PDF, .docx, .odt):
    # the largest file accepted, in bytes.
    DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
    # A participant's position paper (one PDF attached to a contribution): the largest file
    # accepted, in bytes.
    POSITION_PAPER_MAX_BYTES = 10 * 1024 * 1024
    # Where uploaded files are kept (consultation/core/storage.py): unset, `instance/files`;
    # STORAGE_BACKEND "module:Class" plugs another storage (shared by several servers).
    STORAGE_DIR: str | None = None
    STORAGE_BACKEND: str | None = None
    # Background jobs (synthesis drafts, messages to many people) run on RQ with REDIS_URL,
    # else on a thread of this process; True runs them at once, in the request that asks for
    # them once its transaction has committed (tests).
    JOBS_INLINE = False

    def init_instance(self, instance_path: Path) -> None:
        """Read the environment; fill development defaults from the instance folder."""
        env = os.environ
        instance_path.mkdir(parents=True, exist_ok=True)
        self.DATABASE_URL = (
            env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'consultation.db'}"
        )
        self.SQLALCHEMY_DATABASE_URI = normalize_database_url(self.DATABASE_URL)
        self.SECRET_KEY = env.get("SECRET_KEY") or self.default_secret_key(instance_path)
        # The platform's Ed25519 key, which signs the record's checkpoints (consultation/ledger):
        # base64 of the 32-byte seed (`flask ledger new-key` prints one). Every server of a
        # deployment uses the same key, kept as carefully as SECRET_KEY; its public half is
        # published. Unset in production, checkpoints cannot be signed (the API says so).
        self.LEDGER_SIGNING_KEY = env.get("LEDGER_SIGNING_KEY") or self.default_ledger_key(
            instance_path
        )
        if self.LEDGER_SIGNING_KEY and not _is_ed25519_seed(self.LEDGER_SIGNING_KEY):
            raise RuntimeError("LEDGER_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed")
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.MAIL_URL = env.get("MAIL_URL") or None
        self.MODERATION_REPLY_TO = env.get("MODERATION_REPLY_TO") or None
        self.MAIL_OUTBOX = str(instance_path / "outbox")
        self.BASE_URL = (env.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
        self.STATE_BRANDING = _env_flag("STATE_BRANDING")
        self.PROXY_COUNT = int(env.get("PROXY_COUNT", self.PROXY_COUNT))
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATE_LIMITS_ENABLED = _env_flag("RATE_LIMITS_ENABLED", self.RATE_LIMITS_ENABLED)
        for name in RATE_LIMIT_SETTINGS:
            if name in env:
                setattr(self, name, env[name].strip())
        if "FORM_MIN_FILL_SECONDS" in env:
            self.FORM_MIN_FILL_SECONDS = float(env["FORM_MIN_FILL_SECONDS"])
        self.STORAGE_DIR = env.get("STORAGE_DIR") or self.STORAGE_DIR
        self.STORAGE_BACKEND = env.get("STORAGE_BACKEND") or self.STORAGE_BACKEND
        for name in ("DRAFT_UPLOAD_MAX_BYTES", "ARCHIVE_EXPANDED_MAX", "DOCUMENT_MAX_BYTES"):
            if name in env:
                setattr(self, name, int(env[name]))
                if getattr(self, name) < 1024:
                    raise RuntimeError(f"{name} must be a number of bytes of at least 1024")
        if "EXTENSION_MAX_DAYS" in env:
            self.EXTENSION_MAX_DAYS = int(env["EXTENSION_MAX_DAYS"])
            if not 1 <= self.EXTENSION_MAX_DAYS <= 3650:
                raise RuntimeError("EXTENSION_MAX_DAYS must be a number of days from 1 to 3650")

    def default_secret_key(self, instance_path: Path) -> str:
        raise RuntimeError("SECRET_KEY must be set")

    def default_ledger_key(self, instance_path: Path) -> str | None:
        return None


def _is_ed25519_seed(value: str) -> bool:
    try:
        return len(base64.b64decode(value.strip(), validate=True)) == 32
    except ValueError:  # binascii.Error is a ValueError
        return False


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False

    def default_secret_key(self, instance_path: Path) -> str:
        """Generate a key once and keep it in the instance folder."""
        key_file = instance_path / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        return key_file.read_text().strip()

    def default_ledger_key(self, instance_path: Path) -> str | None:
        """Generate a signing key once and keep it in the instance folder."""
        key_file = instance_path / "ledger_signing_key"
        if not key_file.exists():
            key_file.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
            key_file.chmod(0o600)
        return key_file.read_text().strip()


class TestConfig(DevelopmentConfig):
    ENV_NAME = "test"
    TESTING = True
    WTF_CSRF_ENABLED = False
    # Tests that check the limits or the form timer switch them on (tests/…/test_rate_limits.py).
    RATE_LIMITS_ENABLED = False
    FORM_MIN_FILL_SECONDS = 0
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Durability is not under test here; production keeps synchronous=FULL.
    SQLITE_SYNCHRONOUS = "OFF"
    JOBS_INLINE = True

    def default_secret_key(self, instance_path: Path) -> str:
        return "test-secret-key-" + "x" * 32

    def default_ledger_key(self, instance_path: Path) -> str | None:
        # A fixed key, written nowhere: SHA-256 of a public phrase (never a real key).
        return base64.b64encode(hashlib.sha256(b"consultation test ledger key").digest()).decode()


RATE_LIMITS_PER_PROCESS_WARNING = (
    "REDIS_URL is not set: rate-limit counters live in each process's memory, so every limit "
    "is multiplied by the number of worker processes (gunicorn --workers 4: four times each "
    "limit) and by the number of servers. Set REDIS_URL to share them, or serve with one worker."
)


class ProductionConfig(Config):
    ENV_NAME = "production"

    def init_instance(self, instance_path: Path) -> None:
        super().init_instance(instance_path)
        if len(self.SECRET_KEY) < 32:
            raise RuntimeError("SECRET_KEY must be at least 32 characters long in production")
        if not self.REDIS_URL and self.RATE_LIMITS_ENABLED:
            logger.warning(RATE_LIMITS_PER_PROCESS_WARNING)


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Instantiate the configuration named by `name` or by $CONSULTATION_ENV (development)."""
    name = name or os.environ.get("CONSULTATION_ENV", "development")
    return CONFIGS[name]()
