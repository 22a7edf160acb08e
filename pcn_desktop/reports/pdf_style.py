"""The look shared by every printed document: A4, an embedded TrueType font, styles,
and the furniture drawn on each page (running head, "page X of Y", footer with the version
and fingerprint, and a DRAFT watermark).

An embedded TrueType font is what makes "’", "£" and "–" print and remain searchable text;
the standard PDF fonts cannot encode them all. DejaVu Sans ships with matplotlib, which is a
dependency already, so no font file is copied into the repository.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

# Images go into the PDF Flate-compressed as binary: the ASCII85 pass reportlab adds by
# default runs in pure Python and cost ~0.2 s per map, most of an agreement's time budget.
rl_config.useA85 = 0

PAGE_SIZE = A4
MARGIN = 20 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
INK = colors.HexColor("#1b1b1b")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#e8eef4")
NHS_BLUE = colors.HexColor("#005eb8")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    mono: str = "Courier"


@lru_cache(maxsize=1)
def fonts() -> Fonts:
    """Register DejaVu Sans from matplotlib's bundled fonts; fall back to Helvetica (which
    cannot print every character) only when matplotlib's fonts are missing."""
    try:
        import matplotlib
        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        faces = {"PCN-Regular": "DejaVuSans.ttf", "PCN-Bold": "DejaVuSans-Bold.ttf",
                 "PCN-Italic": "DejaVuSans-Oblique.ttf", "PCN-Mono": "DejaVuSansMono.ttf"}
        for name, file in faces.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        pdfmetrics.registerFontFamily("PCN-Regular", normal="PCN-Regular", bold="PCN-Bold",
                                      italic="PCN-Italic", boldItalic="PCN-Bold")
        return Fonts("PCN-Regular", "PCN-Bold", "PCN-Italic", "PCN-Mono")
    except Exception:  # pragma: no cover - only without matplotlib's data files
        return Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")


