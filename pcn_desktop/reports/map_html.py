"""The project map as one standalone HTML file: Leaflet and every asset inlined, no tiles.

The basemap is drawn from the project's own layers (small areas, local-authority outlines,
network boundaries), so the file opens in any browser with no network at all; an online
tile layer is added only when asked for. Inside the app a QWebEngineView loads the same
file; ``maps/pcn_map.js`` connects clicks to Python through a QWebChannel object named
``pcnBridge`` (slot ``select(kind, code)``) and does nothing extra in a plain browser.
"""
from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from ..domain.findings import Finding
from ..domain.model import Network, Project
from .map_assets import map_assets, script_tag, style_tag
from .map_layers import AREA_STYLE, FINDING_RED, PALETTE, UNASSIGNED, MapData, build_map_data

CANVAS_ABOVE = 5000           # features; below it SVG, which a screenshot test can also read

_PAGE_CSS = """
.folium-map { background: #f3f1ea; }
.leaflet-tooltip table td { padding: 0 4px; }
.leaflet-tooltip table td:first-child { color: #555; }
.pcn-legend { background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  font: 12px/1.35 sans-serif; color: #222; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
  max-height: 45vh; overflow-y: auto; }
.pcn-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 5px;
  vertical-align: -2px; border-radius: 2px; }
.pcn-legend i.ring { border: 3px solid %(red)s; border-radius: 50%%; width: 8px; height: 8px; }
.pcn-legend i.dash { border-top: 3px dashed %(red)s; height: 0; border-radius: 0; vertical-align: 3px; }
.pcn-legend i.place { border-top: 2px dashed #4d4d4d; height: 0; border-radius: 0; vertical-align: 3px; }
""" % {"red": FINDING_RED}


class _Install(MacroElement):
    """Calls pcnInstall once every layer exists (it is added to the map last)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        pcnInstall({{ this._parent.get_name() }}, {
            {%- for key, layer in this.layers.items() %}
            {{ key|tojson }}: {{ layer.get_name() }},
            {%- endfor %}
        }, {{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(self, layers: dict[str, folium.GeoJson], options: dict) -> None:
        super().__init__()
        self._name = "PcnInstall"
        self.layers = layers
        self.options = options


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
    page = map_html(project, data, online_tiles)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _resolve(project: Project, highlight: str | Network | None) -> Network | None:
    if highlight is None or isinstance(highlight, Network):
        return highlight
    net = project.find_network(highlight)
    if net is None:
        raise KeyError(f"no network {highlight!r} in project {project.name!r}")
    return net


def map_html(project: Project, data: MapData, online_tiles: bool = False) -> str:
    """The page for already-built ``data`` (see ``map_layers.build_map_data``)."""
    assets = map_assets()
    centre = _centre(data)
    # Tens of thousands of SVG paths make panning crawl; a canvas draws them all at once.
    many = len(data.areas["features"]) + len(data.practices["features"]) > CANVAS_ABOVE
    m = folium.Map(location=centre, zoom_start=11 if data.bounds else 6, tiles=None,
                   zoom_snap=0.25, prefer_canvas=many)
    # folium would link Leaflet, jQuery, Bootstrap and Font Awesome from CDNs: none of
    # that may leave the machine, and only Leaflet (and jQuery for popups) is used.
    m.default_js = []
    m.default_css = []
    header = m.get_root().header
    header.add_child(Element(style_tag(assets.leaflet_css)), name="leaflet_css")
    header.add_child(Element(style_tag(_PAGE_CSS)), name="pcn_css")
    header.add_child(Element(script_tag(assets.leaflet_js)), name="leaflet")
    header.add_child(Element(script_tag(assets.jquery_js)), name="jquery")
    header.add_child(Element(script_tag(assets.pcn_js)), name="pcn_map")
    m.get_root().title = f"{project.name} - PCN map"

    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="Street map (online)", overlay=False).add_to(m)
    layers: dict[str, folium.GeoJson] = {}
    if data.areas["features"]:
        layers["areas"] = _layer(data.areas, "Small areas", ["area", "name", "place", "network"],
                                 ["Area", "Name", "Place", "Network"], sticky=True, style=AREA_STYLE)
    if data.places["features"]:
        layers["places"] = _layer(data.places, "Places (local authorities)", None, None,
                                  interactive=False)
    if data.networks["features"]:
        layers["networks"] = _layer(data.networks, "Network boundaries",
                                    ["name", "ods", "list_size", "members", "findings"],
                                    ["Network", "ODS code", "List size", "Practices", "Findings"],
                                    sticky=True)
    if data.findings["features"]:
        layers["findings"] = _layer(data.findings, "Error findings", ["name", "findings"],
                                    ["", "Findings"], marker=True)
    if data.practices["features"]:
        layers["practices"] = _layer(data.practices, "Practices",
                                     ["name", "code", "list_size", "network", "findings"],
                                     ["Practice", "ODS code", "List size", "Network", "Error findings"],
                                     marker=True)
    for layer in layers.values():
        layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    _Install(layers, {"bounds": data.bounds, "legendHtml": legend_html(data)}).add_to(m)
    return m.get_root().render()


def _layer(fc: dict, name: str, fields: list[str] | None, aliases: list[str] | None,
           sticky: bool = False, marker: bool = False, interactive: bool = True,
           style: dict | None = None) -> folium.GeoJson:
    # Styles travel in each feature's properties (folium applies properties.style when no
    # style_function is given), which keeps the page small and the build fast; ``style``
    # is the layer's shared part, which Leaflet applies first.
    tooltip = folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=sticky) if fields else None
    kwargs: dict = {} if interactive else {"interactive": False}
    if style:
        kwargs["style"] = style
    return folium.GeoJson(fc, name=name, tooltip=tooltip, smooth_factor=0.5,
                          marker=folium.CircleMarker() if marker else None, **kwargs)


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
    rows.append('<i class="dash"></i>Network with an error finding')
    if data.places["features"]:
        rows.append('<i class="place"></i>Local authority')
    rows.append("Circle area is proportional to list size")
    return "<br>".join(rows)


def _centre(data: MapData) -> list[float]:
    if not data.bounds:
        return [52.8, -1.6]       # the middle of England, for an empty project
    (s, w), (n, e) = data.bounds
    return [(s + n) / 2, (w + e) / 2]
