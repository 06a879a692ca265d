import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    help = "Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."

    def handle(self, *args, **options):
        config = settings.DATABASES["default"]
        if config["ENGINE"] != "django.db.backends.postgresql":
            self.stdout.write(f"database: SQLite at {config['NAME']}")
            return
        name = config["NAME"]
        params = {
            "dbname": "postgres",
            "user": config.get("USER") or None,
            "password": config.get("PASSWORD") or None,
            "host": config.get("HOST") or None,
            "port": config.get("PORT") or None,
        }
        try:
            with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(f"database: created PostgreSQL database {name}")
                else:
                    self.stdout.write(f"database: PostgreSQL database {name} exists")
        except psycopg.OperationalError as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise CommandError(f"cannot reach PostgreSQL ({first}); check DATABASE_URL") from None
