"""Who may do what, UI-free: the access settings, password hashes, who counts as an editor,
and the throttle on wrong passwords. ``components/auth.py`` draws the forms around them.

The settings are an ``[auth]`` table of the app's secrets (documented in
``.streamlit/secrets.toml.example``):

* ``editor_password``: editors sign in with it (compared in constant time).
* ``viewer_password``: when set, viewing needs it (or editor rights); else viewing is open.
* Streamlit's own OIDC settings (``redirect_uri``, ``cookie_secret``, ``client_id``,
  ``client_secret``, ``server_metadata_url``, or named ``[auth.<provider>]`` tables): editors
  may sign in with ``st.login``. A signed-in user is an editor when their provider says the
  e-mail is verified (``email_verified`` true) and it is in ``editor_emails`` or its domain in
  ``editor_domains``.
* ``open_editing`` (or ``$INCIDENTS_OPEN_EDITING``): everyone may edit.

A password may be given in plain text or as ``pbkdf2_sha256$<iterations>$<salt>$<hex digest>``
(``hash_password`` writes one). Nothing here logs or shows a secret.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "OPEN_EDITING_ENV",
    "AuthSettings",
    "GuessThrottle",
    "Role",
    "editing_open",
    "email_may_edit",
    "email_verified",
    "hash_password",
    "password_matches",
    "settings_from",
]

Role = Literal["viewer", "editor"]

#: Set to 1 to let everyone edit (one analyst running the app for themselves).
OPEN_EDITING_ENV = "INCIDENTS_OPEN_EDITING"

_OIDC_SHARED = ("redirect_uri", "cookie_secret")
_OIDC_PROVIDER = ("client_id", "client_secret", "server_metadata_url")
_PBKDF2 = "pbkdf2_sha256"


@dataclass(frozen=True)
class AuthSettings:
    """The access settings read from the app's secrets (secrets are kept out of ``repr``)."""

    editor_password: str | None = field(default=None, repr=False)
    viewer_password: str | None = field(default=None, repr=False)
    oidc_providers: tuple[str | None, ...] = ()  # None is the default ``[auth]`` provider
    editor_emails: frozenset[str] = frozenset()
    editor_domains: frozenset[str] = frozenset()
    oidc_without_authlib: bool = False  # OIDC settings present, but Authlib is not installed
    open_editing: bool = False  # everyone may edit: one analyst running it for themselves

    @property
    def oidc(self) -> bool:
        """True when ``st.login`` is configured (and Authlib, which it needs, is installed)."""
        return bool(self.oidc_providers)


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _lower_set(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    items = value.split(",") if isinstance(value, str) else list(value)
    return frozenset(str(i).strip().lower().lstrip("@") for i in items if str(i).strip())


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _authlib_installed() -> bool:
    # st.login needs Authlib (``pip install streamlit[auth]``); without it, it raises.
    return importlib.util.find_spec("authlib") is not None


def settings_from(section: Mapping, environ: Mapping[str, str] | None = None) -> AuthSettings:
    """Return the access settings of an ``[auth]`` table (``environ``: default ``os.environ``)."""
    environ = os.environ if environ is None else environ
    providers: list[str | None] = []
    if all(k in section for k in _OIDC_SHARED):
        if all(k in section for k in _OIDC_PROVIDER):
            providers.append(None)
        for name, value in section.items():
            if isinstance(value, Mapping) and all(k in value for k in _OIDC_PROVIDER):
                providers.append(str(name))
    missing_authlib = bool(providers) and not _authlib_installed()
    if missing_authlib:
        providers = []
    return AuthSettings(
        editor_password=_text(section.get("editor_password")),
        viewer_password=_text(section.get("viewer_password")),
        oidc_providers=tuple(providers),
        editor_emails=_lower_set(section.get("editor_emails")),
        editor_domains=_lower_set(section.get("editor_domains")),
        oidc_without_authlib=missing_authlib,
        open_editing=_truthy(section.get("open_editing"))
        or _truthy(environ.get(OPEN_EDITING_ENV)),
    )


def hash_password(password: str, *, iterations: int = 600_000) -> str:
    """Return ``pbkdf2_sha256$<iterations>$<salt>$<digest>`` for a secrets file."""
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"{_PBKDF2}${iterations}${salt}${digest.hex()}"


def password_matches(given: str, expected: str) -> bool:
    """Return whether ``given`` is the password ``expected`` (plain or pbkdf2), in constant time.

    Both sides are hashed to digests of one length first, so that neither the content nor the
    length of the expected password shows in the time the comparison takes.
    """
    if expected.startswith(_PBKDF2 + "$"):
        try:
            _, iterations, salt, digest = expected.split("$")
            computed = hashlib.pbkdf2_hmac("sha256", given.encode(), salt.encode(),
                                           int(iterations))
            wanted = bytes.fromhex(digest)
        except ValueError:
            return False
        return hmac.compare_digest(computed, wanted)
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(),
                               hashlib.sha256(expected.encode()).digest())


