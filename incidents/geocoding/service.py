"""The geocoder the app and the CLI use: corrections, then the offline index, then online.

``Geocoder.resolve`` answers one place text; ``geocode_batch`` many, with a progress callback;
``Geocoder.correct`` stores a manual point that wins from then on. Without an online
configuration (the default) nothing is ever sent to the internet.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import Engine

from incidents.errors import GeocoderUnavailable, GeocodingError
from incidents.geocoding import cache
from incidents.geocoding.gazetteer import Gazetteer, load_gazetteer
from incidents.geocoding.known import KNOWN_PLACES_ENV
from incidents.geocoding.known import known_places as read_known_places
from incidents.geocoding.model import Candidate, GeoResult
from incidents.geocoding.online import GeocoderConfig, OnlineGeocoder
from incidents.geocoding.resolver import OfflineResolver
from incidents.i18n import gettext, ngettext

__all__ = ["RESULT_COLUMNS", "Geocoder", "ProgressCallback", "geocode_batch"]

#: progress(done, total) after each item of a batch.
ProgressCallback = Callable[[int, int], None]

#: Columns a batch adds to each row.
RESULT_COLUMNS: tuple[str, ...] = (
    "latitude", "longitude", "geo_precision", "matched_name", "geocoder", "confidence",
)


class Geocoder:
    """Turn place text into a ``GeoResult``: manual corrections, offline index, online fallback.

    Parameters
    ----------
    gazetteer
        The offline index; default: the shipped one plus ``config.user_places``.
    config
        Online configuration; default ``GeocoderConfig()``, which is offline only. The app and
        the CLI pass ``GeocoderConfig.from_env()``.
    engine
        Database for the corrections and the online cache; without one, corrections are off and
        online answers are cached in memory only.
    online
        An ``OnlineGeocoder`` to use instead of building one from ``config`` (a test seam).
    clock, sleep
        Time functions for the rate limiter and backoff, injectable so tests never wait.
    known_places
        Also use the points of incidents already in ``engine`` as candidates ("places your
        data already knows", see ``incidents.geocoding.known``); off by default.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        config: GeocoderConfig | None = None,
        engine: Engine | None = None,
        online: OnlineGeocoder | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        known_places: bool = False,
    ) -> None:
        self.config = config or GeocoderConfig()
        if gazetteer is None:
            gazetteer = load_gazetteer(user_places=self.config.user_places)
        self.known_places = 0
        if known_places and engine is not None:
            places, sources = read_known_places(engine)
            gazetteer = gazetteer.copy()  # the shared index stays as shipped
            self.resolver = OfflineResolver(gazetteer)
            self.known_places = self.resolver.add_known_places(places, sources)
        else:
            self.resolver = OfflineResolver(gazetteer)
        self.engine = engine
        if online is None and self.config.enabled:
            online = OnlineGeocoder(self.config, clock=clock, sleep=sleep)
        self.online = online
        self._memory: dict[tuple[str, str, str], GeoResult] = {}

    @classmethod
    def from_env(
        cls, engine: Engine | None = None, *, offline: bool = False,
        user_places: str | Path | None = None, known_places: bool | None = None,
    ) -> Geocoder:
        """Return a geocoder configured from $INCIDENTS_GEOCODER* (``offline`` forces off;
        ``known_places`` None: on when $INCIDENTS_GEOCODER_KNOWN_PLACES is 1/true/yes)."""
        config = GeocoderConfig.from_env()
        if offline:
            config = replace(config, provider=None)
        if user_places:
            config = replace(config, user_places=str(user_places))
        if known_places is None:
            flag = os.environ.get(KNOWN_PLACES_ENV, "").strip().lower()
            known_places = flag in ("1", "true", "yes", "on")
        return cls(config=config, engine=engine, known_places=known_places)

    def capital(self, country: str | None) -> str | None:
        """Return the name of ``country``'s capital as the gazetteer knows it, else None."""
        return self.resolver.gazetteer.capital(country)

    # -- status ------------------------------------------------------------------------------
    @property
    def online_enabled(self) -> bool:
        """Whether an online fallback is configured."""
        return self.online is not None

    def status(self, lang: str = "en") -> str:
        """Return a one-line status for the user, in ``lang``: offline only, online, or online
        unavailable."""
        known = (ngettext(" and {n} place your data already knows",
                          " and {n} places your data already knows", self.known_places, lang)
                 if self.known_places else "")
        if self.online is None:
            return gettext("offline index{known} only (no online geocoder configured)", lang,
                           known=known)
        if not self.online.available:
            return gettext("online geocoder {name} unavailable ({error}); using the offline "
                           "index", lang, name=self.online.name, error=self.online.last_error)
        return gettext("offline index, then {name} online", lang, name=self.online.name)

    def warm(self) -> None:
        """Build lazily built indexes now (call once after loading, e.g. in the app)."""
        self.resolver.warm()

    # -- resolving ---------------------------------------------------------------------------
    def resolve(
        self, query: str, country: str | None = None, *, offline: bool = False,
        corrections: dict[tuple[str, str], GeoResult] | None = None,
    ) -> GeoResult:
        """Return the point for ``query`` (``country``: ISO alpha-2 hint or None).

        Order: a stored manual correction; the offline index; when that finds nothing or is
        less sure than ``config.online_below``, the cached or live online answer. ``offline``
        skips the online step for this call. A miss has no coordinates (never 0,0).
        ``corrections`` is the table ``load_corrections`` returned, for a batch that reads the
        database once instead of once per query. Every point gets its admin1/admin2 names.
        """
        text = (query or "").strip()
        hint = (country or "").strip().upper() or None
        if not text:
            return GeoResult.miss(query or "", hint, "empty place text")
        corrected = None
        if corrections is not None:
            corrected = cache.correction_from(corrections, text, hint)
        elif self.engine is not None:
            corrected = cache.get_correction(self.engine, text, hint)
        if corrected is not None:
            return self.resolver.with_admin(corrected)
        local = self.resolver.resolve(text, hint)
        if offline or self.online is None:
            return local
        if local.found and local.confidence >= self.config.online_below:
            return local
        return self.resolver.with_admin(self._with_online(text, hint, local))

    def load_corrections(self) -> dict[tuple[str, str], GeoResult] | None:
        """Return every manual correction, for a batch to pass to ``resolve`` (None: no
        database)."""
        return cache.load_corrections(self.engine) if self.engine is not None else None

    def _with_online(self, text: str, hint: str | None, local: GeoResult) -> GeoResult:
        provider = self.online.name
        answer = self._cached(provider, text, hint)
        if answer is None:
            try:
                live = self.online.lookup(text, hint)
            except GeocoderUnavailable as exc:
                note = f"online geocoder unavailable ({exc}); answer from the offline index"
                return local.with_notes(note)
            except GeocodingError as exc:  # a refused query or an answer that is not one
                note = f"online geocoder failed ({exc}); answer from the offline index"
                return local.with_notes(note)
            answer = live if live is not None else GeoResult.miss(text, hint)
            self._store(provider, text, hint, live)
        if not answer.found:
            return local.with_notes(f"{provider} found nothing; answer from the offline index")
        offline_alternatives: tuple[Candidate, ...] = ()
        if local.found:
            offline_alternatives = (
                Candidate(local.place_id or "", local.matched_name or "", local.latitude,
                          local.longitude, local.geo_precision or "", local.country or "",
                          "", local.confidence),
                *local.candidates,
            )
        return replace(answer, query=text, country_hint=hint,
                       candidates=(answer.candidates + offline_alternatives)[:6])

    def _cached(self, provider: str, text: str, hint: str | None) -> GeoResult | None:
        if self.engine is not None:
            return cache.cached_answer(self.engine, provider, text, hint)
        return self._memory.get((provider, *cache.cache_key(text, hint)))

    def _store(self, provider: str, text: str, hint: str | None, live: GeoResult | None) -> None:
        if self.engine is not None:
            cache.store_answer(self.engine, provider, text, hint, live)
        else:
            self._memory[(provider, *cache.cache_key(text, hint))] = (
                live if live is not None else GeoResult.miss(text, hint)
            )

    # -- corrections -------------------------------------------------------------------------
    def correct(self, query: str, country: str | None, latitude: float, longitude: float,
                geo_precision: str, matched_name: str | None = None,
                note: str | None = None) -> GeoResult:
        """Store a manual point for this place text; it wins over automatic answers from now on
        (``cache.save_correction`` checks and stores it)."""
        if self.engine is None:
            raise GeocoderUnavailable("corrections need a database: pass engine=")
        return cache.save_correction(self.engine, query, country, latitude, longitude,
                                     geo_precision, matched_name, note)

    def forget_correction(self, query: str, country: str | None) -> bool:
        """Delete the manual point stored for this place text and country; return if any."""
        if self.engine is None:
            return False
        return cache.delete_correction(self.engine, query, country)

    def corrections(self) -> list[dict]:
        """Return the stored manual corrections, newest first."""
        return cache.list_corrections(self.engine) if self.engine is not None else []


def geocode_batch(
    geocoder: Geocoder,
    items: Iterable[tuple[str, str | None]] | Sequence[tuple[str, str | None]],
    *,
    offline: bool = False,
    progress: ProgressCallback | None = None,
) -> list[GeoResult]:
    """Return one ``GeoResult`` per (query, country) item, in order.

    Repeated items are answered once, and the manual corrections are read from the database
    once for the whole batch. ``progress(done, total)`` is called after each item.
    """
    items = list(items)
    total = len(items)
    # Any object with ``resolve`` will do (a stub, an online-only geocoder): corrections are
    # read once when it can read them.
    load = getattr(geocoder, "load_corrections", None)
    corrections = load() if load is not None else None
    seen: dict[tuple[str, str | None], GeoResult] = {}
    out = []
    for done, (query, country) in enumerate(items, start=1):
        key = ((query or "").strip(), (country or "").strip().upper() or None)
        result = seen.get(key)
        if result is None:
            result = geocoder.resolve(query, country, offline=offline, corrections=corrections)
            seen[key] = result
        out.append(result)
        if progress is not None:
            progress(done, total)
    return out
