"""The online fallback against a local fake Nominatim on 127.0.0.1 (never the real service).

The fake server answers like Nominatim's /search: a JSON list of places, [] for a miss, 429
with Retry-After, 503, and slow answers. Time is a fake clock whose sleep only advances it, so
rate limiting and backoff are checked without waiting.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from incidents.db import get_engine
from incidents.errors import GeocoderConfigError, GeocoderUnavailable
from incidents.geocoding import (
    Gazetteer,
    Geocoder,
    GeocoderConfig,
    OnlineGeocoder,
    Place,
    nominatim_precision,
)
from incidents.geocoding.normalize import name_keys
from incidents.store import ensure_schema

HIT = {
    "place_id": 1, "osm_type": "node", "osm_id": 42, "lat": "12.6100", "lon": "-7.9600",
    "class": "amenity", "type": "school", "place_rank": 30, "importance": 0.2,
    "addresstype": "amenity", "display_name": "École de gendarmerie, Faladié, Bamako, Mali",
}
VILLAGE = {
    "place_id": 2, "osm_type": "node", "osm_id": 43, "lat": "15.2", "lon": "1.3",
    "class": "place", "type": "village", "place_rank": 19, "importance": 0.3,
    "addresstype": "village", "display_name": "Inatès, Tillabéri, Niger",
}


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers /search by the query text: hit*, village*, busy*, broken*, slow*, else a miss."""

    calls: ClassVar[list[str]] = []
    busy_left: ClassVar[dict[str, int]] = {"n": 0}

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        params = parse_qs(urlsplit(self.path).query)
        query = params.get("q", [""])[0]
        type(self).calls.append(query)
        if not self.path.startswith("/search"):
            return self._send(404, b"not found")
        if "geopy" in self.headers.get("User-Agent", "").lower():
            return self._send(403, b"use a real user agent")
        if query.startswith("busy") and self.busy_left["n"] > 0:
            self.busy_left["n"] -= 1
            return self._send(429, b"slow down", {"Retry-After": "3"})
        if query.startswith("broken"):
            return self._send(503, b"down for maintenance")
        if query.startswith("fivehundred"):
            return self._send(500, b"internal error")
        if query.startswith("forever"):
            return self._send(429, b"go away", {"Retry-After": "99999"})
        if query.startswith("nanlat"):
            return self._json([{**HIT, "lat": "abc"}])
        if query.startswith("farlat"):
            return self._json([{**HIT, "lat": "95.5"}])
        if query.startswith("farlon"):
            return self._json([{**HIT, "lon": "200"}])
        if query.startswith("huge"):
            return self._send(200, b"[" + b" " * (3 * 1024 * 1024) + b"]",
                              {"Content-Type": "application/json"})
        if query.startswith("garbage"):
            return self._send(200, b"<html>not json at all", {"Content-Type": "text/html"})
        if query.startswith("slow"):
            time.sleep(0.6)
        if query.startswith(("hit", "busy", "slow")):
            return self._json([HIT])
        if query.startswith("village"):
            return self._json([VILLAGE])
        return self._json([])

    def _json(self, payload):
        self._send(200, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def _send(self, status, body, headers=None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may have timed out first: that is what the slow answer tests.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture()
def server():
    FakeNominatim.calls = []
    FakeNominatim.busy_left = {"n": 0}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


class FakeClock:
    """A clock that only moves when slept on: tests never wait."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture()
def clock():
    return FakeClock()


def _config(server, **changes) -> GeocoderConfig:
    host, port = server.server_address
    values = {
        "provider": "nominatim", "user_agent": "incident-atlas-tests/1.0 (test@example.org)",
        "domain": f"{host}:{port}", "scheme": "http", "timeout": 0.3, "min_delay_seconds": 1.0,
        "max_retries": 2, "backoff_seconds": 2.0, "online_below": 0.5,
    }
    values.update(changes)
    return GeocoderConfig(**values)


@pytest.fixture()
def tiny() -> Gazetteer:
    return Gazetteer([
        Place(pid="gn:1", name="Capitalia", fclass="P", code="PPLC", cc="ML", admin1="01",
              lat=12.65, lon=-8.0, population=1_000_000, keys=name_keys("Capitalia")),
    ])


@pytest.fixture()
def engine(tmp_path):
    eng = get_engine("sqlite:///" + str(tmp_path / "online.sqlite"))
    ensure_schema(eng)
    yield eng
    eng.dispose()


# -- configuration -------------------------------------------------------------------------------

def test_config_from_env_reads_url_and_defaults_offline():
    assert not GeocoderConfig.from_env({}).enabled
    assert not GeocoderConfig.from_env({"INCIDENTS_GEOCODER": "off"}).enabled
    config = GeocoderConfig.from_env({
        "INCIDENTS_GEOCODER": "Nominatim",
        "INCIDENTS_GEOCODER_USER_AGENT": "atlas/1.0",
        "INCIDENTS_GEOCODER_URL": "http://127.0.0.1:8123",
        "INCIDENTS_GEOCODER_TIMEOUT": "3",
    })
    assert config.enabled and config.provider == "nominatim"
    assert (config.domain, config.scheme, config.timeout) == ("127.0.0.1:8123", "http", 3.0)


def test_nominatim_needs_a_real_user_agent_and_public_rate_limit():
    with pytest.raises(GeocoderConfigError):
        OnlineGeocoder(GeocoderConfig(provider="nominatim"))
    with pytest.raises(GeocoderConfigError):
        OnlineGeocoder(GeocoderConfig(provider="nominatim", user_agent="geopy/2.5"))
    public = GeocoderConfig(provider="nominatim", user_agent="atlas/1.0", min_delay_seconds=0.1)
    assert public.checked().min_delay_seconds == 1.0


def test_unknown_provider_is_a_config_error():
    with pytest.raises(GeocoderConfigError):
        OnlineGeocoder(GeocoderConfig(provider="no-such-geocoder", user_agent="atlas/1.0"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(HIT, "site"), (VILLAGE, "town"),
     ({"class": "place", "type": "suburb", "place_rank": 19}, "neighbourhood"),
     ({"class": "boundary", "type": "administrative", "addresstype": "state",
       "place_rank": 8}, "admin1"),
     ({"class": "boundary", "type": "administrative", "addresstype": "country",
       "place_rank": 4}, "country"),
     ({"class": "aeroway", "type": "aerodrome", "place_rank": 30}, "site")],
)
def test_nominatim_precision(raw, expected):
    assert nominatim_precision(raw) == expected


# -- the live path against the fake server ----------------------------------------------------

def test_hit_is_returned_and_cached(server, clock, tiny, engine):
    geocoder = Geocoder(tiny, config=_config(server), engine=engine, clock=clock,
                        sleep=clock.sleep)
    result = geocoder.resolve("hit: gendarmerie school, Faladié", "ML")
    assert result.geocoder == "online" and result.found
    assert (result.latitude, result.longitude, result.geo_precision) == (12.61, -7.96, "site")
    assert result.place_id == "osm:node/42"
    assert len(FakeNominatim.calls) == 1
    # The same text (folded the same way) is never sent again, even by a new geocoder.
    again = Geocoder(tiny, config=_config(server), engine=engine, clock=clock, sleep=clock.sleep)
    assert again.resolve("HIT: gendarmerie school, Faladie", "ml").latitude == 12.61
    assert len(FakeNominatim.calls) == 1


def test_miss_is_cached_too(server, clock, tiny, engine):
    geocoder = Geocoder(tiny, config=_config(server), engine=engine, clock=clock,
                        sleep=clock.sleep)
    first = geocoder.resolve("nothing anywhere", "NE")
    assert not first.found and first.latitude is None
    assert geocoder.resolve("nothing anywhere", "NE").latitude is None
    assert FakeNominatim.calls == ["nothing anywhere"]


def test_confident_offline_answer_sends_nothing(server, clock, tiny, engine):
    geocoder = Geocoder(tiny, config=_config(server), engine=engine, clock=clock,
                        sleep=clock.sleep)
    assert geocoder.resolve("Capitalia", "ML").geocoder == "gazetteer"
    assert FakeNominatim.calls == []


def test_offline_flag_sends_nothing(server, clock, tiny):
    geocoder = Geocoder(tiny, config=_config(server), clock=clock, sleep=clock.sleep)
    assert not geocoder.resolve("hit: somewhere", offline=True).found
    assert FakeNominatim.calls == []


def test_rate_limit_spaces_requests(server, clock, tiny):
    geocoder = Geocoder(tiny, config=_config(server), clock=clock, sleep=clock.sleep)
    geocoder.resolve("hit one")
    geocoder.resolve("hit two")
    geocoder.resolve("village three")
    assert len(FakeNominatim.calls) == 3
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(1.0)]


def test_429_is_retried_after_the_asked_delay(server, clock, tiny):
    FakeNominatim.busy_left = {"n": 1}
    geocoder = Geocoder(tiny, config=_config(server), clock=clock, sleep=clock.sleep)
    result = geocoder.resolve("busy but fine")
    assert result.geocoder == "online" and result.found
    assert len(FakeNominatim.calls) == 2
    assert max(clock.sleeps) >= 3.0  # Retry-After: 3 beats the 2 s first backoff


def test_5xx_backs_off_then_falls_back_offline_and_says_so(server, clock, tiny):
    geocoder = Geocoder(tiny, config=_config(server), clock=clock, sleep=clock.sleep)
    result = geocoder.resolve("broken service")
    assert not result.found
    assert any("unavailable" in note for note in result.notes)
    assert len(FakeNominatim.calls) == 3  # first try + 2 retries
    assert clock.sleeps[-2:] == [2.0, 4.0]  # exponential backoff
    assert "unavailable" in geocoder.status()
    # While paused, nothing is sent: a batch fails fast instead of timing out per row.
    geocoder.resolve("broken again")
    assert len(FakeNominatim.calls) == 3
    # After the pause the service is tried again.
    clock.now += 120
    geocoder.resolve("village after the pause")
    assert FakeNominatim.calls[-1] == "village after the pause"


def test_slow_answer_times_out_and_offline_still_answers(server, clock, tiny):
    config = _config(server, max_retries=0, timeout=0.2, online_below=1.01)
    geocoder = Geocoder(tiny, config=config, clock=clock, sleep=clock.sleep)
    started = time.monotonic()
    result = geocoder.resolve("slow: Capitalia outskirts zzz", "ML")
    assert time.monotonic() - started < 2.0
    assert result.geocoder == "gazetteer" and result.found  # offline answer kept
    assert any("unavailable" in note for note in result.notes)


def test_network_down_raises_unavailable(clock):
    # A port nobody listens on: connection refused, no retries needed to prove the point.
    config = GeocoderConfig(provider="nominatim", user_agent="atlas-tests/1.0",
                            domain="127.0.0.1:9", scheme="http", timeout=0.5, max_retries=0)
    online = OnlineGeocoder(config, clock=clock, sleep=clock.sleep)
    with pytest.raises(GeocoderUnavailable):
        online.lookup("anything")
    assert not online.available


def test_online_answer_keeps_offline_alternatives(server, clock, tiny):
    geocoder = Geocoder(tiny, config=_config(server, online_below=1.01), clock=clock,
                        sleep=clock.sleep)
    result = geocoder.resolve("village of Capitalia")
    assert result.geocoder == "online"
    assert result.candidates and result.candidates[0].place_id == "gn:1"


@pytest.mark.parametrize("query", ["garbage answer town", "fivehundred town"])
def test_garbage_or_500_falls_back_offline_and_says_so(server, clock, tiny, query):
    geocoder = Geocoder(tiny, config=_config(server), clock=clock, sleep=clock.sleep)
    result = geocoder.resolve(query, "ML")
    assert result.latitude is None or result.geocoder != "online"
    assert "unavailable" in geocoder.status() or any("online" in n for n in result.notes)


# -- issue 11: hostile answers ---------------------------------------------------------------------


def test_a_huge_retry_after_neither_blocks_the_run_nor_switches_off_for_a_day(server, clock,
                                                                               tiny):
    geocoder = Geocoder(tiny, config=_config(server), clock=clock, sleep=clock.sleep)
    result = geocoder.resolve("forever busy", "ML")
    assert any("unavailable" in n for n in result.notes)
    assert len(FakeNominatim.calls) == 1 and sum(clock.sleeps) < 5  # no 2 x 60 s of waiting
    clock.now += 901  # paused at most 15 minutes, not 99,999 s
    geocoder.resolve("village after a while")
    assert FakeNominatim.calls[-1] == "village after a while"


@pytest.mark.parametrize("query", ["nanlat place", "farlat place", "farlon place",
                                   "huge answer"])
def test_answers_that_are_no_point_are_refused_not_crashed_on(server, clock, tiny, query):
    online = OnlineGeocoder(_config(server), clock=clock, sleep=clock.sleep)
    from incidents.errors import GeocodingError

    with pytest.raises(GeocodingError):
        online.lookup(query)
    geocoder = Geocoder(tiny, config=_config(server), clock=clock, sleep=clock.sleep)
    result = geocoder.resolve(query, "ML")  # the page and the CLI get an answer with a note
    assert result.geocoder != "online" and any("online" in n for n in result.notes)


def test_the_answer_is_read_with_a_size_cap(monkeypatch):
    import io

    from incidents.geocoding import online

    class Page(io.BytesIO):
        headers = type("H", (), {"get_content_charset": staticmethod(lambda: "utf-8")})()

    adapter = online.CappedURLLibAdapter(proxies=None, ssl_context=None)
    monkeypatch.setattr(online, "MAX_ANSWER_BYTES", 100)
    assert adapter._decode_page(Page(b"[]")) == "[]"
    page = Page(b"x" * 10_000)
    with pytest.raises(Exception, match="larger than"):
        adapter._decode_page(page)
    assert page.tell() <= 101  # not read whole
