"""The exception tree of the incidents package: every error the package raises on purpose."""

from __future__ import annotations

__all__ = [
    "DataError",
    "GazetteerError",
    "GeocoderConfigError",
    "GeocoderUnavailable",
    "GeocodingError",
    "IncidentsError",
    "QueryError",
    "ReaderError",
    "StoreError",
]


class IncidentsError(Exception):
    """Root of every error raised on purpose by the incidents package."""


class DataError(IncidentsError):
    """A frame or value does not fit the incident schema."""


class ReaderError(IncidentsError):
    """A file cannot be read as the format it was given or detected as."""


class StoreError(IncidentsError):
    """The database cannot be reached, written or upgraded."""


class GeocodingError(IncidentsError):
    """A place could not be geocoded for a reason other than 'not found'."""


class GeocoderUnavailable(GeocodingError):
    """The online geocoder cannot be reached (offline, timed out, refused, rate-limited)."""


class GazetteerError(GeocodingError):
    """The offline gazetteer or a user's list of places cannot be read."""


class GeocoderConfigError(GeocodingError):
    """The online geocoder is configured wrongly (unknown provider, no real user agent)."""


class QueryError(IncidentsError):
    """A share-link query string or filter value is malformed."""
