"""Logging filters that keep personal data out of the logs (UU 27/2022, issue "Security").

Access logs keep the path and drop the query string: a lookup's query is often a passport number.
"""

from __future__ import annotations

import logging
import re

QUERY_STRING = re.compile(r"\?[^\s\"']*")


def without_query(text: str) -> str:
    return QUERY_STRING.sub("?…", text)


class DropQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                without_query(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
