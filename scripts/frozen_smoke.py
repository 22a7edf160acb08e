"""Smoke-test a frozen build against the source build, each frozen run in a clean environment.

    .venv/bin/python scripts/frozen_smoke.py dist/pcn-desktop [--data ../shared/data] [--no-screenshot]

Every step runs the frozen console program (`pcn-desktop-cli`) with an empty environment
plus HOME and PATH (as `env -i` would), and the same command through the source build, and
compares them: importing every kind of file found in the data folder (one file per kind,
the smallest) and files exported from the sample, `validate --json`, `map`, `agreements
--pack` (the map images inside the PDFs must be byte-identical), `funding --json`, a cp1252
console, and `--screenshot` of the window (GUI program) under its own Xvfb. A module the
spec forgot (a reader loaded by name, the agreement map renderer) shows up as a difference.
Exit status 1 when any step fails; prints each step's time and the build's size and file count.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if sys.platform == "win32" else ""
STEP_TIMEOUT = 600


class StepFailed(Exception):
    pass


class Smoke:
    def __init__(self, build: Path, work: Path) -> None:
        self.build = build
        self.cli = build / f"pcn-desktop-cli{EXE}"
        self.gui = build / f"pcn-desktop{EXE}"
        self.work = work
        self.home = work / "home"
        self.home.mkdir()
        self.results: list[tuple[str, bool, float, str]] = []

    # --- running ---------------------------------------------------------------------
    def clean_env(self, **extra: str) -> dict[str, str]:
        """What `env -i` leaves, plus the little a program needs to find a home and a shell."""
        env = {"HOME": str(self.home), "PATH": os.pathsep.join(("/usr/bin", "/bin"))}
        if sys.platform == "win32":     # Windows cannot start a process without these
            for name in ("SYSTEMROOT", "SYSTEMDRIVE", "TEMP", "TMP", "USERPROFILE", "LOCALAPPDATA", "APPDATA"):
                if os.environ.get(name):
                    env[name] = os.environ[name]
            env["PATH"] = os.environ.get("SYSTEMROOT", r"C:\Windows") + r"\System32"
        env.update(extra)
        return env

    def frozen(self, *args: str, exe: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe or self.cli), *args], env=self.clean_env(**env), cwd=self.work,
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=STEP_TIMEOUT, stdin=subprocess.DEVNULL)

    def source(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
                   PCN_DESKTOP_CONFIG_DIR=str(self.work / "source-config"))
        return subprocess.run([sys.executable, "-m", "pcn_desktop.cli", *args], env=env, cwd=self.work,
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=STEP_TIMEOUT, stdin=subprocess.DEVNULL)

    def step(self, name: str, check: Callable[[], str]) -> None:
        start = time.perf_counter()
        try:
            detail = check() or ""
            ok = True
        except StepFailed as exc:
            detail, ok = str(exc), False
        except (subprocess.TimeoutExpired, OSError) as exc:
            detail, ok = f"{type(exc).__name__}: {exc}", False
        seconds = time.perf_counter() - start
        self.results.append((name, ok, seconds, detail))
        print(f"{'ok  ' if ok else 'FAIL'} {seconds:6.1f} s  {name}" + (f": {detail}" if detail else ""),
              flush=True)

    # --- checks ----------------------------------------------------------------------
    @staticmethod
    def expect(done: subprocess.CompletedProcess[str], codes: tuple[int, ...] = (0,)) -> None:
        if done.returncode not in codes:
            raise StepFailed(f"exit {done.returncode}; stderr: {_tail(done.stderr)}; stdout: {_tail(done.stdout)}")
        if "Traceback (most recent call last)" in done.stderr:
            raise StepFailed(f"a traceback reached stderr: {_tail(done.stderr)}")

    def same(self, args: list[str], codes: tuple[int, ...] = (0, 1), normalise: Callable[[str], str] = str) -> str:
        """Run ARGS both ways; exit codes and (normalised) stdout must agree."""
        frozen = self.frozen(*args)
        self.expect(frozen, codes)
        source = self.source(*args)
        if frozen.returncode != source.returncode:
            raise StepFailed(f"frozen exit {frozen.returncode}, source exit {source.returncode}; "
                             f"frozen stderr: {_tail(frozen.stderr)}")
        if normalise(frozen.stdout) != normalise(source.stdout):
            raise StepFailed(f"output differs from the source build's:\n  frozen: {_tail(frozen.stdout)}"
                             f"\n  source: {_tail(source.stdout)}")
        return f"exit {frozen.returncode}"


def _tail(text: str, n: int = 600) -> str:
    text = text.strip().replace("\n", " | ")
    return text if len(text) <= n else "…" + text[-n:]


def data_files_by_kind(data: Path) -> dict[str, list[Path]]:
    """The files of each importable kind in the data folder, smallest first, as the source build sees them."""
    sys.path.insert(0, str(ROOT))
    from pcn_desktop.io.errors import ImportRefused
    from pcn_desktop.io.kinds import detect
    found: dict[str, list[Path]] = {}
    for path in sorted((p for p in data.rglob("*") if p.is_file() and p.suffix.lower() != ".md"),
                       key=lambda p: (p.stat().st_size, str(p))):
        try:
            kind = detect(path).name
        except ImportRefused:
            continue
        found.setdefault(kind, []).append(path)
    return found


def pdf_images(path: Path) -> list[bytes]:
    from pypdf import PdfReader
    return [image.data for page in PdfReader(path).pages for image in page.images]


def without_paths(work: Path) -> Callable[[str], str]:
    """Output with timings and the two builds' folder names taken out."""
    import re
    timing = re.compile(r"\d+\.\d+ s\b")
    return lambda text: timing.sub("T s", text.replace(str(work), "WORK"))


