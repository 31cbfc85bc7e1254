"""The maps' browser libraries, vendored under ``static/vendor``: which files, and how a map gets them.

No map of the app loads anything from the internet but basemap tiles. Every script and style
sheet a map needs is a file of ``static/vendor`` (fetched at pinned versions by
``tools/fetch_vendor.py``, committed) and reaches the browser in one of two ways:

* ``localise(element, base)``: as links under ``base``. The app passes ``APP_STATIC_BASE``, a
  URL relative to the streamlit-folium frame (``<baseUrlPath>/component/<name>/index.html``),
  so that Streamlit's static serving (``server.enableStaticServing``) answers it under any
  ``baseUrlPath`` and behind any reverse proxy.
* ``inline_assets(map)``: copied into the page itself (images of style sheets as data: URLs),
  for files that must work alone, from ``file://``, with no network (the HTML export).

Elements declare their files as paths under ``static/`` (``vendor/leaflet-1.9.3/leaflet.js``);
folium's own CDN URLs are mapped to the vendored copy or dropped when the maps do not use them
(jQuery, Bootstrap, Font Awesome, awesome-markers). Any other remote URL is an ``AssetError``:
a new plugin must be vendored before it can be used. streamlit-folium 0.27.4 itself serves its
frame's bundle from the Python package (local) and adds only d3 from CDNs, for a branca
colormap, which no map here has.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from branca.element import Element
from folium.elements import JSCSSMixin

from incidents.errors import IncidentsError
from incidents.paths import STATIC_DIR

__all__ = [
    "APP_STATIC_BASE",
    "HEAT_JS",
    "LEAFLET_CSS",
    "LEAFLET_JS",
    "MARKERCLUSTER_CSS",
    "MARKERCLUSTER_JS",
    "STATIC_DIR",
    "TIMELINE_JS",
    "VENDOR_DIR",
    "VENDOR_PACKAGES",
    "AssetError",
    "VendorPackage",
    "inline_assets",
    "localise",
    "map_assets",
]

VENDOR_DIR = STATIC_DIR / "vendor"

#: Where the streamlit-folium frame finds ``static/``: Streamlit serves it at
#: ``<baseUrlPath>/app/static/`` and the frame's document is
#: ``<baseUrlPath>/component/streamlit_folium.st_folium/index.html``.
APP_STATIC_BASE = "../../app/static/"


class AssetError(IncidentsError):
    """A map needs a browser file that is not vendored (or the vendored copy is missing)."""


@dataclass(frozen=True)
class VendorPackage:
    """One vendored library: where it comes from, its licence and the files kept."""

    name: str  # the npm package
    version: str
    licence: str
    homepage: str
    #: npm's ``dist.integrity`` of the package tarball; ``tools/fetch_vendor.py`` checks it.
    integrity: str
    #: (path in the npm tarball, path under the package's folder of static/vendor).
    files: tuple[tuple[str, str], ...]
    #: Where the files come from when not from the npm tarball itself (see ``source_note``).
    source: str = "npm"
    source_note: str = ""

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"

    def path(self, file: str) -> str:
        """Return ``file`` of this package as a path under ``static/``."""
        return f"vendor/{self.folder}/{file}"


def _vendor_packages() -> tuple[VendorPackage, ...]:
    """Every vendored library, in load order, from the manifest ``vendor.json``."""
    with open(Path(__file__).with_name("vendor.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    return tuple(VendorPackage(**{**p, "files": tuple(tuple(f) for f in p["files"])})
                 for p in manifest["packages"])


#: Every vendored library, in load order.
VENDOR_PACKAGES: tuple[VendorPackage, ...] = _vendor_packages()
LEAFLET, MARKERCLUSTER, HEAT, TIMELINE = VENDOR_PACKAGES

LEAFLET_JS = [("leaflet", LEAFLET.path("leaflet.js"))]
LEAFLET_CSS = [("leaflet_css", LEAFLET.path("leaflet.css"))]
MARKERCLUSTER_JS = [("markerclusterjs", MARKERCLUSTER.path("leaflet.markercluster.js"))]
MARKERCLUSTER_CSS = [
    ("markerclustercss", MARKERCLUSTER.path("MarkerCluster.css")),
    ("markerclusterdefaultcss", MARKERCLUSTER.path("MarkerCluster.Default.css")),
]
HEAT_JS = [("leaflet-heat.js", HEAT.path("leaflet-heat.js"))]
TIMELINE_JS = [("timeline", TIMELINE.path("leaflet.timeline.js"))]

#: folium 0.20's CDN URLs -> the vendored file, or None: not used by any map here, dropped.
#: (Bootstrap, Font Awesome, jQuery and awesome-markers style folium.Marker icons and popups
#: of folium plugins this project does not use; Moment.js only formats the export's dates,
#: which plain JavaScript does.)
_CDN = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": LEAFLET_JS[0][1],
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": LEAFLET_CSS[0][1],
    "https://code.jquery.com/jquery-3.7.1.min.js": None,
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": None,
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": None,
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": None,
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": None,
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js":
        None,
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css":
        None,
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css":
        None,
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js":
        MARKERCLUSTER_JS[0][1],
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css":
        MARKERCLUSTER_CSS[0][1],
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css":
        MARKERCLUSTER_CSS[1][1],
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js":
        HEAT_JS[0][1],
    "https://cdn.jsdelivr.net/npm/leaflet.timeline@1.6.0/dist/leaflet.timeline.min.js":
        TIMELINE_JS[0][1],
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": None,
}
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def _vendored(url: str) -> str | None:
    """Return the path under ``static/`` serving ``url``, None to drop it; raise if unknown."""
    if url in _CDN:
        return _CDN[url]
    if url.startswith(("vendor/", "atlas/")) and not _REMOTE.match(url):
        return url  # vendored, or published by the app (static_data) under static/atlas
    raise AssetError(f"no vendored copy of {url}: add it to incidents/mapping/assets.py and "
                     "run tools/fetch_vendor.py")


def _elements(element) -> Iterator:
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from _elements(child)


def map_assets(element) -> tuple[list[str], list[str]]:
    """Return the scripts and style sheets ``element`` and its children need, as paths under
    ``static/``, in load order and without duplicates."""
    js: dict[str, None] = {}
    css: dict[str, None] = {}
    for el in _elements(element):
        if isinstance(el, JSCSSMixin):
            for _, url in el.default_js:
                if (path := _vendored(url)) is not None:
                    js.setdefault(path)
            for _, url in el.default_css:
                if (path := _vendored(url)) is not None:
                    css.setdefault(path)
    return list(js), list(css)


def localise(element, base: str = APP_STATIC_BASE):
    """Point every script and style sheet of ``element``'s tree at the vendored copy under
    ``base`` (the URL of ``static/``); drop the ones no map uses. Returns ``element``."""
    for el in _elements(element):
        if isinstance(el, JSCSSMixin):
            el.default_js = [(name, base + path) for name, url in el.default_js
                             if (path := _vendored(url)) is not None]
            el.default_css = [(name, base + path) for name, url in el.default_css
                              if (path := _vendored(url)) is not None]
    return element


def _read(path: str) -> str:
    file = STATIC_DIR / path
    try:
        return file.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssetError(f"vendored file {file} is missing: run tools/fetch_vendor.py") from exc


_CSS_URL = re.compile(r"url\((['\"]?)([^'\")]+)\1\)")


def _css_with_data_urls(path: str) -> str:
    """Return a style sheet with the images it refers to inlined as data: URLs."""
    folder = (STATIC_DIR / path).parent

    def inline(match: re.Match) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        file = (folder / ref.split("?")[0].split("#")[0]).resolve()
        if not file.is_relative_to(VENDOR_DIR) or not file.is_file():
            raise AssetError(f"{path} refers to {ref}, which is not vendored")
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return f'url("data:{kind};base64,{base64.b64encode(file.read_bytes()).decode()}")'

    return _CSS_URL.sub(inline, _read(path))


def _script_text(path: str) -> str:
    text = _read(path)
    # "</script" would end the element early; in the vendored files it never occurs, but a new
    # version could bring one in: escaping it is safe inside strings and regular expressions.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def inline_assets(m):
    """Copy every script and style sheet ``m`` needs into its page (no link left); return ``m``.

    The page then works from ``file://`` with no network (but for basemap tiles).
    """
    js, css = map_assets(m)
    for el in _elements(m):
        if isinstance(el, JSCSSMixin):
            el.default_js, el.default_css = [], []
    parts = [f"<style>/* {p} */\n{_css_with_data_urls(p)}\n</style>" for p in css]
    parts += [f"<script>/* {p} */\n{_script_text(p)}\n</script>" for p in js]
    m.get_root().header.add_child(Element("\n".join(parts)), name="vendored_assets")
    return m
