"""Read SiLAHAP's settings from the environment, failing with one line that says what to fix."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line meant for the operator."""


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if required or default is None:
        raise ConfigError(f"{name} must be set (see .env.example)")
    return default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value; use true or false")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum of {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ConfigError(f"{name}={value!r} must be one of: {', '.join(choices)}")
    return value


SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so a second writer waits for the busy
    # timeout instead of failing with "database is locked" when it upgrades a read lock.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}


def database_from_url(url: str, base_dir: Path) -> dict:
    """Turn DATABASE_URL into DATABASES['default'], accepting only SQLite and PostgreSQL."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        # dj-database-url's convention: sqlite:///relative/path, sqlite:////absolute/path.
        if not url.startswith("sqlite:///"):
            raise ConfigError(f"DATABASE_URL={url!r}: write sqlite:///path/to/db.sqlite3")
        path = url[len("sqlite:///") :]
        if not path:
            raise ConfigError(
                f"DATABASE_URL={url!r} has no file path; use sqlite:///path/to/db.sqlite3"
            )
        if path != ":memory:" and not path.startswith("/"):
            path = str(base_dir / path)
        if path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                raise ConfigError(
                    f"DATABASE_URL={url!r}: folder {parent} does not exist; create it first"
                )
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        parts = urlsplit(url)
        if not parts.path.strip("/"):
            raise ConfigError(
                f"DATABASE_URL={url!r} names no database; use postgres://user@host:5432/name"
            )
        try:
            config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except ValueError as error:
            raise ConfigError(f"DATABASE_URL is not a valid PostgreSQL URL: {error}") from None
        return dict(config)
    raise ConfigError(
        f"DATABASE_URL scheme {scheme!r} is not supported; use sqlite:///path or postgres://..."
    )


def env_subset(name: str, default: list[str], choices: tuple[str, ...]) -> list[str]:
    """A comma list of names from `choices`, or the word `none` for an empty list. Empty or unset
    gives the default like every other setting (.env.example lists them all empty), so a copied
    example file can never switch a protection off by accident."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() == "none":
        return []
    values = [item.strip() for item in raw.split(",") if item.strip()]
    unknown = [value for value in values if value not in choices]
    if unknown:
        raise ConfigError(
            f"{name}: unknown {', '.join(unknown)}; use none or a comma list of: "
            f"{', '.join(choices)}"
        )
    return values


def map_tiles(name: str) -> tuple[str, str]:
    """A map tile URL template and the origin to allow in the content security policy, or two
    empty strings: supervision locations must not reach an outside tile server unless the
    operator chose one (their own, or a contracted one)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return "", ""
    parts = urlsplit(raw)
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise ConfigError(
            f"{name}={raw!r} must be an http(s) URL, e.g. https://tiles.example/{{z}}/{{x}}/{{y}}.png"
        )
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in raw]
    if missing:
        raise ConfigError(f"{name}={raw!r} lacks {', '.join(missing)}; Leaflet fills them per tile")
    if "{s}" in parts.netloc:
        raise ConfigError(f"{name}={raw!r}: name one host, not {{s}} subdomains (one CSP origin)")
    return raw, f"{parts.scheme}://{parts.netloc}"
