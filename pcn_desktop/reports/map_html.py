"""The project map as one standalone HTML file: Leaflet and every asset inlined, no tiles.

The basemap is drawn from the project's own layers (small areas, local-authority outlines,
network boundaries), so the file opens in any browser with no network at all; an online
tile layer is added only when asked for. Inside the app a QWebEngineView loads the same
file; ``maps/pcn_map.js`` connects clicks to Python through a QWebChannel object named
``pcnBridge`` (slot ``select(kind, code)``) and does nothing extra in a plain browser.

The page is folium's (``map_folium``: its Map, feature groups, layer control and plugins)
and the data one JSON description of the layers, which ``pcnBuild`` in ``maps/pcn_map.js``
turns into Leaflet layers, tooltips, network names and the search index. folium's frame
depends only on which layers there are and on the assets, so it is rendered once and kept
(``page_shell``): importing folium (and pandas under it, about 0.6 s) stays off the path
from starting the app to a drawn map whenever the frame is already cached.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import util
from pathlib import Path
from typing import Any

from ..domain.findings import Finding
from ..domain.model import Network, Project
from ..paths import maps_dir
from . import map_frames
from .map_assets import FOLIUM_ASSETS, folium_asset, map_assets
from ..textfiles import replace_atomically
from .map_layers import AREA_STYLE, FINDING_RED, PALETTE, UNASSIGNED, MapData, build_map_data

CANVAS_ABOVE = 5000           # features; below it SVG, which a screenshot test can also read
BACKGROUND = "#f3f1ea"        # the map's paper, where no layer is drawn

SPEC_SLOT = "/*__PCN_SPEC__*/null"      # where map_folium's frame takes the spec and title
TITLE_SLOT = "__PCN_TITLE__"
SHELL_VERSION = 8             # bump when map_folium's frame changes shape
_PAGE_CSS = """
html, body { width: 100%%; height: 100%%; margin: 0; padding: 0; }
.folium-map { background: %(paper)s; }
.leaflet-container { font-size: 1rem; }
.pcn-tooltip table { margin: auto; }
.pcn-tooltip tr { text-align: left; }
.pcn-tooltip th { padding: 2px; padding-right: 8px; }
.leaflet-tooltip table td { padding: 0 4px; }
.leaflet-tooltip table td:first-child { color: #555; }
.pcn-legend { background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  font: 12px/1.35 sans-serif; color: #222; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
  max-height: 45vh; overflow-y: auto; }
.pcn-legend-title { display: block; border: 0; background: none; padding: 0 0 3px 0; cursor: pointer;
  font: bold 12px sans-serif; color: #222; }
.pcn-legend-title::after { content: " \\25BE"; }
.pcn-legend.folded .pcn-legend-title { padding: 0; }
.pcn-legend.folded .pcn-legend-title::after { content: " \\25B8"; }
.pcn-legend.folded .pcn-legend-body { display: none; }
.pcn-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 5px;
  vertical-align: -2px; border-radius: 2px; }
.pcn-legend i.ring { border: 3px solid %(red)s; border-radius: 50%%; width: 8px; height: 8px; }
.pcn-legend i.dash { border-top: 3px dashed %(red)s; height: 0; border-radius: 0; vertical-align: 3px; }
.pcn-legend i.badge { background: %(red)s; border-radius: 6px; width: 16px; height: 10px; }
.pcn-label { background: none; border: 0; }
.pcn-label-box { position: absolute; transform: translate(-50%%, -50%%); white-space: nowrap;
  text-align: center; font: 11px/1.2 sans-serif; color: #1a1a1a; pointer-events: none;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
.pcn-label-box b { font-size: 12px; }
.pcn-badge { display: inline-block; margin-left: 4px; padding: 0 4px; border-radius: 6px;
  background: %(red)s; color: #fff; font-size: 10px; text-shadow: none; }
.pcn-legend i.place { border-top: 2px dashed #4d4d4d; height: 0; border-radius: 0; vertical-align: 3px; }
""" % {"red": FINDING_RED, "paper": BACKGROUND}


def render_map(project: Project, out_path: Path | str, findings: list[Finding] | None = None,
               online_tiles: bool = False, highlight: str | Network | None = None) -> Path:
    """Write the map to ``out_path`` (atomically) and return its path.

    ``findings`` default to a fresh evaluation of the project's rules. ``highlight`` is a
    network (or its id, code or name) to zoom to and outline more heavily.
    """
    out = Path(out_path)
    if findings is None:
        from ..domain.rules import evaluate
        from ..settings import rule_settings_for
        findings = evaluate(project, rule_settings_for(project))
    net = _resolve(project, highlight)
    data = build_map_data(project, findings, net)
    replace_atomically(out, map_html(project, data, online_tiles), shared=True)
    return out


def _resolve(project: Project, highlight: str | Network | None) -> Network | None:
    if highlight is None or isinstance(highlight, Network):
        return highlight
    net = project.find_network(highlight)
    if net is None:
        raise KeyError(f"no network {highlight!r} in project {project.name!r}")
    return net


ONLINE_TILES = {"name": "Street map (online)", "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
                               "contributors", "maxZoom": 19}

@dataclass(frozen=True)
class MapPage:
    """A written page and its parts: the frame it fills (``frame_key``), the spec and title
    that fill it (what a warm frame's ``pcnStart`` takes, see ``map_frames``)."""
    html: str
    frame_key: str
    spec_json: str
    title: str


def map_html(project: Project, data: MapData, online_tiles: bool = False) -> str:
    """The page for already-built ``data`` (see ``map_layers.build_map_data``)."""
    return map_page(project, data, online_tiles).html


def map_page(project: Project, data: MapData, online_tiles: bool = False) -> MapPage:
    assets = map_assets()
    # Tens of thousands of SVG paths make panning crawl; a canvas draws them all at once.
    many = len(data.areas["features"]) + len(data.practices["features"]) > CANVAS_ABOVE
    spec = {
        "view": {"center": _centre(data), "zoom": 11 if data.bounds else 6, "zoomSnap": 0.25,
                 "preferCanvas": many},
        "tiles": ONLINE_TILES if online_tiles else None,
        "layers": _layers(data),
        "install": {"bounds": data.bounds, "legendHtml": legend_html(data)},
        "labels": data.labels,          # the page places them by badge, then by list size
    }
    layers = [(layer["key"], layer["name"]) for layer in spec["layers"]]
    key = frame_key(layers, many, spec["tiles"], assets.pcn_js)
    shell = page_shell(layers, many, spec["tiles"], assets.pcn_js, key)
    title = f"{project.name} - PCN map"
    spec_json = _script_json(spec)
    return MapPage(shell.replace(TITLE_SLOT, html.escape(title), 1)
                        .replace(SPEC_SLOT, SPEC_START + spec_json + SPEC_END, 1),
                   key, spec_json, title)


WARM_START = "window.pcnStart = function (spec) {"
_SCRIPT_OPEN = re.compile(r"<script[^>]*>")


def warm_frame(shell: str) -> str:
    """The frame with its map made only when ``pcnStart(spec)`` is called: the script that
    makes the map and its controls becomes that function's body, with the spec its argument.
    Everything above it (Leaflet, the plugins, the app's own script) runs on loading."""
    at = shell.index(SPEC_SLOT)
    opening = None
    for opening in _SCRIPT_OPEN.finditer(shell, 0, at):
        pass
    if opening is None:
        raise ValueError("the map frame has no script around its spec")
    start = opening.end()
    end = shell.index("</script>", at)
    body = shell[start:at] + "spec" + shell[at + len(SPEC_SLOT):end]
    return (shell[:start].replace(TITLE_SLOT, "PCN map", 1) + WARM_START + body + "\n};"
            + shell[end:])


def keep_warm_frame(page: MapPage) -> None:
    """Make ``page``'s frame the one the window's next start loads (see ``map_frames``)."""
    current = map_frames.warm_frame()
    if current is not None and current[0] == page.frame_key:
        return
    path = _shell_dir() / f"{page.frame_key}.html"
    try:
        shell = path.read_text(encoding="utf-8")
    except OSError:
        return                     # a read-only config folder kept no frame to warm
    map_frames.keep_warm(page.frame_key, warm_frame(shell))


SPEC_START, SPEC_END = "/*pcn-spec*/", "/*pcn-spec-end*/"


def page_spec(page: str) -> dict[str, Any]:
    """The spec a written page hands to pcnBuild (for tests and tools)."""
    start = page.index(SPEC_START) + len(SPEC_START)
    return json.loads(page[start:page.index(SPEC_END, start)])


def _shell_dir() -> Path:
    return map_frames.frames_dir()


@lru_cache(maxsize=16)
def _shell_key(shape: str, pcn_js: str) -> str:
    """What the frame depends on: its shape, folium's own version and every asset's text."""
    return hashlib.sha256(json.dumps(
        [SHELL_VERSION, _folium_version(), shape, _PAGE_CSS, hashlib.sha256(pcn_js.encode()).hexdigest(),
         _asset_stamps()],
        sort_keys=True).encode()).hexdigest()[:24]


def frame_key(layers: list[tuple[str, str]], prefer_canvas: bool, tiles: dict[str, Any] | None,
              pcn_js: str) -> str:
    """The name of folium's frame for these layers (see ``page_shell``)."""
    return _shell_key(json.dumps([layers, prefer_canvas, tiles], sort_keys=True), pcn_js)


def _asset_stamps() -> list[list[Any]]:
    """Each bundled asset's size and modification time: a changed file makes a new frame,
    without reading and hashing ~600 KB on every start."""
    base = maps_dir()
    out: list[list[Any]] = []
    for name in sorted(FOLIUM_ASSETS):
        path = base.joinpath(*FOLIUM_ASSETS[name])
        try:
            st = path.stat()
        except OSError:
            folium_asset(name)          # raises MapAssetsMissing, naming the fetch script
            raise
        out.append([name, st.st_size, st.st_mtime_ns])
    return out


def _folium_version() -> str:
    """folium's version file as installed, read without importing folium (or asking the
    package metadata, which scans every installed distribution: ~25 ms of a start)."""
    spec = util.find_spec("folium")
    version_file = Path(spec.origin).with_name("_version.py") if spec and spec.origin else None
    if version_file is not None and version_file.is_file():
        return version_file.read_text(encoding="utf-8")
    from importlib import metadata   # noqa: PLC0415 — a frozen build's fallback (email, zipfile...)
    try:
        return metadata.version("folium")
    except metadata.PackageNotFoundError:      # a build without folium's metadata
        import folium                           # noqa: PLC0415
        return str(folium.__version__)


def page_shell(layers: list[tuple[str, str]], prefer_canvas: bool, tiles: dict[str, Any] | None,
               pcn_js: str, key: str | None = None) -> str:
    """folium's page for these layers, from the cache when the same folium, assets and
    layers made it before, else rendered (importing folium) and cached. ``key``: the
    frame's name when the caller has worked it out already."""
    key = key or frame_key(layers, prefer_canvas, tiles, pcn_js)
    path = _shell_dir() / f"{key}.html"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    from .map_folium import build_shell   # noqa: PLC0415 — folium only when the frame is new
    shell = build_shell(layers, prefer_canvas, tiles, _PAGE_CSS, pcn_js)
    try:
        replace_atomically(path, shell)
    except OSError:
        pass                      # a read-only config folder: render again next time
    return shell


def _layers(data: MapData) -> list[dict[str, Any]]:
    """The overlays, bottom to top, each with the tooltip's fields and their labels. Styles
    travel in each feature's properties (``properties.style``), which keeps the page small;
    a layer's ``style`` is its shared part, which Leaflet applies first."""
    layers = []

    def add(key: str, fc: dict, name: str, fields: list[str] | None = None, aliases: list[str] | None = None,
            sticky: bool = False, marker: bool = False, interactive: bool = True,
            style: dict | None = None) -> None:
        if fc["features"]:
            layers.append({"key": key, "name": name, "data": fc, "fields": fields, "aliases": aliases,
                           "sticky": sticky, "marker": marker, "interactive": interactive, "style": style})

    add("areas", data.areas, "Small areas", ["area", "name", "place", "network"],
        ["Area", "Name", "Place", "Network"], sticky=True, style=AREA_STYLE)
    add("places", data.places, "Places (local authorities)", interactive=False)
    add("networks", data.networks, "Network boundaries", ["name", "ods", "list_size", "members", "findings"],
        ["Network", "ODS code", "List size", "Practices", "Findings"], sticky=True)
    add("findings", data.findings, "Error findings", ["name", "findings"], ["", "Findings"], marker=True)
    add("practices", data.practices, "Practices", ["name", "code", "list_size", "network", "findings"],
        ["Practice", "ODS code", "List size", "Network", "Error findings"], marker=True)
    return layers


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no "</script" or "<!--" can appear in it, since
    "<" only ever occurs inside JSON strings, where its escape means the same."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def legend_html(data: MapData) -> str:
    rows = ["<b>Networks</b>"]
    if len(data.legend) <= len(PALETTE):
        rows += [f'<i style="background:{colour}"></i>{html.escape(label)}' for label, colour in data.legend]
    else:
        # Colours repeat beyond the palette, so a list would mislead: say how they are chosen.
        swatches = "".join(f'<i style="background:{c}"></i>' for c in PALETTE[:6])
        rows.append(f"{swatches}{len(data.legend):,} networks, coloured so that neighbours differ")
    rows.append(f'<i style="background:{UNASSIGNED}"></i>Not in a network')
    rows.append('<i class="ring"></i>Practice with an error finding')
    rows.append('<i class="dash"></i>Network with a size or boundary error')
    rows.append('<i class="badge"></i>Missing director or payee (on the name)')
    if data.places["features"]:
        rows.append('<i class="place"></i>Local authority')
    rows.append("Circle area is proportional to list size")
    return "<br>".join(rows)


def _centre(data: MapData) -> list[float]:
    if not data.bounds:
        return [52.8, -1.6]       # the middle of England, for an empty project
    (s, w), (n, e) = data.bounds
    return [(s + n) / 2, (w + e) / 2]