def run_all(smoke: Smoke, data: Path | None, screenshot: bool) -> None:
    w = smoke.work
    sample = w / "sample.pcnproj"
    norm = without_paths(w)

    smoke.step("pcn-desktop-cli --version", lambda: smoke.same(["--version"], (0,)))
    smoke.step("pcn-desktop --version (the window program)",
               lambda: (smoke.expect(smoke.frozen("--version", exe=smoke.gui)), "")[1])
    smoke.step("sample", lambda: (smoke.expect(smoke.frozen("sample", str(sample))), "")[1])
    smoke.step("validate --json", lambda: smoke.same(["validate", str(sample), "--json"]))

    def console_cp1252() -> str:
        for args in (["sample", str(w / "cp1252.pcnproj")], ["validate", str(sample)],
                     ["funding", str(sample)], ["agreements", str(sample), str(w / "cp1252-pdf")]):
            smoke.expect(smoke.frozen(*args, PYTHONIOENCODING="cp1252"), (0, 1))
        return "sample, validate, funding, agreements"
    smoke.step("cp1252 console", console_cp1252)

    def map_same() -> str:
        smoke.expect(smoke.frozen("map", str(sample), str(w / "frozen" / "map.html")))
        smoke.expect(smoke.source("map", str(sample), str(w / "source" / "map.html")))
        a, b = (w / "frozen" / "map.html").read_bytes(), (w / "source" / "map.html").read_bytes()
        if a != b:
            raise StepFailed(f"the frozen map ({len(a):,} bytes) differs from the source build's ({len(b):,})")
        return f"{len(a) / 1024:,.0f} KB, identical"
    smoke.step("map", map_same)

    def agreements_same() -> str:
        frozen = smoke.frozen("agreements", str(sample), str(w / "frozen" / "pdf"), "--pack")
        smoke.expect(frozen)
        source = smoke.source("agreements", str(sample), str(w / "source" / "pdf"), "--pack")
        smoke.expect(source)
        # The clause template line names each build's own resources folder.
        def listing(text: str, build: str) -> list[str]:
            return [line.replace(f"WORK/{build}/", "") for line in norm(text).splitlines()
                    if not line.startswith("Clause template:")]
        if listing(frozen.stdout, "frozen") != listing(source.stdout, "source"):
            raise StepFailed(f"fingerprints or pages differ: {_tail(frozen.stdout)} vs {_tail(source.stdout)}")
        pdfs = sorted((w / "source" / "pdf").glob("*.pdf"))
        images = 0
        for pdf in pdfs:
            mine = pdf_images(w / "frozen" / "pdf" / pdf.name)
            if mine != pdf_images(pdf):
                raise StepFailed(f"{pdf.name}: the map images differ from the source build's")
            images += len(mine)
        if not images:
            raise StepFailed("no map image in any agreement")
        return f"{len(pdfs)} PDFs, {images} images identical"
    smoke.step("agreements --pack", agreements_same)

    smoke.step("funding --json", lambda: smoke.same(["funding", str(sample), "--json"], (0,)))

    # Files exported from the sample, imported back: the plain practice CSV, a workforce plan, areas.
    def exported_kinds() -> str:
        made = []
        smoke.expect(smoke.frozen("export", str(sample), str(w / "exp" / "practices.csv")))
        smoke.expect(smoke.frozen("funding", str(sample), "--export-plan", str(w / "exp" / "plan.csv")))
        for name in ("practices.csv", "plan.csv"):
            project = w / "exp" / f"from-{name}.pcnproj"
            files = [str(w / "exp" / "practices.csv")] + ([str(w / "exp" / name)] if name != "practices.csv" else [])
            smoke.expect(smoke.frozen("import", str(project), *files))
            made.append(name)
        return ", ".join(made)
    smoke.step("import the sample's exports", exported_kinds)

    if data is not None and data.is_dir():
        for kind, paths in sorted(data_files_by_kind(data).items()):
            path = _first_imported(smoke, paths, w / "probe")
            target = w / "imports" / f"{kind}.pcnproj"
            smoke.step(f"import {kind} ({path.name})",
                       lambda p=path, t=target: _import_same(smoke, p, t, norm))
    else:
        print(f"skip: no data folder at {data}; imported the sample's files only", flush=True)

    if screenshot:
        smoke.step("--screenshot (Xvfb)", lambda: _screenshot(smoke, sample))


