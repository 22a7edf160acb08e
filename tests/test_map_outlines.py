"""The map's outlines of places (and of networks with no boundary) are unions of small areas
in longitude and latitude, made by the coverage union when the areas tile exactly: on real
LSOAs they must be the shapes a plain overlay union gives, checked against geopandas."""
from __future__ import annotations

import numpy as np
import shapely

from conftest import shared_file
from pcn_desktop.geo.areas import place_of
from pcn_desktop.geo.boundaries import SNAP_DEGREES, union_areas
from pcn_desktop.paths import resource
from pcn_desktop.reports.map_layers import _place_features, network_geometries
from pcn_desktop.store import load_project


def test_places_of_real_lsoas_are_the_plain_unions():
    import geopandas as gpd
    lsoas = gpd.read_file(shared_file("pennine_lancashire", "bwd-ph_boundaries", "lsoa.geojson"))
    # the local authority is the LSOA name without its last four characters ("Burnley 001A")
    lsoas["place"] = lsoas["lsoa11nm"].str[:-5]
    assert lsoas["place"].nunique() == 6
    for place, group in lsoas.groupby("place"):
        expected = group.geometry.union_all()                  # geopandas: a plain overlay
        got = union_areas(np.array(list(group.geometry), dtype=object), SNAP_DEGREES)
        assert shapely.is_valid(got), place
        assert got.symmetric_difference(expected).area <= 1e-9 * expected.area, place
        assert shapely.get_num_geometries(got) == shapely.get_num_geometries(expected), place


def test_the_sample_map_draws_each_place_and_network_as_its_areas_union():
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    places = _place_features(project, 1e-9)
    assert {f["properties"]["code"] for f in places} == {"Ashbridge", "Calder Fells", "Wyreford"}
    for feature in places:
        areas = [a.geometry for a in project.areas.values() if place_of(a) == feature["properties"]["code"]]
        drawn = shapely.geometry.shape(feature["geometry"])
        assert drawn.hausdorff_distance(shapely.union_all(areas).boundary) < 1e-4
    project.boundaries.clear()                      # networks drawn as the union of their areas
    geoms = network_geometries(project)
    for nid, geom in geoms.items():
        areas = [project.areas[c].geometry for c, n in project.area_assignments.items() if n == nid]
        assert geom.symmetric_difference(shapely.union_all(areas)).area <= 1e-9 * geom.area
