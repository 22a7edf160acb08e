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

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.model import Project
from ..domain.wording import plural
from .errors import ImportRefused
from .guard import check_zip_parts, recognised_workbook
from .kinds import ORDER_NETWORKS, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import norm_header, parse_date, practice_code

DETAILS = ("pcn_details", "pcndetails")
PARTNERS = ("pcn_core_partner_details", "pcncorepartnerdetails")


def detect(sample: Sample) -> bool:
    return recognised_workbook(sample, _has_both_sheets)


def _has_both_sheets(path: Path) -> bool:
    names = {norm_header(n) for n in _sheet_names(path)}
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


# Columns by whole meaning (the normalised header must match entirely): a substring test once
# took "PCN Parent CCG Code" for the PCN code and moved every practice into networks "00Q".
_CCG = r"(clinical_commissioning_group|ccg|sub_icb(_location|_loc)?|icb)"
PCN_CODE = re.compile(r"(pcn|primary_care_network)(_ods)?_code")
PCN_NAME = re.compile(r"(pcn|primary_care_network)_name")
COMMISSIONER = re.compile(rf"(current_)?{_CCG}(_ods)?_code|commissioner(_code)?")
CLOSE = re.compile(r"clos(e|ed|ing)_date")
COMMISSIONER_NAME = re.compile(rf"(current_)?{_CCG}_name|commissioner_name")
PARTNER_CODE = re.compile(r"partner_organisation_code|partner_code|practice(_ods)?_code|organisation_code")
PARTNER_NAME = re.compile(r"partner(_organisation)?_name|practice_name")
PRACTICE_PARENT = re.compile(rf"practice_parent_{_CCG}(_ods)?_code")
START = re.compile(r"(practice_to_pcn_)?relationship_start_date|start_date")
END = re.compile(r"(practice_to_pcn_)?relationship_end_date|end_date")


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


def _column(where: str, header: list[str], pattern: re.Pattern, meaning: str, required: bool = True) -> int | None:
    """The first header whose whole normalised name has this meaning; a required one missing
    is refused naming the sheet and the columns it has."""
    for i, name in enumerate(header):
        if pattern.fullmatch(name):
            return i
    if not required:
        return None
    found = ", ".join(h for h in header if h) or "none"
    raise ImportRefused(where, 1, f"no {meaning} column (columns found: {found})")


