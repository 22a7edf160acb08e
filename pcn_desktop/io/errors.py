"""The one exception every importer raises for bad input: it names the file, the row and the problem."""
from __future__ import annotations

from pathlib import Path


class ImportRefused(Exception):
    """A file the import will not take. ``str()`` is ``FILE, row N: problem``.

    ``row`` is the 1-based line number a user sees in a text editor or Excel (the header is
    row 1), or the 1-based feature number for a geographic file; ``None`` when the problem
    is with the whole file. A geographic file says ``FILE, feature N: problem``.
    """

    def __init__(self, file: str | Path, row: int | None, problem: str, unit: str = "row") -> None:
        self.file = str(file)
        self.row = row
        self.problem = problem
        self.unit = unit            # "row", or "feature" in a geographic file
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.row is None:
            return one_line(f"{self.file}: {self.problem}")
        return one_line(f"{self.file}, {self.unit} {self.row}: {self.problem}")


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127]} | {10: "\\n", 13: "\\r", 9: "\\t"}


LONGEST = 1000


def one_line(text: str) -> str:
    """Control characters a file put in a value (a line break inside a field) shown escaped,
    and no more than LONGEST characters: a refusal is one readable line."""
    text = text.translate(_CONTROL)
    return text if len(text) <= LONGEST else text[:LONGEST - 1] + "…"
