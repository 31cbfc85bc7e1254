"""Data a map needs once, published as a static script instead of inside every map message.

streamlit-folium sends the whole map (its script, its layer) again whenever any part changes,
so outlines and labels drawn under the incidents would travel with every filter change. A map
served by the app links them instead: ``publish(name, json_text)`` writes
``static/atlas/<name>-<hash>.js`` (content-addressed: a new version is a new file, so no browser
keeps a stale copy) and returns its path under ``static/``; Streamlit's static serving
(``server.enableStaticServing``) answers it, the frame loads it once with the map's other
scripts, and the map's own script reads ``window.iaStatic[name]``.

When ``static/`` cannot be written (a read-only install), ``publish`` returns None and the
caller embeds the data in the page as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["ATLAS_DIR", "STATIC_DIR", "publish", "publish_code", "reference"]

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
ATLAS_DIR = STATIC_DIR / "atlas"


def reference(name: str) -> str:
    """Return the JavaScript expression that reads ``name`` once its script has loaded."""
    return f"window.iaStatic[{name!r}]"


def publish(name: str, json_text: str) -> str | None:
    """Write the script defining ``window.iaStatic[name] = <json_text>`` (JSON already safe
    in <script>); return its path under ``static/``, or None when it cannot be written."""
    return publish_code(name, f"window.iaStatic = window.iaStatic || {{}};\n"
                              f"window.iaStatic[{name!r}] = {json_text};\n")


def publish_code(name: str, script: str) -> str | None:
    """Write ``script`` (functions a map's scripts call) as ``static/atlas/<name>-<hash>.js``;
    return its path under ``static/``, or None when it cannot be written."""
    digest = hashlib.sha256(script.encode("utf-8")).hexdigest()[:12]
    path = ATLAS_DIR / f"{name}-{digest}.js"
    if path.is_file():
        return path.relative_to(STATIC_DIR).as_posix()
    try:
        ATLAS_DIR.mkdir(parents=True, exist_ok=True)
        # Atomic: another server process may write the same file at the same time.
        fd, tmp = tempfile.mkstemp(dir=ATLAS_DIR, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(script)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
        return None
    for old in ATLAS_DIR.glob(f"{name}-*.js"):  # earlier versions: no page asks for them now
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    return path.relative_to(STATIC_DIR).as_posix()
