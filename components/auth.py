"""Who may do what: viewers and editors, the sign-in forms, and the public view viewers get.

Settings come from ``st.secrets`` (documented in ``.streamlit/secrets.toml.example``):

* ``[auth] editor_password``: editors sign in with it (compared in constant time).
* ``[auth] viewer_password``: when set, viewing needs it (or editor rights); else viewing is open.
* Streamlit's own OIDC settings in ``[auth]`` (``redirect_uri``, ``cookie_secret``,
  ``client_id``, ``client_secret``, ``server_metadata_url``, or named ``[auth.<provider>]``
  tables): editors may sign in with ``st.login``. A signed-in user is an editor when their
  provider says the e-mail is verified (``email_verified`` true) and it is in ``[auth]
  editor_emails`` or its domain in ``[auth] editor_domains``.
* ``[public] precision`` / ``hide`` (or ``$INCIDENTS_PUBLIC_PRECISION`` / ``_HIDE``): what
  viewers without edit rights see (``incidents.privacy``).

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

import streamlit as st

from components import state
from components.text import literal
from incidents.privacy import PolicyError, PublicPolicy, describe_policy, policy_from_settings

__all__ = [
    "THROTTLE",
    "AuthSettings",
    "GuessThrottle",
    "Role",
    "auth_settings",
    "current_role",
    "email_verified",
    "hash_password",
    "is_editor",
    "password_matches",
    "public_policy",
    "render_public_notice",
    "require_editor",
    "settings_from",
    "sign_out",
    "view_policy",
    "viewer_gate",
]

Role = Literal["viewer", "editor"]

ROLE = state.AUTH_ROLE
VIEWER_OK = state.AUTH_VIEWER_OK
FAILURES = state.AUTH_FAILURES
BUSY = state.AUTH_BUSY
W_PASSWORD = state.W_AUTH_PASSWORD
W_SIGN_IN = state.W_AUTH_SIGN_IN
W_SIGN_OUT = state.W_AUTH_SIGN_OUT

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


def _secrets_section(name: str) -> Mapping:
    """Return one table of the secrets; an unreadable secrets file stops the app (fail closed)."""
    try:
        section = st.secrets.get(name)
    except FileNotFoundError as exc:  # StreamlitSecretNotFoundError: none, or unparsable
        if getattr(exc, "error_id", "no-secrets-found") != "no-secrets-found":
            st.error("The secrets file cannot be read, so access cannot be checked. Fix the "
                     "TOML syntax of `.streamlit/secrets.toml` and reload.")
            st.stop()
        return {}
    return section if isinstance(section, Mapping) else {}


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _lower_set(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    items = value.split(",") if isinstance(value, str) else list(value)
    return frozenset(str(i).strip().lower().lstrip("@") for i in items if str(i).strip())


OPEN_EDITING_ENV = "INCIDENTS_OPEN_EDITING"


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _authlib_installed() -> bool:
    # st.login needs Authlib (``pip install streamlit[auth]``); without it, it raises.
    return importlib.util.find_spec("authlib") is not None


def settings_from(section: Mapping) -> AuthSettings:
    """Return the access settings of an ``[auth]`` table."""
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
        or _truthy(os.environ.get(OPEN_EDITING_ENV)),
    )


def auth_settings() -> AuthSettings:
    """Return the access settings of this app, from ``st.secrets["auth"]``."""
    return settings_from(_secrets_section("auth"))


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


def _oidc_user_email() -> str | None:
    """Return the signed-in user's e-mail when their provider verified it, else None."""
    try:
        if not st.user.is_logged_in:
            return None
        if not email_verified(st.user.get("email_verified")):
            return None
        email = st.user.get("email")
    except (AttributeError, KeyError):
        return None
    return str(email).lower() if email else None


def _oidc_editor(settings: AuthSettings) -> bool:
    email = _oidc_user_email()
    if not settings.oidc or email is None:
        return False
    return email in settings.editor_emails or email.rsplit("@", 1)[-1] in settings.editor_domains


def _no_request() -> bool:
    """Whether this run serves no browser at all (AppTest, bare mode): then there is no
    remote user to keep out. A server always has request headers. Who is asking is never
    inferred from the headers themselves: a client chooses its own ``Host``."""
    try:
        return not st.context.headers
    except (AttributeError, RuntimeError):
        return True


def current_role() -> Role:
    """Return ``"editor"`` for a user signed in with edit rights, else ``"viewer"``.

    With no editor password and no sign-in provider, nobody edits unless editing is opened
    on purpose (``[auth] open_editing = true`` or ``INCIDENTS_OPEN_EDITING=1``: one analyst
    running the app for themselves). It fails closed: nothing about the request decides.
    """
    if st.session_state.get(ROLE) == "editor":
        return "editor"
    settings = auth_settings()
    if _oidc_editor(settings):
        return "editor"
    if not settings.oidc and not settings.editor_password and (
            settings.open_editing or _no_request()):
        return "editor"
    return "viewer"


def is_editor() -> bool:
    """Return whether the current user has edit rights."""
    return current_role() == "editor"


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


#: Shared by every session of this server process.
THROTTLE = GuessThrottle()


def _client_address() -> str | None:
    try:
        return st.context.ip_address
    except (AttributeError, RuntimeError):
        return None


