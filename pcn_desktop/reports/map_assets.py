"""The map's JavaScript and CSS, read from maps/vendor (fetched by scripts/fetch_map_assets.py)
and maps/pcn_map.js (ours), for inlining so a saved map needs no network and no side folder."""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import maps_dir

LEAFLET_JS = ("vendor", "leaflet", "leaflet.js")
LEAFLET_CSS = ("vendor", "leaflet", "leaflet.css")
PCN_MAP_JS = ("pcn_map.js",)

# folium's assets by the names its elements give them, each served from the npm package
# maps/package.json pins (the same versions folium links from CDNs).
FOLIUM_ASSETS: dict[str, tuple[str, ...]] = {
    "leaflet": LEAFLET_JS,
    "leaflet_css": LEAFLET_CSS,
    "Control.Fullscreen.js": ("vendor", "leaflet.fullscreen", "Control.FullScreen.js"),
    "Control.FullScreen.css": ("vendor", "leaflet.fullscreen", "Control.FullScreen.css"),
    "leaflet_measure_js": ("vendor", "leaflet-measure", "dist", "leaflet-measure.min.js"),
    "leaflet_measure_css": ("vendor", "leaflet-measure", "dist", "leaflet-measure.css"),
    "Control_MiniMap_js": ("vendor", "leaflet-minimap", "dist", "Control.MiniMap.min.js"),
    "Control_MiniMap_css": ("vendor", "leaflet-minimap", "dist", "Control.MiniMap.min.css"),
    "Leaflet.Search.js": ("vendor", "leaflet-search", "dist", "leaflet-search.min.js"),
    "Leaflet.Search.css": ("vendor", "leaflet-search", "dist", "leaflet-search.min.css"),
}
# What folium's Map links by default for markers and popups this map never makes (jQuery,
# Bootstrap, Font Awesome, awesome-markers): left out of the page rather than fetched.
FOLIUM_UNUSED = frozenset({"jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
                           "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"})
_MIME = {"png": "image/png", "svg": "image/svg+xml", "gif": "image/gif"}

FETCH_HINT = "run `python scripts/fetch_map_assets.py` (it fetches Leaflet with npm)"


class MapAssetsMissing(FileNotFoundError):
    pass


@dataclass(frozen=True)
class MapAssets:
    leaflet_js: str
    leaflet_css: str        # with its images inlined as data: URLs
    pcn_js: str


def _read(folder: Path, parts: tuple[str, ...]) -> str:
    path = folder.joinpath(*parts)
    if not path.is_file():
        raise MapAssetsMissing(f"map asset missing: {path}; {FETCH_HINT}")
    return path.read_text(encoding="utf-8")


def _inline_css_images(css: str, base: Path) -> str:
    """The CSS points at images beside it (images/*.png, ../images/*.gif, icon.svg); once
    inlined those relative URLs would dangle, so each becomes a data: URL."""
    def swap(match: re.Match[str]) -> str:
        target = (base / match.group(1)).resolve()
        if not target.is_file():
            return match.group(0)
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{_MIME[match.group(2).lower()]};base64,{data})"
    return re.sub(r"url\(['\"]?((?:\.\./)?[\w./@-]+\.(png|svg|gif))['\"]?\)", swap, css)


@lru_cache(maxsize=32)
def _folium_asset(folder: str, name: str) -> str:
    parts = FOLIUM_ASSETS[name]
    base = Path(folder)
    text = _read(base, parts)
    if parts[-1].endswith(".css"):
        return _inline_css_images(text, base.joinpath(*parts[:-1]))
    return re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.M)


def folium_asset(name: str, folder: Path | None = None) -> str:
    """The text of the asset folium names ``name``, for inlining (KeyError: not bundled)."""
    return _folium_asset(str(folder or maps_dir()), name)


@lru_cache(maxsize=4)
def _load(folder: str) -> MapAssets:
    base = Path(folder)
    css = _inline_css_images(_read(base, LEAFLET_CSS), base.joinpath(*LEAFLET_CSS[:-1]))
    # The source-map comment would make a browser's developer tools look for a file that
    # is not shipped.
    leaflet = re.sub(r"^//# sourceMappingURL=.*$", "", _read(base, LEAFLET_JS), flags=re.M)
    return MapAssets(leaflet, css, _read(base, PCN_MAP_JS))


def map_assets(folder: Path | None = None) -> MapAssets:
    """The asset texts (cached per folder; the files never change while the app runs)."""
    return _load(str(folder or maps_dir()))


def script_tag(js: str) -> str:
    # A literal "</script>" inside the code would end the tag early.
    return "<script>" + js.replace("</script", "<\\/script") + "</script>"


def style_tag(css: str) -> str:
    return "<style>" + css.replace("</style", "<\\/style") + "</style>"
