"""Make what the Windows build needs from the one version source, ``pcn_desktop.__version__``:

- ``installer/build/pcn-desktop.ico``: the program and installer icon, drawn here (three
  practices joined into a network on a blue tile), so no image is copied into the repository;
- ``installer/build/version_info.txt``: the version resource PyInstaller puts in both .exe;
- ``installer/build/version.nsh``: the installer's VERSION, read by pcn_desktop.nsi;
- with ``--files dist/pcn-desktop`` (after the freeze): ``files_install.nsh`` and
  ``files_uninstall.nsh``, the exact list of files the installer writes and the uninstaller
  removes (never ``RMDir /r``: a user's own files in the folder are left alone), and the
  installed size for the Uninstall key.

    python installer/make_assets.py [--files dist/pcn-desktop]
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "installer" / "build"
PUBLISHER = "PCN Desktop developers"
DESCRIPTION = "PCN Desktop: form, validate, fund and print Primary Care Networks"


def version() -> str:
    text = (ROOT / "pcn_desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    if not found:
        raise SystemExit("pcn_desktop/__init__.py has no __version__")
    return found.group(1)


def numeric(ver: str) -> tuple[int, int, int, int]:
    """``1.2.3rc1`` -> (1, 2, 3, 0): Windows version resources hold four numbers."""
    parts = [int(re.match(r"\d*", p).group() or 0) for p in ver.split(".")[:4]]
    return tuple((parts + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def draw_icon(path: Path) -> None:
    from PIL import Image, ImageDraw
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, size - 8, size - 8), radius=44, fill=(0, 94, 184, 255))
    nodes = [(78, 84), (180, 96), (124, 186)]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            draw.line((a, b), fill=(255, 255, 255, 255), width=14)
    for x, y in nodes:
        draw.ellipse((x - 30, y - 30, x + 30, y + 30), fill=(255, 255, 255, 255))
        draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill=(65, 182, 230, 255))
    image.save(path, format="ICO", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


def version_info(ver: str) -> str:
    four = numeric(ver)
    strings = {"CompanyName": PUBLISHER, "FileDescription": DESCRIPTION, "FileVersion": ver,
               "InternalName": "pcn-desktop", "LegalCopyright": "MIT licence",
               "OriginalFilename": "pcn-desktop.exe", "ProductName": "PCN Desktop", "ProductVersion": ver}
    entries = ",\n            ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(filevers={four}, prodvers={four}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080904B0', [
            {entries}])]),
    VarFileInfo([VarStruct('Translation', [2057, 1200])])
  ]
)
"""


def file_lists(build: Path) -> tuple[str, str, int]:
    """NSIS commands installing every file of ``build`` and removing exactly those again."""
    build = build.resolve()
    # Symbolic links (a Linux build links a few libraries) would be copied twice; Windows has none.
    files = sorted(p for p in build.rglob("*")
                   if p.is_file() and not _linked(p, build))
    install: list[str] = []
    current = None
    for path in files:
        folder = path.parent.relative_to(build)
        if folder != current:
            current = folder
            install.append(f'SetOutPath "$INSTDIR{_win(folder)}"')
        install.append(f'File "{path}"')
    uninstall = [f'Delete "$INSTDIR{_win(p.relative_to(build))}"' for p in files]
    folders = sorted({p.parent.relative_to(build) for p in files} | _parents(files, build),
                     key=lambda f: len(f.parts), reverse=True)
    uninstall += [f'RMDir "$INSTDIR{_win(f)}"' for f in folders if f.parts]
    size_kb = sum(p.stat().st_size for p in files) // 1024
    return "\n".join(install) + "\n", "\n".join(uninstall) + "\n", size_kb


def _linked(path: Path, build: Path) -> bool:
    rel = path.relative_to(build)
    return any((build / parent).is_symlink() for parent in rel.parents if parent.parts) or path.is_symlink()


def _parents(files: list[Path], build: Path) -> set[Path]:
    out: set[Path] = set()
    for path in files:
        out.update(path.relative_to(build).parents)
    return out


def _win(relative: Path) -> str:
    return "".join("\\" + part for part in relative.parts)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    if len(sys.argv) == 3 and sys.argv[1] == "--files":
        install, uninstall, size_kb = file_lists(Path(sys.argv[2]))
        (OUT / "files_install.nsh").write_text(install, encoding="utf-8")
        (OUT / "files_uninstall.nsh").write_text(uninstall, encoding="utf-8")
        (OUT / "size.nsh").write_text(f'!define INSTALL_SIZE_KB {size_kb}\n', encoding="utf-8")
        print(f"installer file lists: {install.count('File '):,} files, {size_kb // 1024:,} MB")
        return 0
    ver = version()
    draw_icon(OUT / "pcn-desktop.ico")
    (OUT / "version_info.txt").write_text(version_info(ver), encoding="utf-8")
    (OUT / "version.nsh").write_text(
        f'!define VERSION "{ver}"\n!define VERSION4 "{".".join(map(str, numeric(ver)))}"\n'
        f'!define PUBLISHER "{PUBLISHER}"\n', encoding="utf-8")
    print(f"installer assets for {ver} in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
