"""`pcn-desktop map`: writes the standalone HTML; refuses an unknown network by name."""
from __future__ import annotations

import re

from map_project import make_project
from pcn_desktop.cli import main
from pcn_desktop.store import save_project


def _saved(tmp_path):
    path = tmp_path / "test.pcnproj"
    save_project(make_project(), path)
    return path


def test_map_writes_an_offline_html(tmp_path, capsys):
    project = _saved(tmp_path)
    out = tmp_path / "out" / "map.html"
    assert main(["map", str(project), str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert re.search(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=", page) is None
    assert "tile.openstreetmap.org" not in page
    said = capsys.readouterr().out
    assert said.startswith(f"{out}: 2 networks, 6 practices, 12 areas;") and "works offline" in said


def test_map_zooms_to_a_network_and_adds_tiles_when_asked(tmp_path, capsys):
    project = _saved(tmp_path)
    out = tmp_path / "beta.html"
    assert main(["map", str(project), str(out), "--network", "U00002", "--online-tiles"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in page
    assert '"bounds": [[53.72, -2.45], [53.795, -2.4]]' in page
    assert "online tiles on" in capsys.readouterr().out


def test_map_refuses_an_unknown_network(tmp_path, capsys):
    project = _saved(tmp_path)
    assert main(["map", str(project), str(tmp_path / "x.html"), "--network", "U99999"]) == 2
    err = capsys.readouterr().err
    assert "no network 'U99999'" in err and "U00001, U00002" in err
    assert not (tmp_path / "x.html").exists()
