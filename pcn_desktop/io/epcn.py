"""NHS Digital ``ePCN.xlsx``: the PCNs (``PCN Details``) and their member practices (``PCN Core Partner Details``).

Headers differ between releases (double spaces, line breaks, trailing spaces, CCG or
sub-ICB wording), so columns are found by meaning. In the Dec 2019 file the partners'
``PCN Name`` is an Excel formula; it is never used: links join on ``PCN Code``. Codes are
read as text (Excel may have turned them into numbers).

With ``--commissioner``, only PCNs whose commissioner is in the filter are kept, with their
links. A link with an end date goes to membership history; one without is current. A
closed PCN (close date on or before the import date) is not created unless a current link
still points at it; its ended links are skipped and counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.model import Project
from .errors import ImportRefused
from .kinds import ORDER_NETWORKS, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import norm_header, parse_date, practice_code

DETAILS = ("pcn_details", "pcndetails")
PARTNERS = ("pcn_core_partner_details", "pcncorepartnerdetails")


def detect(sample: Sample) -> bool:
    if not sample.head.startswith(b"PK\x03\x04"):
        return False
    try:
        names = {norm_header(n) for n in _sheet_names(sample.path)}
    except Exception:                                    # not a workbook after all
        return False
    return bool(names & set(DETAILS)) and bool(names & set(PARTNERS))


def _sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names from its ``xl/workbook.xml`` alone: opening the workbook
    with openpyxl parses every shared string too (half a second for ePCN), and recognising
    the file needs only the names."""
    import zipfile
    from xml.etree import ElementTree
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    return [e.get("name", "") for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"]


@dataclass(slots=True)
class Pcn:
    row: int
    code: str
    name: str
    commissioner: str
    closed: date | None
    commissioner_name: str = ""


@dataclass(slots=True)
class Link:
    row: int
    practice: str
    practice_name: str
    practice_commissioner: str
    pcn: str
    pcn_name: str
    start: date | None
    end: date | None


def _column(path: str, header: list[str], *tests: tuple[str, ...]) -> int:
    """The first header containing every word of one of ``tests`` (tried in order)."""
    for words in tests:
        for i, name in enumerate(header):
            if all(w in name for w in words):
                return i
    raise ImportRefused(path, 1, f"no column for {' '.join(tests[0])}")


def _optional_column(header: list[str], *tests: tuple[str, ...]) -> int | None:
    try:
        return _column("", header, *tests)
    except ImportRefused:
        return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class Epcn(ParsedFile):
    order = ORDER_NETWORKS

    def __init__(self, path: Path) -> None:
        super().__init__(path, "ePCN.xlsx (PCNs and core partners)")
        self.pcns: dict[str, Pcn] = {}
        self.links: list[Link] = []

    def read(self) -> "Epcn":
        from openpyxl import load_workbook
        wb = load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheets = {norm_header(n): n for n in wb.sheetnames}
            details = next(sheets[n] for n in DETAILS if n in sheets)
            partners = next(sheets[n] for n in PARTNERS if n in sheets)
            self._read_details(f"{self.path} (sheet '{details}')", wb[details].iter_rows(values_only=True))
            self._read_partners(f"{self.path} (sheet '{partners}')", wb[partners].iter_rows(values_only=True))
        finally:
            wb.close()
        self.summary.rows_read = len(self.pcns) + len(self.links)
        return self

    def _read_details(self, where: str, rows) -> None:
        header = [norm_header(h) for h in next(rows, ())]
        ci = _column(where, header, ("pcn", "code"))
        ni = _column(where, header, ("pcn", "name"))
        gi = _column(where, header, ("commissioning", "code"), ("ccg", "code"), ("sub_icb", "code"))
        xi = _column(where, header, ("close", "date"))
        # The commissioner's name, printed on agreements instead of a bare code; older
        # releases may not carry it.
        gn = _optional_column(header, ("commissioning", "name"), ("ccg", "name"), ("sub_icb", "name"))
        for number, row in enumerate(rows, start=2):
            if row is None or not any(v not in (None, "") for v in row):
                continue
            code = _text(row[ci]).upper()
            if not code:
                raise ImportRefused(where, number, "no PCN code")
            if code in self.pcns:
                raise ImportRefused(where, number, f"PCN {code} appears twice (rows {self.pcns[code].row} and {number})")
            self.pcns[code] = Pcn(number, code, _text(row[ni]), _text(row[gi]).upper(),
                                  parse_date(where, number, row[xi], "Close Date"),
                                  _text(row[gn]) if gn is not None else "")

    def _read_partners(self, where: str, rows) -> None:
        header = [norm_header(h) for h in next(rows, ())]
        oi = _column(where, header, ("partner", "code"), ("practice", "code"))
        pn = _column(where, header, ("partner", "name"))
        pg = _column(where, header, ("practice", "parent", "code"))
        ci = _column(where, header, ("pcn_code",), ("pcn", "code"))
        ni = _column(where, header, ("pcn_name",), ("pcn", "name"))
        si = _column(where, header, ("start", "date"))
        ei = _column(where, header, ("end", "date"))
        for number, row in enumerate(rows, start=2):
            if row is None or not any(v not in (None, "") for v in row):
                continue
            code = practice_code(where, number, _text(row[oi]), "Partner Organisation Code")
            pcn = _text(row[ci]).upper()
            if not pcn:
                raise ImportRefused(where, number, f"practice {code} has no PCN code")
            name = row[ni]
            self.links.append(Link(number, code, _text(row[pn]), _text(row[pg]).upper(), pcn,
                                   _text(name) if isinstance(name, str) and not name.startswith("=") else "",
                                   parse_date(where, number, row[si], "Relationship Start Date"),
                                   parse_date(where, number, row[ei], "Relationship End Date")))

    # --- the run -----------------------------------------------------------------------
    def _kept_pcns(self, run: ImportRun) -> set[str]:
        return {c for c, p in self.pcns.items() if run.in_filter(p.commissioner)} | \
               ({l.pcn for l in self.links if l.pcn not in self.pcns} if run.commissioners is None else set())

    def claims(self, run: ImportRun) -> set[str]:
        kept, at = self._kept_pcns(run), run.counting_date_before_apply()
        return {l.practice for l in self.links if l.pcn in kept and (l.end is None or (
            at is not None and (l.start is None or l.start <= at) and l.end >= at))}

    def names(self) -> set[str]:
        return {l.practice for l in self.links}

    def apply(self, project: Project, run: ImportRun) -> None:
        summary, kept = self.summary, self._kept_pcns(run)
        # Lists are counted at one date, often earlier than the ePCN release: a link in force
        # then is kept as firmly as an open one, even if it has ended (or its PCN closed) since.
        at = run.counting_date(project)
        counted = {id(l) for l in self.links if at is not None and l.end is not None
                   and (l.start is None or l.start <= at) and l.end >= at}
        live = {l.pcn for l in self.links if l.end is None or id(l) in counted}
        nets = {}
        for code in sorted(kept):
            pcn = self.pcns.get(code)
            if pcn is not None and pcn.closed is not None and pcn.closed <= run.today and code not in live:
                summary.skip("PCN closed")
                continue
            name = pcn.name if pcn else next((l.pcn_name for l in self.links if l.pcn == code and l.pcn_name), code)
            nets[code] = run.network(project, code, name, pcn.commissioner if pcn else "")
            if pcn is not None and pcn.commissioner and pcn.commissioner_name:
                project.settings.setdefault("commissioner_names", {}).setdefault(
                    pcn.commissioner, pcn.commissioner_name)
        summary.skip("PCN outside the commissioner filter", len(self.pcns) - len([c for c in kept if c in self.pcns]))
        current = ended = 0
        for link in self.links:
            net = nets.get(link.pcn)
            if net is None:
                summary.skip("link to a PCN not kept (outside the filter or closed)")
                continue
            if link.practice not in project.practices:
                if link.end is not None and id(link) not in counted:
                    summary.skip("ended link of a practice not in the project")
                    continue
                p = run.practice(project, link.practice)
                p.name, p.commissioner = link.practice_name, link.practice_commissioner
            p = project.practices[link.practice]
            p.name = p.name or link.practice_name
            p.commissioner = p.commissioner or link.practice_commissioner
            summary.practices.add(link.practice)
        # history first, so that a current link is what stays current
        for link in sorted(self.links, key=lambda l: l.end is None):
            net = nets.get(link.pcn)
            if net is None or link.practice not in project.practices:
                continue
            run.join(project, link.practice, net.id, link.start, link.end)
            current += link.end is None
            ended += link.end is not None
        summary.kept = len(nets) + current + ended
        summary.notes.append(f"{len(self.pcns):,} PCN details and {len(self.links):,} practice links read; "
                             f"{len(nets):,} networks, {current:,} open memberships, {ended:,} ended kept")
        released = max((d for l in self.links for d in (l.start, l.end) if d is not None), default=None)
        if at is not None and released is not None and released > at:
            summary.notes.append(f"links recorded up to {released.isoformat()}, lists counted at "
                                 f"{at.isoformat()}: the memberships in force on {at.isoformat()} are counted "
                                 f"({len(counted):,} of them have ended since)")
        for reason in [r for r, n in summary.skipped.items() if n == 0]:
            del summary.skipped[reason]


register_kind(Kind("epcn", "NHS Digital ePCN.xlsx", detect, lambda path, _s: Epcn(path).read()))
