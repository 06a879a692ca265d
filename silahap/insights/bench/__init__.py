"""`manage.py bench`: the registry's search measured on the configured database (make bench)."""
