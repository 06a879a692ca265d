"""Bad configuration stops with one line saying what to fix, never a traceback."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from silahap.config import ConfigError, database_from_url
from silahap.testing.servers import run_manage

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "scheme 'mysql' is not supported"),
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432"}, "names no database"),
        (
            {"DATABASE_URL": "sqlite:////no/such/folder/db.sqlite3"},
            "folder /no/such/folder does not exist",
        ),
        (
            {"SILAHAP_ENV": "production", "SILAHAP_ALLOWED_HOSTS": "x.example"},
            "SILAHAP_SECRET_KEY must be set",
        ),
        (
            {"SILAHAP_ENV": "production", "SILAHAP_SECRET_KEY": "k" * 60},
            "SILAHAP_ALLOWED_HOSTS must be set",
        ),
        ({"SILAHAP_ENV": "staging"}, "SILAHAP_ENV='staging' must be one of"),
        ({"SILAHAP_DEBUG": "maybe"}, "SILAHAP_DEBUG='maybe' is not a yes/no value"),
        (
            {"SILAHAP_SESSION_MAX_AGE": "soon"},
            "SILAHAP_SESSION_MAX_AGE='soon' is not a whole number",
        ),
    ],
)
def test_bad_settings_stop_with_one_line(overrides, expected):
    result = run_manage(overrides)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]


def test_unreachable_database_stops_with_one_line():
    result = run_manage(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/silahap"}, "migrate", "--check"
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("silahap: cannot use the database")
    assert "check DATABASE_URL" in result.stderr


def test_production_needs_only_secret_hosts_and_database(tmp_path):
    result = run_manage(
        {
            "SILAHAP_ENV": "production",
            "SILAHAP_SECRET_KEY": "s" * 60,
            "SILAHAP_ALLOWED_HOSTS": "silahap.example.go.id",
            "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        }
    )
    assert result.returncode == 0, result.stderr


def test_sqlite_urls_follow_the_dj_database_url_convention(tmp_path):
    absolute = database_from_url(f"sqlite:///{tmp_path}/a.sqlite3", Path("/base"))
    assert absolute["NAME"] == f"{tmp_path}/a.sqlite3"
    relative = database_from_url("sqlite:///a.sqlite3", tmp_path)
    assert relative["NAME"] == str(tmp_path / "a.sqlite3")
    assert relative["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in relative["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed():
    config = database_from_url("postgres://u:p@db.example:6543/silahap", Path("/"))
    assert (config["NAME"], config["HOST"], config["PORT"], config["USER"]) == (
        "silahap",
        "db.example",
        6543,
        "u",
    )


def test_sqlite_url_without_path_is_refused():
    with pytest.raises(ConfigError, match="has no file path"):
        database_from_url("sqlite:///", Path("/"))


def test_env_example_lists_every_variable_the_settings_read():

    read = set(
        re.findall(
            r'env_\w+\(\s*"((?:SILAHAP|DATABASE)_\w+)"',
            Path(settings.BASE_DIR, "silahap/settings.py").read_text(),
        )
    )
    listed = set(
        re.findall(
            r"^((?:SILAHAP|DATABASE)_\w+)=",
            Path(settings.BASE_DIR, ".env.example").read_text(),
            re.M,
        )
    )
    assert read
    assert read - listed == set()
