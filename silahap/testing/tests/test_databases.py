"""The test databases' template is rebuilt exactly when what decides its contents changes."""

from pathlib import Path

from silahap.testing.databases import template_key


def _project(root: Path, migration: str, lock: str) -> Path:
    (root / "silahap/reports/migrations").mkdir(parents=True)
    (root / "silahap/reports/migrations/0001_initial.py").write_text(migration)
    (root / "requirements-dev.lock").write_text(lock)
    (root / "silahap/reports/views.py").write_text("# not a migration")
    return root


def test_the_key_follows_migrations_and_locks_and_nothing_else(tmp_path):
    first = template_key(_project(tmp_path / "a", "ops = []", "django==5.2.19"))
    assert template_key(_project(tmp_path / "b", "ops = []", "django==5.2.19")) == first
    assert template_key(_project(tmp_path / "c", "ops = [1]", "django==5.2.19")) != first
    assert template_key(_project(tmp_path / "d", "ops = []", "django==5.2.20")) != first
    (tmp_path / "a/silahap/reports/views.py").write_text("# changed, not a migration")
    assert template_key(tmp_path / "a") == first
    (tmp_path / "a/silahap/reports/migrations/0002_more.py").write_text("ops = []")
    assert template_key(tmp_path / "a") != first


def test_the_key_follows_the_areas_the_template_is_filled_with(tmp_path):
    root = _project(tmp_path / "a", "ops = []", "django==5.2.19")
    (root / "silahap/areas/data/idn").mkdir(parents=True)
    (root / "silahap/areas/data/idn/villages.csv").write_text("code,district_code,name\n")
    first = template_key(root)
    (root / "silahap/areas/data/idn/villages.csv").write_text("code,district_code,name\n1,1,A\n")
    assert template_key(root) != first


def test_the_key_follows_the_trigger_modules_the_migrations_run(tmp_path):
    root = _project(tmp_path / "a", "ops = []", "django==5.2.19")
    for name in ("sqlite_words.py", "warning_triggers.py", "name_triggers.py"):
        (root / "silahap/registry").mkdir(parents=True, exist_ok=True)
        (root / "silahap/registry" / name).write_text("SQL = 'CREATE TRIGGER a'")
        first = template_key(root)
        (root / "silahap/registry" / name).write_text("SQL = 'CREATE TRIGGER b'")
        assert template_key(root) != first, name
