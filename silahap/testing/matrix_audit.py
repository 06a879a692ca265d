"""Role × URL rows for the audit pages; merged into url_matrix.MATRIX."""

from __future__ import annotations

from silahap.testing.url_matrix import Row, everyone, signed_in  # noqa: F401

ROWS: dict[str, Row] = {}
