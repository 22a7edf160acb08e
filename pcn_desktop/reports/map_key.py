"""A printed map with what makes it readable: a caption that says what is drawn, a numbered
key when names could not be placed on the map, and the attribution the data's licences need.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph

from .pdf_style import escape, styles

# Boundaries (ONS), postcode locations (OS Code-Point Open) and practice data (NHS Digital)
# are published under the Open Government Licence v3.0, which asks for these statements.
ATTRIBUTION = ("Contains OS data © Crown copyright and database right; contains National "
               "Statistics data © Crown copyright and database right; practice data from NHS "
               "Digital. Open Government Licence v3.0.")


@dataclass(frozen=True)
class MapPicture:
    png: bytes
    width_pt: float                 # printed size: the image was drawn at this size
    height_pt: float
    has_area: bool
    numbered: list[tuple[int, str, str]] = field(default_factory=list)   # (n, code, name)
    key: list[str] = field(default_factory=list)


def caption(picture: MapPicture, subject: str = "the network area") -> str:
    if picture.has_area:
        text = (f"The shaded area is {subject}, from the project's own geography; dots mark "
                "the member practices, sized by registered list.")
    else:
        text = ("No network area recorded: the project holds no area or boundary for this "
                "network, so only the member practices' locations are shown.")
    if picture.numbered:
        text += " Numbers on the map are keyed below it."
    return text


def map_flowables(heading: str, picture: MapPicture | None, width: float) -> list[Flowable]:
    s = styles()
    head = Paragraph(escape(heading), s["h2"])
    if picture is None:
        return [head, Paragraph("No network area recorded, and no member practice has a "
                                "location, so there is no map.", s["warning"])]
    img = Image(io.BytesIO(picture.png), width=picture.width_pt, height=picture.height_pt)
    block: list[Flowable] = [head, img, Paragraph(escape(caption(picture)), s["small"]),
                             Paragraph(escape(ATTRIBUTION), s["small"])]
    out: list[Flowable] = [KeepTogether(block)]
    if picture.numbered:
        out.append(Paragraph("<b>Key to the numbers:</b> " + "; ".join(
            f"<b>{n}</b> {escape(name)} ({escape(code)})" for n, code, name in picture.numbered) + ".",
            s["small"]))
    return out


def fit(width_pt: float, max_height_pt: float, aspect: float) -> tuple[float, float]:
    """Printed size for a map of ``aspect`` (width / height) in the space given."""
    w, h = width_pt, width_pt / aspect
    if h > max_height_pt:
        h, w = max_height_pt, max_height_pt * aspect
    return w, h


