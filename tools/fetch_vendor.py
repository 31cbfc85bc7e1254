"""Fetch the maps' browser libraries into static/vendor at the versions pinned in
``incidents/mapping/vendor.json`` (read as ``VENDOR_PACKAGES``), from the npm registry.

Each package is downloaded with ``npm pack NAME@VERSION``; its tarball must match the pinned
npm integrity (sha512) or nothing is written. The files kept are listed per package; the rest
of ``static/vendor`` is replaced. Run from the project folder: ``python -m tools.fetch_vendor``. Needs
``npm`` and the npm registry; the app and the tests only read the committed files.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import folium

from incidents.mapping.assets import VENDOR_DIR, VENDOR_PACKAGES, VendorPackage

FOLIUM_VERSION = "0.20.0"  # the folium pinned in requirements.txt


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _pack(package: VendorPackage, workdir: Path) -> bytes:
    out = subprocess.run(
        ["npm", "pack", f"{package.name}@{package.version}", "--json", "--silent",
         "--pack-destination", str(workdir)],
        check=True, capture_output=True, text=True,
    )
    info = json.loads(out.stdout)[0]
    data = (workdir / info["filename"]).read_bytes()
    if _integrity(data) != package.integrity:
        raise SystemExit(f"{package.folder}: tarball integrity {_integrity(data)} is not the "
                         f"pinned {package.integrity}; refusing to vendor it")
    return data


def _folium_file(path: str) -> bytes:
    if folium.__version__ != FOLIUM_VERSION:
        raise SystemExit(f"folium {folium.__version__} is installed; the vendored files come "
                         f"from folium {FOLIUM_VERSION} (pip install -r requirements.txt)")
    return (Path(folium.__file__).resolve().parent / path).read_bytes()


def fetch(package: VendorPackage, workdir: Path, target: Path) -> list[Path]:
    """Write ``package``'s kept files under ``target``; return their paths."""
    tarball = _pack(package, workdir)
    written = []
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for source, dest in package.files:
            if source.startswith("folium:"):
                data = _folium_file(source.removeprefix("folium:"))
            else:
                member = tar.extractfile(source)
                if member is None:
                    raise SystemExit(f"{package.folder}: {source} is not a file of the tarball")
                data = member.read()
            out = target / package.folder / dest
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            written.append(out)
    return written


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "vendor"
        for package in VENDOR_PACKAGES:
            files = fetch(package, Path(tmp), staging)
            size = sum(f.stat().st_size for f in files)
            print(f"{package.folder}: {len(files)} files, {size:,} bytes ({package.licence})")
        if VENDOR_DIR.exists():
            shutil.rmtree(VENDOR_DIR)
        shutil.copytree(staging, VENDOR_DIR)
    print(f"written to {VENDOR_DIR}")


if __name__ == "__main__":
    main()
