#!/usr/bin/env python
"""SiLAHAP's command line: Django's manage.py, with configuration errors shown as one line."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silahap.settings")
    from silahap.config import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ConfigError as error:
        sys.exit(f"silahap: configuration error: {error}")
    except Exception as error:
        from django.db.utils import OperationalError

        if isinstance(error, OperationalError):
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            sys.exit(f"silahap: cannot use the database ({first_line}); check DATABASE_URL")
        raise


if __name__ == "__main__":
    main()
