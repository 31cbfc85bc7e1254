"""The online fallback: any geopy geocoder (Nominatim by default), off unless configured.

The network call is geopy's; ``incidents.geocoding.transport`` adds what a batch over a public
service needs (the provider's rate limit with an injectable clock and sleep, retries with
exponential backoff honouring ``Retry-After``), and this module a short "service is down"
pause so that a batch with no network fails fast instead of waiting out a timeout per row.
Caching is not done here: ``incidents.geocoding.cache`` owns it.
"""

from __future__ import annotations

import inspect
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from geopy import exc as geopy_exc
from geopy.geocoders import get_geocoder_for_service

from incidents.errors import GeocoderConfigError, GeocoderUnavailable, GeocodingError
from incidents.geocoding.model import GeoResult
from incidents.geocoding.transport import (
    MAX_ANSWER_BYTES,
    BackoffRateLimiter,
    CappedURLLibAdapter,
    is_retryable,
    retry_after_seconds,
)

__all__ = [
    "ENV_PREFIX",
    "MAX_ANSWER_BYTES",
    "BackoffRateLimiter",
    "CappedURLLibAdapter",
    "GeocoderConfig",
    "OnlineGeocoder",
    "nominatim_precision",
    "retry_after_seconds",
]


ENV_PREFIX = "INCIDENTS_GEOCODER"


_PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"


_OFF = {"", "0", "off", "none", "false", "no", "offline"}


@dataclass(frozen=True)
class GeocoderConfig:
    """How to geocode online; the default (no provider) is offline only.

    ``provider`` is a geopy service name ("nominatim", "photon", "arcgis" ...). Nominatim's
    usage policy asks for at most one request per second and a user agent that identifies the
    application; both are enforced for the public server.
    """

    provider: str | None = None
    user_agent: str | None = None
    domain: str | None = None
    scheme: str | None = None
    timeout: float = 10.0
    min_delay_seconds: float = 1.0
    max_retries: int = 2
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 60.0
    down_seconds: float = 60.0  # after the service is unreachable, stay offline this long
    max_pause_seconds: float = 900.0  # a Retry-After never switches it off for longer
    online_below: float = 0.5  # ask online only when the offline confidence is lower
    api_key: str | None = None
    user_places: str | None = None  # CSV of the user's own places (name,latitude,longitude,...)
    options: tuple[tuple[str, str], ...] = field(default=())

    @property
    def enabled(self) -> bool:
        """Whether an online provider is configured."""
        return bool(self.provider)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GeocoderConfig:
        """Return the configuration from $INCIDENTS_GEOCODER* environment variables.

        INCIDENTS_GEOCODER (provider, e.g. ``nominatim``; unset or ``off`` = offline),
        INCIDENTS_GEOCODER_USER_AGENT, INCIDENTS_GEOCODER_URL (``http://127.0.0.1:8080``, sets
        domain and scheme) or INCIDENTS_GEOCODER_DOMAIN/_SCHEME, INCIDENTS_GEOCODER_TIMEOUT,
        INCIDENTS_GEOCODER_MIN_DELAY, INCIDENTS_GEOCODER_MAX_RETRIES,
        INCIDENTS_GEOCODER_ONLINE_BELOW, INCIDENTS_GEOCODER_API_KEY, INCIDENTS_USER_PLACES.
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(f"{ENV_PREFIX}_{name}" if name else ENV_PREFIX)
            return value.strip() if value and value.strip() else None

        provider = (get("") or "").lower()
        domain, scheme = get("DOMAIN"), get("SCHEME")
        url = get("URL")
        if url:
            parts = urlsplit(url if "://" in url else f"https://{url}")
            domain = parts.netloc + parts.path.rstrip("/")
            scheme = parts.scheme
        try:
            numbers = {
                "timeout": float(get("TIMEOUT") or cls.timeout),
                "min_delay_seconds": float(get("MIN_DELAY") or cls.min_delay_seconds),
                "max_retries": int(get("MAX_RETRIES") or cls.max_retries),
                "online_below": float(get("ONLINE_BELOW") or cls.online_below),
            }
        except ValueError as exc:
            raise GeocoderConfigError(f"bad {ENV_PREFIX}_* number: {exc}") from exc
        return cls(
            provider=None if provider in _OFF else provider,
            user_agent=get("USER_AGENT"),
            domain=domain,
            scheme=scheme,
            api_key=get("API_KEY"),
            user_places=env.get("INCIDENTS_USER_PLACES") or None,
            **numbers,
        )

    @property
    def is_public_nominatim(self) -> bool:
        """Whether this points at the OpenStreetMap Foundation's Nominatim server."""
        return self.provider == "nominatim" and (self.domain or _PUBLIC_NOMINATIM).endswith(
            _PUBLIC_NOMINATIM
        )

    def checked(self) -> GeocoderConfig:
        """Return the config with the provider's policy applied; raise if it cannot be met."""
        if not self.enabled:
            return self
        agent = (self.user_agent or "").strip()
        if self.provider == "nominatim" and (not agent or agent.lower().startswith("geopy")):
            raise GeocoderConfigError(
                "Nominatim needs a user agent that identifies this application, e.g. "
                f"{ENV_PREFIX}_USER_AGENT='incident-atlas/1.0 (you@example.org)'"
            )
        if self.is_public_nominatim and self.min_delay_seconds < 1.0:
            # https://operations.osmfoundation.org/policies/nominatim/: 1 request/second.
            return replace(self, min_delay_seconds=1.0)
        return self