@lru_cache(maxsize=1)
def styles() -> StyleSheet1:
    f = fonts()
    sheet = StyleSheet1()
    sheet.add(ParagraphStyle("body", fontName=f.regular, fontSize=9.5, leading=13, textColor=INK,
                             spaceAfter=5))
    sheet.add(ParagraphStyle("small", parent=sheet["body"], fontSize=8, leading=10, spaceAfter=2))
    sheet.add(ParagraphStyle("cell", parent=sheet["body"], fontSize=8.5, leading=10.5, spaceAfter=0))
    sheet.add(ParagraphStyle("cellbold", parent=sheet["cell"], fontName=f.bold))
    sheet.add(ParagraphStyle("cellright", parent=sheet["cell"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("cellboldright", parent=sheet["cellbold"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("title", fontName=f.bold, fontSize=22, leading=27, textColor=NHS_BLUE,
                             alignment=TA_CENTER, spaceAfter=10))
    sheet.add(ParagraphStyle("subtitle", fontName=f.regular, fontSize=13, leading=17,
                             alignment=TA_CENTER, textColor=INK, spaceAfter=6))
    sheet.add(ParagraphStyle("h1", fontName=f.bold, fontSize=14, leading=18, textColor=NHS_BLUE,
                             spaceBefore=6, spaceAfter=6, keepWithNext=1))
    sheet.add(ParagraphStyle("h2", fontName=f.bold, fontSize=11, leading=14, textColor=INK,
                             spaceBefore=6, spaceAfter=3, keepWithNext=1))
    # The fingerprint is read aloud and compared character by character: fixed width, in groups.
    sheet.add(ParagraphStyle("mono", fontName=f.mono, fontSize=7.5, leading=10, textColor=INK))
    sheet.add(ParagraphStyle("warning", parent=sheet["body"], textColor=colors.HexColor("#8a1c1c")))
    return sheet


def escape(text: object) -> str:
    """Text for a Paragraph: its markup characters escaped."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def data_table(header: list[str], rows: list[list[object]], widths: list[float],
               align_right: set[int] = frozenset(), total_row: bool = False) -> Table:
    """A table whose header repeats on every page it flows onto, with wrapped cells so that
    long practice names never overflow the frame."""
    s = styles()
    # Cells are Paragraphs (so they wrap); a Paragraph ignores the table's ALIGN, so the
    # right-aligned columns get a right-aligned style instead.
    head = [_cell(h, s["cellboldright" if i in align_right else "cellbold"]) for i, h in enumerate(header)]
    body = [[_cell(v, s["cellright" if i in align_right else "cell"]) for i, v in enumerate(row)]
            for row in rows]
    table = Table([head] + body, colWidths=widths, repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row and rows:
        commands += [("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]
    table.setStyle(TableStyle(commands))
    return table


def key_values(rows: list[list[str]], width: float = FRAME_WIDTH) -> Table:
    """A two-column table of labels and values."""
    s = styles()
    label = min(0.28 * FRAME_WIDTH, 0.4 * width)
    table = Table([[_cell(k, s["cellbold"]), _cell(v, s["cell"])] for k, v in rows],
                  colWidths=[label, width - label])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                               ("BACKGROUND", (0, 0), (0, -1), SHADE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _cell(value: object, style: ParagraphStyle) -> object:
    from reportlab.platypus import Paragraph
    if hasattr(value, "wrap"):
        return value
    return Paragraph(escape(value), style)


@dataclass(frozen=True)
class PageFurniture:
    """What every page carries, whatever document it belongs to."""

    running_head: str          # e.g. the network's name and code
    document: str              # e.g. "Network agreement"
    version: str
    fingerprint: str           # full hex digest; printed short
    draft: bool
    final_text: str = "Final for signature"
    draft_text: str = "DRAFT – not for signature"

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:12]


def numbered_canvas(furniture: PageFurniture) -> type[Canvas]:
    """A canvas class that holds each page until the end so that it can print "page X of Y"
    (Y is unknown while platypus is still laying pages out)."""

    class _NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                draw_furniture(self, furniture, self._pageNumber, total)
                super().showPage()
            super().save()

    return _NumberedCanvas


def draw_furniture(canvas: Canvas, furniture: PageFurniture, page: int, total: int) -> None:
    f = fonts()
    width, height = PAGE_SIZE
    # A document that covers several networks sets these per page (registration_pack.PageState).
    head = getattr(canvas, "_pcn_head", furniture.running_head)
    draft = getattr(canvas, "_pcn_draft", furniture.draft)
    canvas.saveState()
    if draft:
        draw_draft_mark(canvas, width, height)
    canvas.setFillColor(INK)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    top = height - MARGIN + 6 * mm
    canvas.setFont(f.bold, 8.5)
    canvas.drawString(MARGIN, top, head)
    canvas.setFont(f.regular, 8.5)
    canvas.drawRightString(width - MARGIN, top, f"Page {page} of {total}")
    canvas.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)
    bottom = MARGIN - 9 * mm
    canvas.line(MARGIN, bottom + 4 * mm, width - MARGIN, bottom + 4 * mm)
    canvas.setFont(f.regular, 7.5)
    status = furniture.draft_text if draft else furniture.final_text
    canvas.drawString(MARGIN, bottom,
                      f"{furniture.document} · version {furniture.version} · {status}")
    # One text run, so the label and the fixed-width fingerprint extract as "Fingerprint abc…".
    label, short = "Fingerprint ", furniture.short_fingerprint
    run = canvas.beginText()
    run.setTextOrigin(width - MARGIN - canvas.stringWidth(label, f.regular, 7.5)
                      - canvas.stringWidth(short, f.mono, 7.5), bottom)
    run.setFont(f.regular, 7.5)
    run.textOut(label)
    run.setFont(f.mono, 7.5)
    run.textOut(short)
    canvas.drawText(run)
    canvas.restoreState()


def base_doc_kwargs(furniture: PageFurniture, title: str, subject: str, author: str) -> dict:
    """Document metadata and geometry shared by every document (A4, searchable text)."""
    return dict(pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN,
                topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN,
                title=title, author=author, subject=subject,
                creator="PCN Desktop", keywords=f"fingerprint {furniture.fingerprint}",
                invariant=True)


# Block letters as strokes on a 4 x 6 grid: the DRAFT mark is a drawing, not text, so it
# never turns up in a copied or extracted page's words.
_LETTERS: dict[str, list[list[tuple[float, float]]]] = {
    "D": [[(0, 0), (0, 6), (2.5, 6), (4, 4.5), (4, 1.5), (2.5, 0), (0, 0)]],
    "R": [[(0, 0), (0, 6), (3, 6), (4, 5), (4, 4), (3, 3), (0, 3)], [(2, 3), (4, 0)]],
    "A": [[(0, 0), (2, 6), (4, 0)], [(0.8, 2.4), (3.2, 2.4)]],
    "F": [[(4, 6), (0, 6), (0, 0)], [(0, 3.2), (3, 3.2)]],
    "T": [[(0, 6), (4, 6)], [(2, 6), (2, 0)]],
}


def draw_draft_mark(canvas: Canvas, width: float, height: float, word: str = "DRAFT") -> None:
    """A large translucent DRAFT across the page, drawn with lines over the content."""
    unit = 18.0                       # points per grid step: letters 72 pt wide, 108 pt tall
    advance = 5.6 * unit
    total = advance * len(word) - 1.6 * unit
    canvas.saveState()
    canvas.setStrokeColor(colors.Color(0.75, 0.1, 0.1, alpha=0.18))
    canvas.setLineWidth(15)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(50)
    canvas.translate(-total / 2, -3 * unit)
    for i, letter in enumerate(word):
        for stroke in _LETTERS[letter]:
            path = canvas.beginPath()
            x0, y0 = stroke[0]
            path.moveTo(i * advance + x0 * unit, y0 * unit)
            for x, y in stroke[1:]:
                path.lineTo(i * advance + x * unit, y * unit)
            canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()
