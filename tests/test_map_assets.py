"""scripts/fetch_map_assets.py, offline parts: the lock matches package.json, intact files
need no download (no npm at all), a tampered file is caught."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MAPS = REPO / "maps"


def _fetcher():
    spec = importlib.util.spec_from_file_location("fetch_map_assets", REPO / "scripts" / "fetch_map_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lock_pins_what_package_json_asks_for():
    lock = _fetcher().load_lock(MAPS)
    assert {n: e["version"] for n, e in lock.items()} == {
        "leaflet": "1.9.4", "leaflet.fullscreen": "3.0.0", "leaflet-measure": "2.1.7",
        "leaflet-minimap": "3.6.1", "leaflet-search": "2.9.7"}
    assert lock["leaflet"]["integrity"].startswith("sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8")
    targets = {t for e in lock.values() for t, _ in e["files"].values()}
    assert {"leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/images/layers.png"} <= targets


@pytest.fixture
def maps_copy(tmp_path):
    if not (MAPS / "vendor" / "leaflet" / "leaflet.js").is_file():
        pytest.skip("maps/vendor not fetched (run scripts/fetch_map_assets.py)")
    copy = tmp_path / "maps"
    copy.mkdir()
    for name in ("package.json", "assets.lock.json"):
        shutil.copy(MAPS / name, copy / name)
    shutil.copytree(MAPS / "vendor", copy / "vendor")
    return copy


def test_intact_assets_are_left_alone_without_npm(maps_copy, monkeypatch):
    fetcher = _fetcher()
    monkeypatch.setattr(fetcher.shutil, "which", lambda name: None)     # no npm on this machine
    said: list[str] = []
    assert fetcher.fetch(maps_copy, log=said.append) == []
    assert said[0] == "leaflet@1.9.4: present and verified" and len(said) == 5
    assert all(line.endswith(": present and verified") for line in said)


def test_a_tampered_file_is_fetched_again(maps_copy, monkeypatch):
    fetcher = _fetcher()
    (maps_copy / "vendor" / "leaflet" / "leaflet.js").write_text("alert('not leaflet')")
    monkeypatch.setattr(fetcher.shutil, "which", lambda name: None)
    with pytest.raises(fetcher.FetchError, match="npm is not on PATH"):
        fetcher.fetch(maps_copy, log=lambda _: None)


def test_a_lock_behind_package_json_is_refused(maps_copy):
    fetcher = _fetcher()
    pkg = json.loads((maps_copy / "package.json").read_text())
    pkg["dependencies"]["leaflet"] = "2.0.0"
    (maps_copy / "package.json").write_text(json.dumps(pkg))
    with pytest.raises(fetcher.FetchError, match=r"leaflet@2.0.0 is in package.json but the lock has 1.9.4"):
        fetcher.load_lock(maps_copy)
