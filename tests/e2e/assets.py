"""Offline stand-ins for the CDN assets that folium / streamlit-folium pull in.

The browser tests have no internet. folium 0.20.0 and its plugins reference Leaflet,
jQuery, Bootstrap, Font Awesome, ... on public CDNs; ``AssetRouter`` answers those
requests from the npm packages of the same versions in ``tests/e2e/node_modules``
(installed by ``tests/e2e/setup.sh`` from ``package.json`` / ``package-lock.json``).

Install it on a Playwright context with ``context.route("**/*", router.handle)``:

* requests to localhost / 127.0.0.1 / ::1 (the Streamlit server) go through untouched;
* known CDN files are served from node_modules (or from folium's own package data)
  with the right content type and a permissive CORS header (web fonts need it);
* map tiles (any external image: OpenStreetMap, CARTO, Esri, ...) get a blank PNG;
* anything else external gets an empty 200 and is logged and recorded in
  ``router.fallthrough``, so ``router.assert_no_missing_assets()`` can fail a test
  when a script, stylesheet or font had no local copy.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import folium

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # conftest skips the browser tests without playwright
    PlaywrightError = Exception

__all__ = [
    "BLANK_PNG",
    "CDN_FILES",
    "CDN_PREFIXES",
    "NODE_MODULES",
    "AssetRouter",
    "Fallthrough",
    "is_cdn",
    "is_tile",
    "resolve_cdn_url",
]

log = logging.getLogger("e2e.assets")

E2E_DIR = Path(__file__).resolve().parent
NODE_MODULES = E2E_DIR / "node_modules"
FOLIUM_TEMPLATES = Path(folium.__file__).resolve().parent / "templates"

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"})

_NM = NODE_MODULES
JSDELIVR = "https://cdn.jsdelivr.net/npm/"
JSDELIVR_FOLIUM = "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
AWESOME_MARKERS = CDNJS + "Leaflet.awesome-markers/2.0.2/"
_AWESOME = _NM / "drmonty-leaflet-awesome-markers"

#: Exact CDN URLs (without query string / fragment) whose npm file has another name
#: than the CDN one (mostly ``.min.js`` builds that the npm tarball lacks).
CDN_FILES: dict[str, Path] = {
    # folium core
    "https://code.jquery.com/jquery-3.7.1.min.js": _NM / "jquery/dist/jquery.min.js",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
        _NM / "glyphicons-only-bootstrap/css/bootstrap.min.css"
    ),
    # Leaflet.awesome-markers 2.0.2 (cdnjs layout: flat; npm: css/ + js/)
    AWESOME_MARKERS + "leaflet.awesome-markers.js": _AWESOME / "js/leaflet.awesome-markers.min.js",
    AWESOME_MARKERS + "leaflet.awesome-markers.css": _AWESOME / "css/leaflet.awesome-markers.css",
    # TimestampedGeoJson / HeatMapWithTime / Timeline
    CDNJS + "jqueryui/1.10.2/jquery-ui.min.js": _NM
    / "jquery-ui-bundle/jquery-ui.min.js",  # 1.10.2 not on npm
    JSDELIVR + "iso8601-js-period@0.2.1/iso8601.min.js": _NM / "iso8601-js-period/iso8601.js",
    CDNJS + "moment.js/2.18.1/moment.min.js": _NM / "moment/min/moment.min.js",
    CDNJS + "highlight.js/8.4/styles/default.min.css": _NM / "highlight.js/styles/default.css",
    JSDELIVR + "leaflet.timeline@1.6.0/dist/leaflet.timeline.min.js": _NM
    / "leaflet.timeline/dist/leaflet.timeline.js",
    # Fullscreen / MiniMap
    JSDELIVR + "leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": _NM
    / "leaflet.fullscreen/Control.FullScreen.js",
    CDNJS + "leaflet-minimap/3.6.1/Control.MiniMap.js": _NM
    / "leaflet-minimap/dist/Control.MiniMap.min.js",
    CDNJS + "leaflet-minimap/3.6.1/Control.MiniMap.css": _NM
    / "leaflet-minimap/dist/Control.MiniMap.min.css",
    # streamlit-folium adds d3 when the map has a branca colormap (legend)
    CDNJS + "d3/3.5.5/d3.min.js": _NM / "d3/d3.min.js",
    "https://d3js.org/d3.v4.min.js": _NM / "d3-v4/build/d3.min.js",
    # folium's HeatMap / HeatMapWithTime plugin files live in folium's own package data
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js": (
        FOLIUM_TEMPLATES / "leaflet_heat.min.js"
    ),
    JSDELIVR_FOLIUM + "pa7_hm.min.js": FOLIUM_TEMPLATES / "pa7_hm.min.js",
    JSDELIVR_FOLIUM + "pa7_leaflet_hm.min.js": FOLIUM_TEMPLATES / "pa7_leaflet_hm.min.js",
}

#: URL prefix -> folder: the rest of the URL path is looked up under the folder. This
#: also serves what the CSS pulls in relatively (Leaflet's marker/layer images, the
#: Font Awesome and glyphicon web fonts, awesome-markers' sprite sheets, ...).
CDN_PREFIXES: list[tuple[str, Path]] = [
    (JSDELIVR + "leaflet@1.9.3/", _NM / "leaflet"),
    (JSDELIVR + "bootstrap@5.2.2/", _NM / "bootstrap"),
    (JSDELIVR + "@fortawesome/fontawesome-free@6.2.0/", _NM / "@fortawesome/fontawesome-free"),
    (
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/",
        _NM / "glyphicons-only-bootstrap/fonts",
    ),
    (AWESOME_MARKERS, _AWESOME / "css"),
    (CDNJS + "leaflet.markercluster/1.1.0/", _NM / "leaflet.markercluster/dist"),
    (CDNJS + "jquery/3.7.1/", _NM / "jquery/dist"),
    (JSDELIVR + "leaflet-timedimension@1.1.1/", _NM / "leaflet-timedimension"),
    (JSDELIVR + "leaflet.timeline@1.6.0/", _NM / "leaflet.timeline"),
    (JSDELIVR + "leaflet.fullscreen@3.0.0/", _NM / "leaflet.fullscreen"),
    (CDNJS + "leaflet-minimap/3.6.1/", _NM / "leaflet-minimap/dist"),
]
# Longest prefix first, so a more specific entry wins.
CDN_PREFIXES.sort(key=lambda item: len(item[0]), reverse=True)


def _rotate_css() -> bytes:
    # folium's Icon(angle=...) adds class fa-rotate-<angle>; its CDN stylesheet is a plain
    # list of these rules and is not shipped in the folium wheel, so it is generated here.
    rules = (
        f".fa-rotate-{deg}{{-webkit-transform:rotate({deg}deg);transform:rotate({deg}deg);}}"
        for deg in range(360)
    )
    return "\n".join(rules).encode()


#: URLs answered with generated content: url -> (body, content type).
GENERATED: dict[str, tuple[bytes, str]] = {
    JSDELIVR_FOLIUM + "leaflet.awesome.rotate.min.css": (_rotate_css(), "text/css; charset=utf-8"),
}


#: URLs the real CDN answers with 404 and that folium/streamlit-folium request anyway;
#: answered 404 here too (recorded in ``AssetRouter.not_found``, not a missing asset).
#: Leaflet 1.9.3 guesses the default-icon folder from the leaflet.css <link> when the
#: stylesheet is not applied yet and drops "/images/" (Leaflet#4968, streamlit-folium
#: #275): every L.marker() is created with that icon before folium's setIcon() swaps in
#: the real one. A default marker left on the map is a broken image in production as
#: well; the smoke test's broken-image check catches that case.
KNOWN_404 = (
    re.compile(
        r"^https://cdn\.jsdelivr\.net/npm/leaflet@1\.9\.3/dist(marker-icon(-2x)?|marker-shadow)\.png$"
    ),
)


#: External files that only decorate the browser chrome, answered with a placeholder
#: (recorded in ``AssetRouter.stubbed``, not a missing asset): Streamlit points the
#: favicon of ``page_icon=":material/<name>:"`` at Google's Material Symbols SVGs.
_PLACEHOLDER_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    b'<circle cx="12" cy="12" r="9" fill="#888"/></svg>'
)
STUBS: tuple[tuple[re.Pattern[str], bytes, str], ...] = (
    (
        re.compile(
            r"^https://fonts\.gstatic\.com/s/i/short-term/release/materialsymbols\w+/\w+/\w+/\w+\.svg$"
        ),
        _PLACEHOLDER_SVG,
        "image/svg+xml",
    ),
)


def _blank_png(width: int = 1, height: int = 1) -> bytes:
    """A fully transparent RGBA PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x00\x00\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