def email_verified(claim: object) -> bool:
    """Whether an ID token's ``email_verified`` claim says the e-mail was verified.

    Only ``true`` counts: the boolean, or the string "true" that some providers send (AWS
    Cognito, older ADFS). Missing, false, "false", "0", "yes" or anything else: unverified,
    since an address nobody verified proves nothing about who signed in.
    """
    if isinstance(claim, bool):
        return claim
    return isinstance(claim, str) and claim.strip().lower() == "true"


def email_may_edit(settings: AuthSettings, email: str | None) -> bool:
    """Return whether a user signed in with a provider as ``email`` (verified, lower case;
    None: nobody) has edit rights: their address or its domain is listed."""
    if not settings.oidc or email is None:
        return False
    return email in settings.editor_emails or email.rsplit("@", 1)[-1] in settings.editor_domains


def editing_open(settings: AuthSettings, *, no_request: bool) -> bool:
    """Return whether everyone edits without signing in: only when no editor password and no
    sign-in provider is set, and editing was opened on purpose or no browser is served at all
    (``no_request``: AppTest, bare mode). It fails closed: nothing about a request decides."""
    if settings.oidc or settings.editor_password:
        return False
    return settings.open_editing or no_request


class GuessThrottle:
    """Wrong passwords counted per server and per client address, and the wait they earn.

    A browser session is no unit of throttling: a script opens a new one per guess. So the
    count lives in the server process: each wrong password from an address doubles that
    address's wait (0.25 s, 0.5 s, … up to ``client_cap``), and beyond ``free_per_server``
    wrong passwords from anywhere within ``window`` seconds, every check waits too (growing
    to ``server_cap``). Checks run one at a time, so parallel sessions cannot multiply the
    rate; a check that cannot get its turn within ``queue_seconds`` is refused as "busy".
    The address is Streamlit's (``st.context.ip_address``): behind a reverse proxy it is the
    proxy's, and then only the server-wide limit tells clients apart from none.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] | None = None, window: float = 900.0,
                 free_per_server: int = 20, client_cap: float = 30.0,
                 server_cap: float = 10.0, queue_seconds: float = 20.0) -> None:
        self._clock = clock
        self._sleep = sleep
        self.window, self.free_per_server = window, free_per_server
        self.client_cap, self.server_cap = client_cap, server_cap
        self.queue_seconds = queue_seconds
        self._failures: dict[str, deque[float]] = {}
        self._count_lock = threading.Lock()
        self.turn = threading.Lock()  # one password check at a time, server-wide

    def _recent(self, key: str) -> int:
        times = self._failures.get(key)
        if not times:
            return 0
        while times and times[0] < self._clock() - self.window:
            times.popleft()
        return len(times)

    def wait_before(self, client: str | None) -> float:
        """Return how long the next check from ``client`` (None: unknown) must wait."""
        with self._count_lock:
            own = self._recent(f"client:{client}") if client else 0
            everyone = self._recent("server")
        wait = min(0.25 * 2 ** (own - 1), self.client_cap) if own else 0.0
        beyond = everyone - self.free_per_server
        if beyond >= 0:
            wait = max(wait, min(0.5 * 2 ** (beyond / 10), self.server_cap))
        return wait

    def pause(self, client: str | None) -> None:
        """Sleep as long as ``wait_before(client)`` says."""
        (self._sleep or time.sleep)(self.wait_before(client))

    def failed(self, client: str | None) -> None:
        """Count a wrong password from ``client``."""
        now = self._clock()
        with self._count_lock:
            for key in ("server", f"client:{client}" if client else None):
                if key:
                    self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, client: str | None) -> None:
        """Forget ``client``'s wrong passwords (the server-wide count stays)."""
        with self._count_lock:
            self._failures.pop(f"client:{client}", None)
