"""The area -> network CSV that ``pcn-desktop export --what areas`` writes, read back.

Columns (by meaning): ``area_code`` (or ``lsoa11cd``...) and ``network_code`` and/or
``network_name``; ``area_name`` and ``share`` are written for people and ignored here. A
blank network leaves the area in none. A network must already exist (by code, else name):
this file assigns areas, it does not create networks, so an unknown one is refused naming
its row. Areas the project (or an area file of the same run) does not have are skipped and
counted. The assignments replace the project's, and each network's boundary is dissolved
from its areas, as an imported boundary file would give it.
"""
from __future__ import annotations

from pathlib import Path

from ..domain.model import Project
from ..domain.wording import plural
from .errors import ImportRefused
from .kinds import ORDER_AREAS, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import check_width, find_column, norm_header, read_text_rows

AREA = ("area_code", "lsoa11cd", "lsoa21cd", "lsoa_code")
NETWORK_CODE = ("network_code", "pcn_code")
NETWORK_NAME = ("network_name", "pcn_name")
PRACTICE = ("practice_code", "org_code", "practice")
COUNT = ("number_of_patients", "patients")


def detect(sample: Sample) -> bool:
    return (sample.has_any(*AREA) and sample.has_any(*NETWORK_CODE, *NETWORK_NAME)
            and not sample.has_any(*PRACTICE) and not sample.has_any(*COUNT))


class AreaAssignments(ParsedFile):
    order = ORDER_AREAS + 1          # after the area polygons of the same run

    def __init__(self, path: Path) -> None:
        super().__init__(path, "area -> network list")
        self.rows: list[tuple[int, str, str, str]] = []     # line, area, network code, network name

    def read(self) -> "AreaAssignments":
        def consume(records) -> None:
            self.rows.clear()
            _, head = next(records)
            header = [norm_header(h) for h in head]
            ai = find_column(header, *AREA)
            ci, ni = find_column(header, *NETWORK_CODE), find_column(header, *NETWORK_NAME)
            seen: dict[str, int] = {}
            for line, f in records:
                if not any(x.strip() for x in f):
                    continue
                check_width(self.path, line, f, len(head))
                area = f[ai].strip().upper()
                if not area:
                    raise ImportRefused(self.path, line, "no area code")
                if area in seen:
                    raise ImportRefused(self.path, line, f"area {area} is listed twice (rows {seen[area]} and {line})")
                seen[area] = line
                self.rows.append((line, area, f[ci].strip().upper() if ci is not None else "",
                                  " ".join(f[ni].split()) if ni is not None else ""))
        read_text_rows(self.path, consume)
        self.summary.rows_read = len(self.rows)
        return self

    def _network(self, project: Project, line: int, code: str, name: str) -> str | None:
        if not code and not name:
            return None
        net = (project.find_network(code) if code else None) or (project.find_network(name) if name else None)
        if net is None:
            raise ImportRefused(self.path, line, f"no network {code or name!r} in the project "
                                                 "(import the networks first; this file only assigns areas)")
        return net.id

    def check(self, project: Project, run: ImportRun) -> None:
        if not any(f.order <= 20 for f in run.files):        # networks come from the project itself
            for line, _area, code, name in self.rows:
                self._network(project, line, code, name)

    def apply(self, project: Project, run: ImportRun) -> None:
        from ..geo.importing import import_area_assignments
        assignments: dict[str, str] = {}
        for line, area, code, name in self.rows:
            if area not in project.areas:
                self.summary.skip("area not in the project")
                continue
            nid = self._network(project, line, code, name)
            if nid is not None:
                assignments[area] = nid
        networks = import_area_assignments(project, assignments, self.path.name)
        self.summary.kept = len(assignments)
        self.summary.notes.append(f"{plural(len(assignments), 'area')} assigned; boundaries dissolved for {plural(networks, 'network')}")


register_kind(Kind("area_assignments", "area -> network CSV (area_code, network_name)", detect,
                   lambda path, _s: AreaAssignments(path).read()))
