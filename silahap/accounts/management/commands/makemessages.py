"""`make messages`: Django's makemessages, also finding the texts written through
silahap.markup's translate(), blocktranslate() and count() (the rows written in one pass), which
xgettext would otherwise not know as messages and mark obsolete in the catalogue
(accounts/tests/test_catalogue.py fails when a message has no entry)."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=translate",
        "--keyword=blocktranslate",
        "--keyword=count:1,2",
    ]