_SITE_CLASSES = {"aeroway", "amenity", "building", "military", "tourism", "shop", "office",
                 "leisure", "man_made", "historic", "railway", "craft", "emergency", "healthcare",
                 "power", "landuse"}


_NEIGHBOURHOOD_TYPES = {"suburb", "neighbourhood", "quarter", "city_block", "borough",
                        "residential", "city_district", "district"}


_TOWN_TYPES = {"city", "town", "village", "hamlet", "locality", "isolated_dwelling",
               "municipality"}


def nominatim_precision(raw: Mapping) -> str:
    """Return the precision class of a Nominatim answer (``raw`` JSON of one place)."""
    cls = str(raw.get("class") or raw.get("category") or "")
    kind = str(raw.get("type") or "")
    address_type = str(raw.get("addresstype") or "")
    try:
        rank = int(raw.get("place_rank") or 0)
    except (TypeError, ValueError):
        rank = 0
    if address_type == "country" or kind == "country" or (rank and rank <= 4):
        return "country"
    if kind in _NEIGHBOURHOOD_TYPES or address_type in _NEIGHBOURHOOD_TYPES:
        return "neighbourhood"
    if cls in _SITE_CLASSES and kind not in _TOWN_TYPES:
        return "site"
    if kind in _TOWN_TYPES or address_type in _TOWN_TYPES:
        return "town"
    if address_type in {"state", "region", "province"} or (rank and rank <= 9):
        return "admin1"
    if address_type in {"county", "state_district"} or (rank and rank <= 12):
        return "admin2"
    if rank and rank <= 20:
        return "town"
    if rank and rank <= 24:
        return "neighbourhood"
    return "site" if rank else "town"


def _checked_point(location, raw: Mapping) -> tuple[float | None, float | None]:
    """Return the answer's point when it is two finite numbers in range, else (None, None).

    The raw answer is checked too: geopy wraps a longitude of 200 to -160 without a word.
    """
    pairs = [(location.latitude, location.longitude)]
    if "lat" in raw or "lon" in raw:
        pairs.append((raw.get("lat"), raw.get("lon")))
    for lat, lon in pairs:
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            return None, None
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90
                and -180 <= lon <= 180):
            return None, None
    return float(location.latitude), float(location.longitude)


