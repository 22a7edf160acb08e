"""The map page's frame, built with folium: its Map, one FeatureGroup per overlay, the layer
control and the plugins people use at workshops (full screen, measure, minimap, search by
practice or network name), with every asset folium would link from a CDN inlined from the
npm packages in maps/ instead, so the page opens with no network at all.

The data does not go through folium's GeoJson (which would write every feature out with
per-feature JavaScript): one JSON description of the layers, as ``map_html`` builds it,
is handed to ``pcnBuild`` in ``maps/pcn_map.js`` by a folium element, and it fills the
feature groups. The frame depends only on which layers exist and on the assets, so it is
rendered once (importing folium, about 0.6 s) and kept in a cache (``map_html.page_shell``);
the spec and title go into its slots.
"""
from __future__ import annotations

from typing import Any

import folium
import folium.plugins
from branca.element import Element, MacroElement
from folium.template import Template

from .map_assets import FOLIUM_ASSETS, FOLIUM_UNUSED, MapAssetsMissing, folium_asset, script_tag, style_tag
from .map_html import SPEC_SLOT, TITLE_SLOT


class PcnLayers(MacroElement):
    """Calls ``pcnBuild`` with the map, its feature groups, the layer control and the spec."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        pcnBuild({{ this._parent.get_name() }}, {
            {%- for key, group in this.groups.items() %}
            {{ key|tojson }}: {{ group.get_name() }},
            {%- endfor %}
        }, {{ this.control.get_name() }}, {{ this.slot }});
        {% endmacro %}
    """)

    def __init__(self, groups: dict[str, folium.FeatureGroup], control: folium.LayerControl) -> None:
        super().__init__()
        self._name = "PcnLayers"
        self.groups = groups
        self.control = control
        self.slot = SPEC_SLOT


class OutlineMiniMap(folium.plugins.MiniMap):
    """folium's MiniMap over the network outlines (``pcnMiniLayer``), not a tile layer: the
    page has no tiles offline."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = new L.Control.MiniMap(
                pcnMiniLayer(),
                {{ this.options|tojavascript }}
            );
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
            // folded on a small view (the app's pane), open on a big one, until the user
            // chooses: the view's size changes while the window lays itself out
            (function (m, mini) {
                function decide() {
                    if (mini._userToggledDisplay) { return; }
                    var s = m.getSize(), small = s.x < 900 || s.y < 600;
                    if (small && !mini._minimized) { mini._minimize(); mini._minimized = true; }
                    else if (!small && mini._minimized) { mini._restore(); mini._minimized = false; }
                }
                // the first decision is where it starts, not a 0.6 s shrink to watch
                var c = mini._container, was = c.style.transition;
                c.style.transition = "none";
                decide();
                void c.offsetWidth;
                c.style.transition = was;
                m.on("resize", decide);
            })({{ this._parent.get_name() }}, {{ this.get_name() }});
        {% endmacro %}
    """)


class SearchFocus(MacroElement):
    """After folium's Search finds a name, frame it as a click on it would (``pcnFocus``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.index.get_name() }}searchControl.on("search:locationfound", function (e) {
            var p = e.layer && e.layer.feature && e.layer.feature.properties;
            if (p && p.kind && p.code) { pcnFocus(p.kind, p.code); pcnSelect(p.kind, p.code); }
        });
        {% endmacro %}
    """)

    def __init__(self, index: folium.FeatureGroup) -> None:
        super().__init__()
        self._name = "SearchFocus"
        self.index = index


def _inline_assets(m: folium.Map, page_css: str, pcn_js: str) -> None:
    """Every asset any element of ``m`` would link, inlined into the head in folium's order;
    an asset not bundled stops the build (a folium upgrade must not sneak in a CDN link)."""
    js: dict[str, str] = {}
    css: dict[str, str] = {}
    elements = [m]
    while elements:
        element = elements.pop(0)
        for attr, into in (("default_js", js), ("default_css", css)):
            for name, url in getattr(element, attr, None) or []:
                if name in FOLIUM_UNUSED:
                    continue
                if name not in FOLIUM_ASSETS:
                    raise MapAssetsMissing(f"folium links {name} from {url}, which is not bundled in maps/")
                into.setdefault(name, folium_asset(name))
            if getattr(element, attr, None):
                setattr(element, attr, [])            # this instance links nothing
        elements.extend(element._children.values())
    header = m.get_root().header
    for name, text in css.items():
        header.add_child(Element(style_tag(text)), name=f"inline_{name}")
    header.add_child(Element(style_tag(page_css)), name="pcn_css")
    for name, text in js.items():
        header.add_child(Element(script_tag(text)), name=f"inline_{name}")
    header.add_child(Element(script_tag(pcn_js)), name="pcn_map")


def build_shell(layers: list[tuple[str, str]], prefer_canvas: bool, online_tiles: dict[str, Any] | None,
                page_css: str, pcn_js: str) -> str:
    """The page with ``SPEC_SLOT`` and ``TITLE_SLOT`` to fill; ``layers`` are (key, name)
    bottom to top."""
    m = folium.Map(location=[52.8, -1.6], zoom_start=6, tiles=None, zoom_snap=0.25,
                   prefer_canvas=prefer_canvas, control_scale=False)
    m.get_root().title = TITLE_SLOT
    if online_tiles:
        folium.TileLayer(online_tiles["url"], name=online_tiles["name"], attr=online_tiles["attribution"],
                         max_zoom=online_tiles["maxZoom"], overlay=False).add_to(m)
    groups: dict[str, folium.FeatureGroup] = {}
    for key, name in layers:
        groups[key] = folium.FeatureGroup(name=name, show=True).add_to(m)
    # names on the map, and what the search box looks through (no layer of its own to show)
    groups["labels"] = folium.FeatureGroup(name="Network names", show=True).add_to(m)
    groups["search"] = folium.FeatureGroup(name="Search index", control=False, show=False).add_to(m)
    control = folium.LayerControl(collapsed=True, position="topright").add_to(m)
    PcnLayers(groups, control).add_to(m)
    folium.plugins.Fullscreen(position="topleft", title="Full screen", title_cancel="Leave full screen",
                              force_separate_button=True).add_to(m)
    folium.plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                                  secondary_length_unit="miles", primary_area_unit="hectares").add_to(m)
    OutlineMiniMap(position="bottomleft", toggle_display=True,
                   width=150, height=150, zoom_level_offset=-3).add_to(m)
    folium.plugins.Search(groups["search"], search_label="name", geom_type="Point",
                          placeholder="Find a practice or network", collapsed=True,
                          position="topleft").add_to(m)
    SearchFocus(groups["search"]).add_to(m)
    _inline_assets(m, page_css, pcn_js)
    _stable_ids(m.get_root())
    return m.get_root().render()


def _stable_ids(root: Element) -> None:
    """Number every element in tree order instead of branca's random ids, so the same map
    is the same bytes (a frozen build's page can be compared with the source build's, and a
    saved map's fingerprint does not change from one run to the next)."""
    queue, seen, number = [root], set(), 0
    while queue:
        element = queue.pop(0)
        if id(element) in seen:
            continue
        seen.add(id(element))
        element._id = f"pcn{number:04d}"
        number += 1
        queue.extend(getattr(element, "_children", {}).values())