def _first_imported(smoke: Smoke, paths: list[Path], probe: Path, tries: int = 3) -> Path:
    """The smallest of the first few files that the source build imports on its own (a file
    may need companions); else the smallest, whose refusal must then be the same."""
    probe.mkdir(exist_ok=True)
    for number, path in enumerate(paths[:tries]):
        if smoke.source("import", str(probe / f"{number}.pcnproj"), str(path)).returncode == 0:
            return path
    return paths[0]


def _import_same(smoke: Smoke, path: Path, target: Path, norm: Callable[[str], str]) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    frozen_p, source_p = target.with_suffix(".frozen.pcnproj"), target.with_suffix(".source.pcnproj")
    frozen = smoke.frozen("import", str(frozen_p), str(path))
    smoke.expect(frozen, (0, 1))
    source = smoke.source("import", str(source_p), str(path))
    if frozen.returncode != source.returncode:
        raise StepFailed(f"frozen exit {frozen.returncode} ({_tail(frozen.stderr)}), source exit "
                         f"{source.returncode} ({_tail(source.stderr)})")
    strip = lambda t: norm(t).replace(".frozen.pcnproj", "").replace(".source.pcnproj", "")  # noqa: E731
    if strip(frozen.stdout) != strip(source.stdout) or strip(frozen.stderr) != strip(source.stderr):
        raise StepFailed(f"frozen and source differ: {_tail(frozen.stdout + frozen.stderr)} vs "
                         f"{_tail(source.stdout + source.stderr)}")
    if frozen.returncode == 0:
        a = smoke.frozen("validate", str(frozen_p), "--json")
        b = smoke.source("validate", str(source_p), "--json")
        if json.loads(a.stdout or "null") != json.loads(b.stdout or "null"):
            raise StepFailed("validate --json of the imported project differs from the source build's")
        return "imported; validate identical"
    return f"refused alike: {_tail(frozen.stderr, 160)}"


