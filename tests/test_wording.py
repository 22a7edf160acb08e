"""Counts in words: no "(s)" reaches a person, in the window, the command line or print."""
from __future__ import annotations

import re
from pathlib import Path

from pcn_desktop.domain.wording import plural


def test_one_and_many():
    assert plural(1, "practice") == "1 practice"
    assert plural(0, "practice") == "0 practices"
    assert plural(4218, "patient") == "4,218 patients"
    assert plural(1, "practice moves", "practices move") == "1 practice moves"
    assert plural(2, "practice moves", "practices move") == "2 practices move"


def test_no_message_says_s_in_brackets():
    """Every f-string of the app that counts something in words uses ``plural``."""
    root = Path(__file__).resolve().parents[1] / "pcn_desktop"
    found = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"""f["'].*\w\(s\)""", line)]
    assert found == []