def _check_password(expected: dict[str, str | None]) -> None:
    """Form callback: grant the role whose password was typed; slow down wrong guesses."""
    given = st.session_state.get(W_PASSWORD) or ""
    st.session_state[W_PASSWORD] = ""  # never keep the typed password in the session
    client = _client_address()
    if not THROTTLE.turn.acquire(timeout=THROTTLE.queue_seconds):
        st.session_state[BUSY] = True  # many guesses are queued: refuse, count nothing
        return
    try:
        st.session_state[BUSY] = False
        THROTTLE.pause(client)  # before the check: every guess costs time
        for role in ("editor", "viewer"):
            wanted = expected.get(role)
            if wanted and given and password_matches(given, wanted):
                THROTTLE.succeeded(client)
                st.session_state[FAILURES] = 0
                if role == "editor":
                    st.session_state[ROLE] = "editor"
                st.session_state[VIEWER_OK] = True
                return
        THROTTLE.failed(client)
        st.session_state[FAILURES] = int(st.session_state.get(FAILURES, 0)) + 1
    finally:
        THROTTLE.turn.release()


def _password_form(label: str, expected: dict[str, str | None]) -> None:
    with st.form(W_SIGN_IN, clear_on_submit=True, enter_to_submit=True):
        st.text_input(label, type="password", key=W_PASSWORD, autocomplete="current-password")
        st.form_submit_button("Sign in", on_click=_check_password, args=(expected,),
                              type="primary")
    if st.session_state.get(BUSY):
        st.warning("Too many sign-in attempts on this server right now: try again in a "
                   "minute.")
    elif st.session_state.get(FAILURES):
        st.error("That password is not right.")


def _oidc_buttons(settings: AuthSettings) -> None:
    for provider in settings.oidc_providers:
        label = "Sign in" if provider is None else f"Sign in with {provider.title()}"
        if st.button(label, key=f"auth_login_{provider or 'default'}",
                     icon=":material/login:", type="primary"):
            if provider is None:
                st.login()
            else:
                st.login(provider)
    email = _oidc_user_email()
    if email is not None and not _oidc_editor(settings):
        st.warning(f"You are signed in as {literal(email)}, which has no edit rights here. An "
                   "administrator can add it to `editor_emails` in the app's secrets.")
        if st.button("Sign out", key="auth_oidc_logout"):
            st.logout()


def require_editor(what: str) -> None:
    """Show a sign-in and stop the page unless the user may edit; ``what`` names the task."""
    if is_editor():
        return
    settings = auth_settings()
    st.markdown(f"#### {what[:1].upper() + what[1:]} is for editors")
    if settings.oidc_without_authlib:
        st.warning("Sign-in with an identity provider is configured but cannot work: the "
                   "Authlib package is missing (`pip install \"Authlib>=1.3.2\"`).")
    if not settings.oidc and not settings.editor_password:
        st.info("Editing is switched off: no editor password or sign-in provider is "
                "configured. On your own machine, start the app with "
                "`INCIDENTS_OPEN_EDITING=1 streamlit run app.py`; on a shared server set "
                "`[auth] editor_password` (or OIDC sign-in) in `.streamlit/secrets.toml` "
                "(see `.streamlit/secrets.toml.example`).", icon=":material/lock:")
        st.stop()
    st.caption(f"Sign in as an editor to {what}.")
    if settings.oidc:
        _oidc_buttons(settings)
    if settings.editor_password:
        _password_form("Editor password", {"editor": settings.editor_password})
    st.stop()


def viewer_gate() -> None:
    """Stop the app with a password form when viewing is password-protected and not unlocked."""
    settings = auth_settings()
    if not settings.viewer_password or st.session_state.get(VIEWER_OK) or is_editor():
        return
    st.markdown("### Incident Atlas")
    st.caption("This dashboard is password-protected. Ask its administrators for the password.")
    _password_form("Password",
                   {"viewer": settings.viewer_password, "editor": settings.editor_password})
    if settings.oidc:
        st.caption("Editors can also sign in with their account.")
        _oidc_buttons(settings)
    st.stop()


def sign_out(container=None) -> None:
    """Show who is signed in and a sign-out button (in ``container``, default the sidebar)."""
    where = container if container is not None else st.sidebar
    email = _oidc_user_email()
    signed_in = st.session_state.get(ROLE) == "editor" or st.session_state.get(VIEWER_OK) \
        or email is not None
    if not signed_in:
        return
    role = current_role()
    where.caption(f":material/person: {email or 'Signed in'} · {role}")
    if where.button("Sign out", key=W_SIGN_OUT, icon=":material/logout:"):
        for key in (ROLE, VIEWER_OK, FAILURES):
            st.session_state.pop(key, None)
        if email is not None:
            st.logout()
        st.rerun()


def public_policy() -> PublicPolicy:
    """Return the public-view policy from ``[public]`` in the secrets, else the environment.

    A wrong setting stops the app with an error instead of showing exact points.
    """
    try:
        return policy_from_settings(_secrets_section("public"), os.environ)
    except PolicyError as exc:
        st.error(f"The public-view setting is wrong: {literal(exc)}. Fix `[public]` in the secrets or "
                 "INCIDENTS_PUBLIC_PRECISION / INCIDENTS_PUBLIC_HIDE.")
        st.stop()


def view_policy() -> PublicPolicy:
    """Return the policy the current user sees: none for editors, the public one for viewers."""
    policy = public_policy()  # checked for everyone: a wrong setting must not go unnoticed
    return PublicPolicy() if is_editor() else policy


def render_public_notice(policy: PublicPolicy, container=None) -> None:
    """Tell a viewer that their view is coarsened or has hidden fields (nothing when it is not)."""
    text = describe_policy(policy)
    if text:
        (container if container is not None else st).info(text, icon=":material/visibility_off:")