BLANK_PNG = _blank_png()

_IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")
#: Hosts that only serve map tiles (matched as a suffix of the request host).
TILE_HOST_SUFFIXES = (
    "tile.openstreetmap.org",
    "tile.openstreetmap.fr",
    "tile.opentopomap.org",
    "basemaps.cartocdn.com",
    "arcgisonline.com",
    "arcgis.com",
    "stadiamaps.com",
    "tile.thunderforest.com",
    "api.mapbox.com",
    "tiles.mapbox.com",
    "wmflabs.org",
    "tiles.wmflabs.org",
    "maps.wikimedia.org",
    "tile-cyclosm.openstreetmap.fr",
    "nasa.gov",
)
#: Hosts that serve libraries: nothing from them is a map tile, so a file of theirs
#: without a local copy falls through (and counts as a missing asset), images included.
CDN_HOSTS = frozenset(
    {
        "cdn.jsdelivr.net",
        "cdnjs.cloudflare.com",
        "code.jquery.com",
        "netdna.bootstrapcdn.com",
        "maxcdn.bootstrapcdn.com",
        "stackpath.bootstrapcdn.com",
        "unpkg.com",
        "d3js.org",
        "rawcdn.githack.com",
        "fonts.googleapis.com",
        "fonts.gstatic.com",
    }
)
_ASSET_EXTS = (".js", ".mjs", ".css", ".woff", ".woff2", ".ttf", ".eot", ".otf", ".svg", ".map")
_ASSET_RESOURCE_TYPES = frozenset({"script", "stylesheet", "font"})

