"""Static files in production: WhiteNoise's compressed, hashed copies, without rewriting source
map references. Vendored libraries (Leaflet, its marker clusters) end with a sourceMappingURL
whose .map file is not shipped, and Django's manifest storage refuses a reference it cannot
find, which stopped `collectstatic` (and so every node's start)."""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for extension, rules in patterns:
        rules = tuple(rule for rule in rules if "sourceMappingURL" not in str(rule))
        if rules:
            kept.append((extension, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(ManifestStaticFilesStorage.patterns)
