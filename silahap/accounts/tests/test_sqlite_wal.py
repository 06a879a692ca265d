import sqlite3
import threading

import django.db.backends.sqlite3.base as sqlite_base
import pytest
from django.conf import settings
from django.db import connection

from silahap.config import database_from_url


@pytest.mark.django_db
def test_configured_database_is_usable():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_sqlite_file_database_uses_wal_and_waits_for_writers(tmp_path, django_db_blocker):
    """Two writers at once: the second waits for the first instead of failing."""

    config = database_from_url(f"sqlite:///{tmp_path}/wal.sqlite3", settings.BASE_DIR)
    settings_dict = {
        **config,
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
    }

    def open_connection():
        wrapper = sqlite_base.DatabaseWrapper(
            dict(settings_dict), alias=f"wal-{threading.get_ident()}"
        )
        wrapper.ensure_connection()
        return wrapper

    django_db_blocker.unblock()
    first = open_connection()
    with first.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("CREATE TABLE counter (n INTEGER)")
    errors: list[Exception] = []

    def write(times: int) -> None:
        wrapper = open_connection()
        try:
            wrapper.set_autocommit(False)  # the sqlite3 module now opens BEGIN IMMEDIATE
            for _ in range(times):
                with wrapper.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM counter")
                    cursor.execute("INSERT INTO counter VALUES (1)")
                wrapper.commit()
        except sqlite3.OperationalError as error:
            errors.append(error)
        finally:
            wrapper.close()

    threads = [threading.Thread(target=write, args=(50,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with first.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM counter")
        assert cursor.fetchone()[0] == 200
    assert errors == []
    first.close()
    django_db_blocker.restore()
