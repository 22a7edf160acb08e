"""Fetch the map's third-party assets (Leaflet, jQuery) into maps/vendor/, offline-ready.

Third-party code reaches the repository only through a registry: this runs ``npm pack`` for
each package pinned in maps/package.json, checks the tarball's sha512 against
maps/assets.lock.json, and extracts only the files the map needs. Each extracted file's
sha256 is pinned too, so a second run that finds them intact does nothing and needs no
network.

    python scripts/fetch_map_assets.py [--maps DIR] [--force]

Exit status: 0 done (or already present), 1 a download or checksum failed.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

MAPS = Path(__file__).resolve().parents[1] / "maps"


class FetchError(Exception):
    pass


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sri_sha512(path: Path) -> str:
    """The tarball's Subresource-Integrity string, as npm records it (``sha512-<base64>``)."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def load_lock(maps: Path) -> dict:
    lock_path = maps / "assets.lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock.pop("_comment", None)
    wanted = json.loads((maps / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name, version in wanted.items():
        entry = lock.get(name)
        if entry is None or entry["version"] != version:
            raise FetchError(f"{lock_path}: {name}@{version} is in package.json but the lock has "
                             f"{entry['version'] if entry else 'no entry'}; update the lock")
    return {name: lock[name] for name in wanted}


def intact(vendor: Path, entry: dict) -> bool:
    for target, digest in entry["files"].values():
        path = vendor / target
        if not path.is_file() or sha256_of(path) != digest:
            return False
    return True


def npm_pack(name: str, version: str, into: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm is not on PATH; install Node.js/npm to fetch the map assets")
    done = subprocess.run([npm, "pack", f"{name}@{version}", "--json", "--pack-destination", str(into)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise FetchError(f"npm pack {name}@{version} failed (status {done.returncode}): "
                         f"{done.stderr.strip()[-600:]}")
    filename = json.loads(done.stdout)[0]["filename"]
    return into / filename


def extract(tarball: Path, entry: dict, vendor: Path, label: str) -> None:
    with tarfile.open(tarball, "r:gz") as tar:
        for member_name, (target, digest) in entry["files"].items():
            try:
                member = tar.getmember(member_name)
            except KeyError:
                raise FetchError(f"{tarball.name}: {member_name} is missing from {label}") from None
            data = tar.extractfile(member).read()
            got = hashlib.sha256(data).hexdigest()
            if got != digest:
                raise FetchError(f"{tarball.name}: {member_name} has sha256 {got}, "
                                 f"the lock pins {digest}")
            out = vendor / target
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(out.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(out)


def fetch(maps: Path = MAPS, force: bool = False, log=print) -> list[str]:
    """Make maps/vendor/ complete; returns the packages actually downloaded."""
    lock = load_lock(maps)
    vendor = maps / "vendor"
    fetched: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pcn-map-assets-") as tmp:
        for name, entry in lock.items():
            label = f"{name}@{entry['version']}"
            if not force and intact(vendor, entry):
                log(f"{label}: present and verified")
                continue
            tarball = npm_pack(name, entry["version"], Path(tmp))
            got = sri_sha512(tarball)
            if got != entry["integrity"]:
                raise FetchError(f"{tarball.name}: integrity {got} does not match the lock's "
                                 f"{entry['integrity']}")
            extract(tarball, entry, vendor, label)
            fetched.append(label)
            log(f"{label}: fetched, verified, {len(entry['files'])} files into {vendor}")
    return fetched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maps", type=Path, default=MAPS, help="the maps/ folder (default: the checkout's)")
    parser.add_argument("--force", action="store_true", help="download even when the files are intact")
    args = parser.parse_args(argv)
    try:
        fetch(args.maps, args.force)
    except (FetchError, OSError, json.JSONDecodeError, tarfile.TarError) as exc:
        print(f"fetch_map_assets: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