_EXTRA_TYPES = {
    ".js": "application/javascript; charset=utf-8",
    ".mjs": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def content_type_for(path: Path) -> str:
    ext = path.suffix.lower()
    if ext in _EXTRA_TYPES:
        return _EXTRA_TYPES[ext]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _strip(url: str) -> str:
    """The URL without query string and fragment (``?v=4.7.0``, ``?#iefix``), as https.

    Protocol-relative CSS urls (``//netdna.bootstrapcdn.com/...``) resolve to http://
    inside the http://127.0.0.1 app; the CDN tables list https:// only.
    """
    parts = urlsplit(url)
    return f"https://{parts.netloc}{parts.path}"


def resolve_cdn_url(url: str) -> Path | None:
    """Return the local file serving CDN ``url``, or None if there is none."""
    bare = _strip(url)
    path = CDN_FILES.get(bare)
    if path is not None:
        return path if path.is_file() else None
    for prefix, folder in CDN_PREFIXES:
        if bare.startswith(prefix):
            rest = bare[len(prefix) :]
            candidate = (folder / rest).resolve()
            try:
                candidate.relative_to(folder.resolve())
            except ValueError:  # ../ escapes the package folder
                return None
            return candidate if candidate.is_file() else None
    return None


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True  # data:, blob:, about:, chrome-extension: ... never leave the browser
    return (parts.hostname or "") in LOCAL_HOSTS


def is_cdn(url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() in CDN_HOSTS


def is_tile(url: str) -> bool:
    """A map tile (or another image) from a non-CDN host: answered with a blank PNG."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in CDN_HOSTS:
        return False
    if any(host == s or host.endswith("." + s) for s in TILE_HOST_SUFFIXES):
        return True
    return parts.path.lower().endswith(_IMAGE_EXTS)


@dataclass(frozen=True)
class Fallthrough:
    """An external request that had no local copy and was answered with an empty 200."""

    url: str
    resource_type: str

    @property
    def is_asset(self) -> bool:
        """True for scripts, stylesheets, fonts and anything from a CDN host (e.g. a
        marker image): the map is likely broken without them."""
        if self.resource_type in _ASSET_RESOURCE_TYPES or is_cdn(self.url):
            return True
        return urlsplit(self.url).path.lower().endswith(_ASSET_EXTS)


_CORS = {"access-control-allow-origin": "*", "cache-control": "public, max-age=3600"}


@dataclass
class AssetRouter:
    """Playwright route handler serving CDN assets offline; records what it did."""

    served: list[tuple[str, Path]] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)
    tiles: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    fallthrough: list[Fallthrough] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- the route handler -------------------------------------------------------------
    def handle(self, route) -> None:  # route: playwright.sync_api.Route
        request = route.request
        url = request.url
        try:
            if is_local(url):
                route.continue_()
                return
            if request.method == "OPTIONS":  # CORS preflight
                route.fulfill(status=204, headers={**_CORS, "access-control-allow-headers": "*"})
                return
            bare = _strip(url)
            if bare in GENERATED:
                body, ctype = GENERATED[bare]
                with self._lock:
                    self.generated.append(url)
                route.fulfill(status=200, body=body, content_type=ctype, headers=_CORS)
                return
            local = resolve_cdn_url(url)
            if local is not None:
                with self._lock:
                    self.served.append((url, local))
                route.fulfill(
                    status=200,
                    body=local.read_bytes(),
                    content_type=content_type_for(local),
                    headers=_CORS,
                )
                return
            for pattern, body, ctype in STUBS:
                if pattern.match(bare):
                    with self._lock:
                        self.stubbed.append(url)
                    route.fulfill(status=200, body=body, content_type=ctype, headers=_CORS)
                    return
            if any(p.match(bare) for p in KNOWN_404):
                with self._lock:
                    self.not_found.append(url)
                log.info("e2e assets: known CDN 404 (as in production): %s", url)
                route.fulfill(status=404, body=b"", content_type="text/plain", headers=_CORS)
                return
            if is_tile(url):
                with self._lock:
                    self.tiles.append(url)
                route.fulfill(status=200, body=BLANK_PNG, content_type="image/png", headers=_CORS)
                return
            entry = Fallthrough(url, request.resource_type)
            with self._lock:
                self.fallthrough.append(entry)
            log.warning(
                "e2e assets: no local copy, answered empty 200: [%s] %s", entry.resource_type, url
            )
            route.fulfill(
                status=200, body=b"", content_type=_guess_type_for_url(url), headers=_CORS
            )
        except PlaywrightError as exc:  # page/context closed while the request was in flight
            if "closed" in str(exc).lower() or "disposed" in str(exc).lower():
                return
            raise

    # -- assertions --------------------------------------------------------------------
    def missing_assets(self) -> list[Fallthrough]:
        """Scripts, stylesheets and fonts that fell through to the empty-200 answer."""
        with self._lock:
            return [f for f in self.fallthrough if f.is_asset]

    def assert_no_missing_assets(self) -> None:
        missing = self.missing_assets()
        assert not missing, (
            "CDN assets without a local copy (add them to tests/e2e/package.json and "
            "tests/e2e/assets.py):\n" + "\n".join(f"  [{m.resource_type}] {m.url}" for m in missing)
        )

    def summary(self) -> str:
        with self._lock:
            return (
                f"served {len(self.served)} from node_modules, {len(self.generated)} generated, "
                f"{len(self.tiles)} blank tiles, {len(self.stubbed)} placeholders, {len(self.not_found)} known 404s, "
                f"{len(self.fallthrough)} empty 200s"
            )


def _guess_type_for_url(url: str) -> str:
    path = Path(urlsplit(url).path)
    return content_type_for(path) if path.suffix else "text/plain"
