"""The command-line contract: exit codes, JSON shape, refusals on stderr."""
import ast
import json
import subprocess
import sys

from builders import network

from pcn_desktop.cli import main
from pcn_desktop.domain.model import Project
from pcn_desktop.store import save_project


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pcn_desktop.cli", *args], capture_output=True, text=True)


def make_project(tmp_path, valid: bool):
    p = Project()
    p.name = "CLI test"
    network(p, "North", {"A00001": 20000, "A00002": 15000}, code="U00001")
    if not valid:
        network(p, "Small", {"A00003": 12000})
    path = tmp_path / "p.pcnproj"
    save_project(p, path)
    return path


def test_validate_json_shape_and_exit_code(tmp_path, capsys):
    path = make_project(tmp_path, valid=False)
    assert main(["validate", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [n["name"] for n in report["networks"]] == ["North", "Small"]
    north = report["networks"][0]
    assert north == {"code": "U00001", "name": "North", "list_size": 35000,
                     "practices": ["A00001", "A00002"], "measures": {}}
    small = [f for f in report["findings"] if f["network"] == "Small"]
    assert {f["rule"] for f in small} == {"list-size-minimum", "single-practice-network"}
    first = small[0]
    assert set(first) == {"rule", "severity", "network", "practice", "message", "value"}
    assert {f["severity"] for f in report["findings"]} <= {"error", "warning", "info"}


def test_validate_exit_zero_when_no_error_and_readable_table(tmp_path, capsys):
    path = make_project(tmp_path, valid=True)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "North" in out and "35,000" in out and "No findings" in out


def test_refusal_goes_to_stderr_with_non_zero_exit(tmp_path):
    bad = tmp_path / "nothing.pcnproj"
    bad.write_text("not a database")
    done = run_cli("validate", str(bad))
    assert done.returncode == 2
    assert "not a PCN Desktop project" in done.stderr and str(bad) in done.stderr


def test_sample_is_written_as_a_copy(tmp_path):
    from pcn_desktop.cli.sample import sample_path
    before = sample_path().read_bytes()
    target = tmp_path / "s.pcnproj"
    assert main(["sample", str(target)]) == 0
    assert target.read_bytes() == before
    assert main(["sample", str(target)]) == 2   # refuses to overwrite without --force


def test_a_command_imports_its_own_module_and_not_the_others(tmp_path):
    """`validate` and `import` imported all fifteen commands' modules, and with them the
    agreements' PDF and map stack and the solver: about 0.9 s of every command (`validate` of
    all England 1.35 s, now 0.49 s). The help still lists every command."""
    project = make_project(tmp_path, valid=True)
    code = ("import contextlib, io, sys\nfrom pcn_desktop.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    status = main(['validate', {str(project)!r}])\n"
            "print(status, sorted(m for m in sys.modules if m.startswith('pcn_desktop.cli.')"
            " or m.split('.')[0] in ('ortools', 'reportlab', 'pandas', 'PySide6')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    status, loaded = done.stdout.split(" ", 1)
    assert status == "0", done.stderr[-2000:]
    loaded = set(ast.literal_eval(loaded))
    assert "pcn_desktop.cli.validate" in loaded
    assert loaded <= {"pcn_desktop.cli.console", "pcn_desktop.cli.validate", "pcn_desktop.cli.common"}, loaded
    listed = run_cli("--help").stdout
    for verb in ("sample", "import", "validate", "boundaries", "map", "export", "agreements", "funding",
                 "scenarios", "assign", "propose", "compare", "copy", "history", "password"):
        assert f"\n    {verb}" in listed, verb


def test_history_lines_up_whatever_the_name_of_who_changed_it(tmp_path, capsys):
    """The sample's first entry is by scripts/make_sample_ccg.py: it ran into the next column."""
    path = tmp_path / "s.pcnproj"
    assert main(["sample", str(path)]) == 0
    assert main(["assign", str(path), "Y90016", "U90003"]) == 0
    capsys.readouterr()
    assert main(["history", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 2 and any("scripts/make_sample_ccg.py" in line for line in lines)
    # the change described starts at the same column on every line
    starts = {len(line) - len(line[21:].split(None, 1)[1]) for line in lines}
    assert len(starts) == 1, lines