def _screenshot(smoke: Smoke, sample: Path) -> str:
    xvfb = shutil.which("Xvfb")
    if sys.platform == "win32":
        env: dict[str, str] = {}
        server = None
    else:
        if xvfb is None:
            raise StepFailed("Xvfb is not installed (scripts/install.sh --test installs it)")
        read, write = os.pipe()
        server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                                  pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as handle:
            display = handle.readline().strip()
        if not display:
            server.kill()
            raise StepFailed("Xvfb did not start")
        env = {"DISPLAY": f":{display}"}
    def window(*args: str) -> subprocess.CompletedProcess[str]:
        done = smoke.frozen(*args, exe=smoke.gui, **env)
        if done.returncode != 0:          # a crash in native code leaves each thread's stack
            logs = sorted(smoke.home.rglob("native-*.log"), key=lambda p: p.stat().st_mtime)
            if logs:
                raise StepFailed(f"exit {done.returncode}; {logs[-1].name}: {_tail(logs[-1].read_text(errors='replace'), 2500)}")
        return done

    try:
        out = smoke.work / "shots" / "window.png"
        smoke.expect(window("--screenshot", str(out), str(sample)))
        # The map pane must show the map, not only its background: a missing WebEngine part
        # or map asset leaves it blank. One retry: the window's first layout can race the
        # map's first fit (seen as "Invalid LatLng (NaN, NaN)" in the page, source build too).
        for attempt in (1, 2):
            map_out = smoke.work / "shots" / f"map-{attempt}.png"
            smoke.expect(window("--screenshot", str(map_out), "--screenshot-pane", "map", str(sample)))
            drawn, size = _drawn_share(map_out)
            if drawn >= MIN_DRAWN:
                break
    finally:
        if server is not None:
            server.kill()
            server.wait()
    if drawn < MIN_DRAWN:
        raise StepFailed(f"the map pane is blank: {drawn:.1%} of it differs from the background "
                         f"(at least {MIN_DRAWN:.0%} expected)")
    retried = " after one retry" if attempt == 2 else ""
    return f"window and map pane saved; map {size[0]}x{size[1]}, {drawn:.0%} drawn{retried}"


MIN_DRAWN = 0.10


def _drawn_share(png: Path) -> tuple[float, tuple[int, int]]:
    """The share of pixels that are not the pane's background colour (the most common one)."""
    from collections import Counter

    from PIL import Image
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        small = rgb.resize((max(1, rgb.width // 2), max(1, rgb.height // 2)))
        counts = Counter(small.getpixel((x, y)) for x in range(small.width) for y in range(small.height))
        size = image.size
    _, background = counts.most_common(1)[0]
    return 1 - background / sum(counts.values()), size


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="the one-folder build (dist/pcn-desktop)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-screenshot", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    build = args.build.resolve()
    if not (build / f"pcn-desktop-cli{EXE}").is_file():
        print(f"frozen smoke: {build}: no pcn-desktop-cli{EXE}; build first (installer/build.sh)", file=sys.stderr)
        return 1
    size, count = folder_size(build)
    print(f"frozen build: {build}: {size / 2**20:,.0f} MB in {count:,} files", flush=True)
    work = Path(tempfile.mkdtemp(prefix="pcn-frozen-smoke-"))
    started = time.perf_counter()
    try:
        smoke = Smoke(build, work)
        run_all(smoke, args.data, not args.no_screenshot)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    failed = [r for r in smoke.results if not r[1]]
    print(f"frozen smoke: {len(smoke.results) - len(failed)} passed, {len(failed)} failed "
          f"in {time.perf_counter() - started:.0f} s; build {size / 2**20:,.0f} MB, {count:,} files", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