def _cell(row: tuple, index: int | None) -> object:
    """A cell, or None when the column is absent or the row shorter than the header."""
    return row[index] if index is not None and index < len(row) else None


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
        check_zip_parts(self.path)
        wb = load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheets = {norm_header(n): n for n in wb.sheetnames}
            details = next(sheets[n] for n in DETAILS if n in sheets)
            partners = next(sheets[n] for n in PARTNERS if n in sheets)
            self._read_sheet(wb, details, self._read_details)
            self._read_sheet(wb, partners, self._read_partners)
        finally:
            wb.close()
        self.summary.rows_read = len(self.pcns) + len(self.links)
        return self

    def _read_sheet(self, wb, name: str, read) -> None:
        """Every row of a sheet, whatever its ``<dimension>`` says: a stale one (Excel and
        other tools write them) would make openpyxl's read-only reader stop early."""
        where = f"{self.path} (sheet '{name}')"
        sheet = wb[name]
        sheet.reset_dimensions()
        try:
            read(where, sheet.iter_rows(values_only=True))
        except ImportRefused:
            raise
        except (Exception, RecursionError) as exc:   # damaged sheet XML and the like
            raise ImportRefused(where, None, f"the sheet is damaged and cannot be read ({type(exc).__name__}: "
                                             f"{' '.join(str(exc).split())[:200]})") from None

    def _read_details(self, where: str, rows) -> None:
        header = [norm_header(h) for h in next(rows, ())]
        ci = _column(where, header, PCN_CODE, "PCN Code")
        ni = _column(where, header, PCN_NAME, "PCN Name")
        gi = _column(where, header, COMMISSIONER, "commissioner (CCG / sub-ICB) code", required=False)
        xi = _column(where, header, CLOSE, "Close Date", required=False)
        # The commissioner's name, printed on agreements instead of a bare code; older
        # releases may not carry it.
        gn = _column(where, header, COMMISSIONER_NAME, "commissioner name", required=False)
        for number, row in enumerate(rows, start=2):
            if row is None or not any(v not in (None, "") for v in row):
                continue
            code = _text(_cell(row, ci)).upper()
            if not code:
                raise ImportRefused(where, number, "no PCN code")
            if code in self.pcns:
                raise ImportRefused(where, number, f"PCN {code} appears twice (rows {self.pcns[code].row} and {number})")
            self.pcns[code] = Pcn(number, code, _text(_cell(row, ni)), _text(_cell(row, gi)).upper(),
                                  parse_date(where, number, _cell(row, xi), "Close Date"),
                                  _text(_cell(row, gn)))

    def _read_partners(self, where: str, rows) -> None:
        header = [norm_header(h) for h in next(rows, ())]
        oi = _column(where, header, PARTNER_CODE, "Partner Organisation Code")
        ci = _column(where, header, PCN_CODE, "PCN Code")
        pn = _column(where, header, PARTNER_NAME, "Partner Name", required=False)
        pg = _column(where, header, PRACTICE_PARENT, "Practice Parent CCG Code", required=False)
        ni = _column(where, header, PCN_NAME, "PCN Name", required=False)
        si = _column(where, header, START, "Relationship Start Date", required=False)
        ei = _column(where, header, END, "Relationship End Date", required=False)
        for number, row in enumerate(rows, start=2):
            if row is None or not any(v not in (None, "") for v in row):
                continue
            code = practice_code(where, number, _text(_cell(row, oi)), "Partner Organisation Code")
            pcn = _text(_cell(row, ci)).upper()
            if not pcn:
                raise ImportRefused(where, number, f"practice {code} has no PCN code")
            name = _cell(row, ni)
            self.links.append(Link(number, code, _text(_cell(row, pn)), _text(_cell(row, pg)).upper(), pcn,
                                   _text(name) if isinstance(name, str) and not name.startswith("=") else "",
                                   parse_date(where, number, _cell(row, si), "Relationship Start Date"),
                                   parse_date(where, number, _cell(row, ei), "Relationship End Date")))

    # --- the run -----------------------------------------------------------------------
    def _kept_pcns(self, run: ImportRun) -> set[str]:
        return {c for c, p in self.pcns.items() if run.in_filter(p.commissioner)} | \
               ({l.pcn for l in self.links if l.pcn not in self.pcns} if run.commissioners is None else set())

    def claims(self, run: ImportRun) -> set[str]:
        kept, at = self._kept_pcns(run), run.counting_date_before_apply()
        return {l.practice for l in self.links if l.pcn in kept and (l.end is None or (
            at is not None and (l.start is None or l.start <= at) and l.end >= at))}

    def commissioners(self) -> set[str] | None:
        return {p.commissioner for p in self.pcns.values() if p.commissioner}

    def names(self) -> set[str]:
        return {l.practice for l in self.links}

    def assignments(self, run: ImportRun) -> dict[str, tuple[str, str, int]]:
        kept = self._kept_pcns(run)
        out = {}
        for link in self.links:
            if link.end is None and link.pcn in kept:
                pcn = self.pcns.get(link.pcn)
                out[link.practice] = (link.pcn, pcn.name if pcn else link.pcn_name, link.row)
        return out

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
                             f"{plural(len(nets), 'network')}, {plural(current, 'open membership')}, {ended:,} ended kept")
        released = max((d for l in self.links for d in (l.start, l.end) if d is not None), default=None)
        if at is not None and released is not None and released > at:
            summary.notes.append(f"links recorded up to {released.isoformat()}, lists counted at "
                                 f"{at.isoformat()}: the memberships in force on {at.isoformat()} are counted "
                                 f"({len(counted):,} of them have ended since)")
        for reason in [r for r, n in summary.skipped.items() if n == 0]:
            del summary.skipped[reason]


register_kind(Kind("epcn", "NHS Digital ePCN.xlsx", detect, lambda path, _s: Epcn(path).read()))
