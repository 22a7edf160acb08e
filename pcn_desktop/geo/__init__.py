"""Geography: network boundaries (from registrations, imported or hand-edited), coherence
measures and the geography rules. shapely/geopandas/pyproj only; no Qt.

Geometry is stored in WGS84 (EPSG:4326) and measured in British National Grid (EPSG:27700),
so areas are in square metres and lengths in metres.
"""