class OnlineGeocoder:
    """One configured geopy geocoder behind a rate limiter, with retries and a down-pause.

    ``lookup`` returns a ``GeoResult`` (geocoder ``online``) or None for a miss, and raises
    ``GeocoderUnavailable`` when the service cannot answer now (network down, timeouts,
    rate-limited beyond the retries) and ``GeocodingError`` when it refuses the request.
    """

    def __init__(
        self,
        config: GeocoderConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        geocoder=None,
    ) -> None:
        self.config = config.checked()
        if not self.config.enabled and geocoder is None:
            raise GeocoderConfigError("no online geocoder configured")
        self._geocoder = geocoder if geocoder is not None else self._build(self.config)
        self._clock = clock
        self._down_until: float | None = None
        self.last_error: str | None = None
        self._limited = BackoffRateLimiter(
            self._geocoder.geocode,
            min_delay_seconds=self.config.min_delay_seconds,
            max_retries=self.config.max_retries,
            backoff_seconds=self.config.backoff_seconds,
            max_backoff_seconds=self.config.max_backoff_seconds,
            clock=clock,
            sleep=sleep,
        )
        params = inspect.signature(self._geocoder.geocode).parameters
        self._country_param = next(
            (p for p in ("country_codes", "country") if p in params), None
        )

    @property
    def name(self) -> str:
        """The provider name, part of every cache key."""
        return self.config.provider or type(self._geocoder).__name__.lower()

    @staticmethod
    def _build(config: GeocoderConfig):
        try:
            cls = get_geocoder_for_service(config.provider)
        except geopy_exc.GeocoderNotFound as exc:
            raise GeocoderConfigError(f"unknown geocoder {config.provider!r}") from exc
        kwargs: dict = {"timeout": config.timeout}
        params = inspect.signature(cls.__init__).parameters
        if "adapter_factory" in params:
            # urllib's adapter makes exactly one request per call: retries, their backoff and
            # Retry-After are ours (requests' adapter would retry 429/503 itself, sleeping
            # for real and invisibly to the rate limiter).
            kwargs["adapter_factory"] = CappedURLLibAdapter
        for name, value in (("user_agent", config.user_agent), ("domain", config.domain),
                            ("scheme", config.scheme), ("api_key", config.api_key)):
            if value is not None and name in params:
                kwargs[name] = value
        kwargs.update(dict(config.options))
        try:
            return cls(**kwargs)
        except (TypeError, geopy_exc.ConfigurationError) as exc:
            raise GeocoderConfigError(f"cannot configure {config.provider}: {exc}") from exc

    @property
    def available(self) -> bool:
        """False while the service is paused after failing to answer."""
        return self._down_until is None or self._clock() >= self._down_until

    def lookup(self, query: str, country: str | None = None) -> GeoResult | None:
        """Return the provider's answer for ``query`` or None when it finds nothing."""
        if not self.available:
            raise GeocoderUnavailable(f"{self.name} is paused after an error: {self.last_error}")
        kwargs: dict = {"exactly_one": True}
        if country and self._country_param:
            kwargs[self._country_param] = country.lower()
        try:
            location = self._limited(query, **kwargs)
        except geopy_exc.GeocoderServiceError as exc:
            if is_retryable(exc):
                self.last_error = f"{type(exc).__name__}: {exc}"
                pause = max(self.config.down_seconds, retry_after_seconds(exc) or 0)
                self._down_until = self._clock() + min(pause, self.config.max_pause_seconds)
                raise GeocoderUnavailable(f"{self.name} unavailable: {exc}") from exc
            raise GeocodingError(f"{self.name} refused the query: {exc}") from exc
        except geopy_exc.GeopyError as exc:
            raise GeocodingError(f"{self.name} failed: {exc}") from exc
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # geopy builds the point from the answer: "lat": "abc" or 200 raises here
            raise GeocodingError(f"{self.name} answered with no usable point: {exc}") from exc
        self._down_until = None
        if location is None:
            return None
        raw = getattr(location, "raw", None) or {}
        latitude, longitude = _checked_point(location, raw)
        if latitude is None:
            raise GeocodingError(f"{self.name} answered with a point that is not a coordinate "
                                 f"({raw.get('lat')!r}, {raw.get('lon')!r})"[:200])
        precision = nominatim_precision(raw) if raw else "town"
        osm = (raw.get("osm_type"), raw.get("osm_id"))
        place_id = (f"osm:{osm[0]}/{osm[1]}" if all(osm)
                    else f"{self.name}:{raw.get('place_id', '')}")
        importance = raw.get("importance")
        try:
            confidence = 0.6 + 0.3 * min(1.0, float(importance))
        except (TypeError, ValueError):
            confidence = 0.7
        return GeoResult(
            query=query,
            country_hint=country,
            latitude=latitude,
            longitude=longitude,
            geo_precision=precision,
            matched_name=location.address,
            place_id=place_id,
            confidence=round(confidence, 3),
            geocoder="online",
            country=(raw.get("address") or {}).get("country_code", "").upper() or None,
        )
