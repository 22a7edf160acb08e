"""The comparison map: moved practices' labels stay readable where practices sit close together."""
from __future__ import annotations

from pcn_desktop.domain.commands import MovePractice
from pcn_desktop.paths import resource
from pcn_desktop.reports.comparison import compare_scenarios
from pcn_desktop.reports.comparison_map import comparison_map_png
from pcn_desktop.store import load_project


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    (x0, y0, w0, h0), (x1, y1, w1, h1) = a, b
    return min(x0 + w0, x1 + w1) > max(x0, x1) and min(y0 + h0, y1 + h1) > max(y0, y1)


def test_moved_practices_close_together_get_labels_that_do_not_cover_each_other() -> None:
    """The sample's Y90016 and Y90017 sit a few hundred metres apart: an option moving both
    (and Y90013) once printed their labels over each other."""
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    option = project.copy_scenario("current", "option")
    for practice, network in (("Y90013", "U90003"), ("Y90016", "U90004"), ("Y90017", "U90002")):
        MovePractice(practice, option.find_network(network).id).do(option)
    comparison = compare_scenarios(project, "current", "option")
    assert len(comparison.moves) == 3
    for width, height in ((720, 380), (1240, 860)):
        info: dict = {}
        assert comparison_map_png(project, comparison, width_px=width, height_px=height, dpi=96, info=info)
        boxes = info["label_boxes"]
        assert len(boxes) == 3
        for i, box in enumerate(boxes):
            x, y, w, h = box
            assert 0 <= x and x + w <= width and 0 <= y and y + h <= height, (width, boxes)
            assert not any(_overlap(box, other) for other in boxes[i + 1:]), (width, boxes)
