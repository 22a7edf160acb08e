"""The printed maps: labels that never collide (or numbers with a key), a key to every symbol,
"No network area recorded" when there is none, the attribution, and pack maps at least half
the page wide with labels printed at 6 pt or more."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from agreements_synthetic import complete_settings, synthetic_project
from pcn_desktop.reports.agreement import agreement_bytes
from pcn_desktop.reports.registration_pack import build_registration_pack
from pcn_desktop.reports.static_map import network_map_png

A4_WIDTH_PT = 595.28


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("network", ["net-river", "net-moor", "net-hill"])
def test_labels_never_overlap_and_every_symbol_is_keyed(network) -> None:
    info: dict = {}
    assert network_map_png(synthetic_project(), network, width_in=6.5, height_in=4.5, dpi=100,
                           info=info, key=True, label_pt=7.0)
    boxes = info["label_boxes"]
    assert len(boxes) == len(synthetic_project().members(network))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not _overlap(a, b), (a, b)
    assert info["label_pt"] >= 6
    assert "Network area" in info["key"] and "Neighbouring networks" in info["key"]
    assert any(k.startswith("Member practice: ") for k in info["key"])


def test_crowded_network_is_numbered_with_a_key_in_the_text() -> None:
    p = complete_settings(synthetic_project())
    for i, code in enumerate(sorted(p.members("net-moor"))):     # twenty practices in one village
        p.practices[code].latitude = 53.80 + 0.0015 * (i // 5)
        p.practices[code].longitude = -1.38 + 0.002 * (i % 5)
    info: dict = {}
    network_map_png(p, "net-moor", width_in=6.7, height_in=3.7, dpi=100, info=info, key=True)
    assert info["numbered"], "crowded names should fall back to numbers"
    assert sorted(code for _, code, _ in info["numbered"]) == sorted(p.members("net-moor"))
    boxes = info["label_boxes"]
    assert all(not _overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    text = _text(agreement_bytes(p, "net-moor")[0])
    assert "Key to the numbers:" in text and "Numbers on the map are keyed" in text
    for n, code, _ in info["numbered"]:
        assert f"{n} Moorside Family Practice number" in text and f"({code})" in text


def test_network_without_an_area_says_so_and_attribution_is_printed() -> None:
    p = complete_settings(synthetic_project())
    for area in [a for a, n in p.area_assignments.items() if n == "net-river"]:
        del p.area_assignments[area]
    info: dict = {}
    network_map_png(p, "net-river", width_in=6, height_in=4, dpi=80, info=info, key=True)
    assert info["has_area"] is False and "Network area" not in info["key"]
    text = _text(agreement_bytes(p, "net-river")[0])
    assert "No network area recorded" in text
    assert "The shaded area" not in text
    assert "Contains OS data © Crown copyright and database right" in text
    assert "Open Government Licence v3.0" in text


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages (poppler-utils) not installed")
def test_pack_maps_are_at_least_half_the_page_and_drawn_at_print_size(tmp_path) -> None:
    path = tmp_path / "pack.pdf"
    build_registration_pack(complete_settings(synthetic_project()), path)
    rows = [line.split() for line in subprocess.run(["pdfimages", "-list", str(path)], check=True,
                                                    capture_output=True, text=True).stdout.splitlines()[2:]]
    images = [r for r in rows if r[2] == "image"]
    assert len(images) == 4                                  # the CCG map and one per network
    for r in images:
        width_px, ppi = int(r[3]), float(r[12])
        printed_pt = width_px / ppi * 72
        assert printed_pt >= A4_WIDTH_PT / 2
        # drawn at the size it is printed (150 or 200 dpi): a 7 pt label prints at 7 pt
        assert ppi in (150.0, 200.0)
