"""The browser tests' network: cut. Only the Streamlit server on loopback answers.

``NetworkCut.handle`` is installed on every test context (``context.route("**/*", ...)``):

* requests to 127.0.0.1 / localhost / ::1 and the browser's own schemes (data:, blob:,
  file:, about:) go through;
* every other request is aborted ("internet disconnected") and recorded in ``attempts``;
* with ``tiles_online = True`` the tile servers of the app's basemaps answer instead, with a
  generated tile, as the internet would (the tests cannot reach them): the test then checks
  that an online basemap still asks for its tiles, and shows them.

``assert_offline()`` fails a test when a page tried to reach anything outside loopback;
``assert_offline(allow_tiles=True)`` lets basemap tiles through (an online basemap chosen).
"""

from __future__ import annotations

import re
import struct
import threading
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from incidents.mapping import BASEMAPS

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # conftest skips the browser tests without playwright
    PlaywrightError = Exception

__all__ = ["TILE_PNG", "Attempt", "NetworkCut", "is_local", "is_tile"]

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _tile_pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching the URLs of an xyzservices tile template."""
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(
        ("[a-z0-9]+" if part == "{s}" else r"\d+" if part in ("{x}", "{y}", "{z}") else "[^/]*")
        if part.startswith("{") else re.escape(part)
        for part in parts
    )
    return re.compile("^" + regex.replace("https", "https?", 1) + r"(\?.*)?$")


#: The tile URLs of every online basemap the app offers.
TILE_PATTERNS = tuple(
    _tile_pattern(provider.build_url(scale_factor="{r}").replace("{r}", ""))
    for _, provider in BASEMAPS.values() if provider is not None
)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True  # data:, blob:, file:, about: never leave the machine
    return (parts.hostname or "") in LOCAL_HOSTS


def is_tile(url: str) -> bool:
    """A tile of one of the app's online basemaps."""
    return any(p.match(url) for p in TILE_PATTERNS)


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


#: What a "tile server" answers when ``tiles_online``: a light beige 256 px tile.
TILE_PNG = _png(256, 256, (236, 229, 214))


@dataclass(frozen=True)
class Attempt:
    """A request to outside the machine."""

    url: str
    resource_type: str
    tile: bool


@dataclass
class NetworkCut:
    """Playwright route handler: loopback only; records every other attempt."""

    tiles_online: bool = False
    attempts: list[Attempt] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def handle(self, route) -> None:  # route: playwright.sync_api.Route
        request = route.request
        url = request.url
        try:
            if is_local(url):
                route.continue_()
                return
            tile = is_tile(url)
            with self._lock:
                self.attempts.append(Attempt(url, request.resource_type, tile))
            if tile and self.tiles_online:
                route.fulfill(status=200, body=TILE_PNG, content_type="image/png",
                              headers={"access-control-allow-origin": "*"})
            else:
                route.abort("internetdisconnected")
        except PlaywrightError:  # the page or context closed meanwhile
            pass

    @property
    def tiles(self) -> list[str]:
        return [a.url for a in self.attempts if a.tile]

    def outside(self, *, allow_tiles: bool = False) -> list[Attempt]:
        """The attempts that are not allowed: all, or all but basemap tiles."""
        return [a for a in self.attempts if not (allow_tiles and a.tile)]

    def assert_offline(self, *, allow_tiles: bool = False) -> None:
        """Fail if a page tried to reach the internet (but for tiles when ``allow_tiles``)."""
        bad = self.outside(allow_tiles=allow_tiles)
        assert not bad, "requests to outside the machine:\n" + "\n".join(
            f"  {a.resource_type}: {a.url}" for a in bad[:20])

    def assert_no_missing_assets(self) -> None:
        """Fail if a page tried to load anything but basemap tiles from outside (the name the
        tests used while CDN files were answered from node_modules)."""
        self.assert_offline(allow_tiles=True)
