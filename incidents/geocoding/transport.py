"""What a batch over a public geocoding service needs around geopy's network call: a cap
on the answer's size, the provider's rate limit (geopy's ``RateLimiter`` with an injectable
clock and sleep) and retries with exponential backoff on 429, 5xx and timeouts (honouring
``Retry-After``)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from http.client import HTTPException

from geopy import exc as geopy_exc
from geopy.adapters import URLLibAdapter
from geopy.extra.rate_limiter import RateLimiter

__all__ = [
    "MAX_ANSWER_BYTES",
    "BackoffRateLimiter",
    "CappedURLLibAdapter",
    "is_retryable",
    "retry_after_seconds",
]


#: The largest answer read from the service; a place search answers in a few kilobytes.
MAX_ANSWER_BYTES = 2 * 1024 * 1024


class CappedURLLibAdapter(URLLibAdapter):
    """geopy's urllib adapter reading at most ``MAX_ANSWER_BYTES`` of an answer.

    A hostile or broken server could send hundreds of megabytes, which geopy would read whole
    (and then decode and parse, several times that in memory).
    """

    def _decode_page(self, page):
        try:
            body = page.read(MAX_ANSWER_BYTES + 1)
        except (OSError, HTTPException, ValueError) as exc:  # reset, timed out, cut short
            raise geopy_exc.GeocoderServiceError("Unable to read the response") from exc
        if len(body) > MAX_ANSWER_BYTES:
            raise geopy_exc.GeocoderParseError(
                f"the answer is larger than {MAX_ANSWER_BYTES // 1024 // 1024} MB: not read")
        encoding = page.headers.get_content_charset() or "utf-8"
        try:
            return str(body, encoding=encoding)
        except (LookupError, ValueError) as exc:
            raise geopy_exc.GeocoderParseError("Unable to decode the response bytes") from exc


# -- rate limiting and retries -------------------------------------------------------------------


def retry_after_seconds(error: Exception) -> float | None:
    """Return the wait a 429/503 asked for in seconds, or None (absent, a date, nonsense)."""
    value = getattr(error, "retry_after", None)
    try:
        seconds = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    return seconds if seconds is not None and math.isfinite(seconds) and seconds >= 0 else None


def is_retryable(error: Exception) -> bool:
    # 429, 5xx (geopy maps 502 to the base class, 503/504 to timeouts), timeouts, network down.
    return isinstance(
        error,
        (geopy_exc.GeocoderRateLimited, geopy_exc.GeocoderTimedOut,
         geopy_exc.GeocoderUnavailable),
    ) or type(error) is geopy_exc.GeocoderServiceError


class BackoffRateLimiter(RateLimiter):
    """geopy's ``RateLimiter`` with exponential backoff, ``Retry-After`` and injectable time.

    Request slots (``min_delay_seconds`` apart) come from geopy; retries wait
    ``backoff_seconds * 2**attempt`` (or what a 429 asks), at most ``max_backoff_seconds``.
    Errors that retrying cannot fix (400, 401, 403) are raised at once.
    """

    def __init__(
        self,
        func: Callable,
        *,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        backoff_seconds: float = 2.0,
        max_backoff_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            func,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=max(backoff_seconds, min_delay_seconds),
            swallow_exceptions=False,
        )
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self._clock_fn = clock
        self._sleep_fn = sleep

    def _clock(self) -> float:
        return self._clock_fn()

    def _sleep(self, seconds: float) -> None:
        self._sleep_fn(seconds)

    def wait_for(self, attempt: int, error: Exception) -> float:
        """Return how long to wait before retry number ``attempt + 1``."""
        wait = self.backoff_seconds * (2**attempt)
        retry_after = retry_after_seconds(error)
        if retry_after:
            wait = max(wait, retry_after)
        return min(wait, self.max_backoff_seconds)

    def __call__(self, *args, **kwargs):
        for attempt in range(self.max_retries + 1):
            self._acquire_request_slot()
            try:
                return self.func(*args, **kwargs)
            except geopy_exc.GeopyError as error:
                if not is_retryable(error) or attempt == self.max_retries:
                    raise
                # A service asking for longer than we ever wait would only refuse again: give
                # up on this place now (the caller pauses the service) instead of waiting.
                if (retry_after_seconds(error) or 0) > self.max_backoff_seconds:
                    raise
                self._sleep(self.wait_for(attempt, error))
        raise AssertionError("unreachable")  # pragma: no cover


# -- the online geocoder ---------------------------------------------------------------------------
