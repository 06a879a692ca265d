"""Map tiles come only from the operator's server, named in the environment; none by default, so
supervision locations never reach an outside tile service (issue "Field reporting III", item 7)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from silahap.config import ConfigError, map_tiles

ROOT = Path(__file__).resolve().parents[3]
TILES = "https://peta.imigrasi.example/tiles/{z}/{x}/{y}.png"


def test_no_tiles_unless_the_operator_names_a_server(monkeypatch):
    monkeypatch.delenv("SILAHAP_MAP_TILE_URL", raising=False)
    assert map_tiles("SILAHAP_MAP_TILE_URL") == ("", "")


def test_a_tile_server_gives_its_template_and_origin(monkeypatch):
    monkeypatch.setenv("SILAHAP_MAP_TILE_URL", TILES)
    assert map_tiles("SILAHAP_MAP_TILE_URL") == (TILES, "https://peta.imigrasi.example")


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("peta.example/{z}/{x}/{y}.png", "must be an http(s) URL"),
        ("https://peta.example/tiles.png", "lacks {z}, {x}, {y}"),
        ("https://{s}.peta.example/{z}/{x}/{y}.png", "name one host"),
    ],
)
def test_a_malformed_tile_url_stops_with_one_line(monkeypatch, raw, says):
    monkeypatch.setenv("SILAHAP_MAP_TILE_URL", raw)
    with pytest.raises(ConfigError, match="SILAHAP_MAP_TILE_URL") as error:
        map_tiles("SILAHAP_MAP_TILE_URL")
    assert says in str(error.value)


def test_the_tile_server_and_only_it_joins_the_image_sources():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SILAHAP_MAP")}
    env.update({"SILAHAP_ENV": "test", "SILAHAP_MAP_TILE_URL": TILES})
    code = (
        "from django.conf import settings as s;"
        " print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        shown.stdout.strip().splitlines()[-1]
        == "[\"'self'\", 'data:', 'https://peta.imigrasi.example']"
    )


def test_pages_carry_the_tile_template_only_when_set(client, people):
    client.force_login(people.officer_a)
    assert b"data-map-tiles" not in client.get("/").content
    with override_settings(SILAHAP_MAP_TILE_URL=TILES, SILAHAP_MAP_TILE_ATTRIBUTION="© Peta <b>"):
        page = client.get("/").content.decode()
    assert f'data-map-tiles="{TILES}"' in page
    assert 'data-map-credit="© Peta &lt;b&gt;"' in page
