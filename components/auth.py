"""Who may do what, drawn: the sign-in forms, the viewer gate, the public view viewers get.

The rules themselves (settings, password hashes, who is an editor, the guessing throttle) are
UI-free in ``incidents.access``; this module reads them from ``st.secrets`` (documented in
``.streamlit/secrets.toml.example``) and from the session:

* ``[auth]``: the passwords, Streamlit's OIDC settings, ``editor_emails`` / ``editor_domains``
  and ``open_editing`` (``incidents.access.settings_from``).
* ``[public] precision`` / ``hide`` (or ``$INCIDENTS_PUBLIC_PRECISION`` / ``_HIDE``): what
  viewers without edit rights see (``incidents.privacy``).

Nothing here logs or shows a secret.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import streamlit as st

from components import state
from components.i18n import _, language
from components.text import literal
from incidents.access import (
    AuthSettings,
    GuessThrottle,
    Role,
    editing_open,
    email_may_edit,
    email_verified,
    password_matches,
    settings_from,
)
from incidents.privacy import PolicyError, PublicPolicy, describe_policy, policy_from_settings

__all__ = [
    "THROTTLE",
    "auth_settings",
    "current_role",
    "is_editor",
    "public_policy",
    "render_public_notice",
    "require_editor",
    "sign_out",
    "view_policy",
    "viewer_gate",
]



def _secrets_section(name: str) -> Mapping:
    """Return one table of the secrets; an unreadable secrets file stops the app (fail closed)."""
    try:
        section = st.secrets.get(name)
    except FileNotFoundError as exc:  # StreamlitSecretNotFoundError: none, or unparsable
        if getattr(exc, "error_id", "no-secrets-found") != "no-secrets-found":
            st.error(_("The secrets file cannot be read, so access cannot be checked. Fix the "
                       "TOML syntax of `.streamlit/secrets.toml` and reload."))
            st.stop()
        return {}
    return section if isinstance(section, Mapping) else {}


def auth_settings() -> AuthSettings:
    """Return the access settings of this app, from ``st.secrets["auth"]``."""
    return settings_from(_secrets_section("auth"))


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
    return email_may_edit(settings, _oidc_user_email())


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
    if st.session_state.get(state.AUTH_ROLE) == "editor":
        return "editor"
    settings = auth_settings()
    if _oidc_editor(settings):
        return "editor"
    return "editor" if editing_open(settings, no_request=_no_request()) else "viewer"


def is_editor() -> bool:
    """Return whether the current user has edit rights."""
    return current_role() == "editor"


#: Shared by every session of this server process.
THROTTLE = GuessThrottle()


def _client_address() -> str | None:
    try:
        return st.context.ip_address
    except (AttributeError, RuntimeError):
        return None


def _check_password(expected: dict[str, str | None]) -> None:
    """Form callback: grant the role whose password was typed; slow down wrong guesses."""
    given = st.session_state.get(state.W_AUTH_PASSWORD) or ""
    st.session_state[state.W_AUTH_PASSWORD] = ""  # never keep the typed password in the session
    client = _client_address()
    if not THROTTLE.turn.acquire(timeout=THROTTLE.queue_seconds):
        st.session_state[state.AUTH_BUSY] = True  # many guesses are queued: refuse, count nothing
        return
    try:
        st.session_state[state.AUTH_BUSY] = False
        THROTTLE.pause(client)  # before the check: every guess costs time
        for role in ("editor", "viewer"):
            wanted = expected.get(role)
            if wanted and given and password_matches(given, wanted):
                THROTTLE.succeeded(client)
                st.session_state[state.AUTH_FAILURES] = 0
                if role == "editor":
                    st.session_state[state.AUTH_ROLE] = "editor"
                st.session_state[state.AUTH_VIEWER_OK] = True
                return
        THROTTLE.failed(client)
        st.session_state[state.AUTH_FAILURES] = int(st.session_state.get(state.AUTH_FAILURES, 0)) + 1
    finally:
        THROTTLE.turn.release()


def _password_form(label: str, expected: dict[str, str | None]) -> None:
    with st.form(state.W_AUTH_SIGN_IN, clear_on_submit=True, enter_to_submit=True):
        st.text_input(label, type="password", key=state.W_AUTH_PASSWORD, autocomplete="current-password")
        st.form_submit_button(_("Sign in"), on_click=_check_password, args=(expected,),
                              type="primary")
    if st.session_state.get(state.AUTH_BUSY):
        st.warning(_("Too many sign-in attempts on this server right now: try again in a "
                     "minute."))
    elif st.session_state.get(state.AUTH_FAILURES):
        st.error(_("That password is not right."))


def _oidc_buttons(settings: AuthSettings) -> None:
    for provider in settings.oidc_providers:
        label = _("Sign in") if provider is None else _("Sign in with {provider}",
                                                         provider=provider.title())
        if st.button(label, key=f"{state.W_AUTH_LOGIN}{provider or 'default'}",
                     icon=":material/login:", type="primary"):
            if provider is None:
                st.login()
            else:
                st.login(provider)
    email = _oidc_user_email()
    if email is not None and not _oidc_editor(settings):
        st.warning(_("You are signed in as {email}, which has no edit rights here. An "
                     "administrator can add it to `editor_emails` in the app's secrets.",
                     email=literal(email)))
        if st.button(_("Sign out"), key=state.W_AUTH_OIDC_LOGOUT):
            st.logout()


def require_editor(what: str) -> None:
    """Show a sign-in and stop the page unless the user may edit; ``what`` names the task,
    already translated ("import incidents")."""
    if is_editor():
        return
    settings = auth_settings()
    st.markdown("#### " + _("{task}: for editors only", task=what[:1].upper() + what[1:]))
    if settings.oidc_without_authlib:
        st.warning(_("Sign-in with an identity provider is configured but cannot work: the "
                     "Authlib package is missing (`pip install \"Authlib>=1.3.2\"`)."))
    if not settings.oidc and not settings.editor_password:
        st.info(_("Editing is switched off: no editor password or sign-in provider is "
                  "configured. On your own machine, start the app with "
                  "`INCIDENTS_OPEN_EDITING=1 streamlit run app.py`; on a shared server set "
                  "`[auth] editor_password` (or OIDC sign-in) in `.streamlit/secrets.toml` "
                  "(see `.streamlit/secrets.toml.example`)."), icon=":material/lock:")
        st.stop()
    st.caption(_("Sign in as an editor to {task}.", task=what))
    if settings.oidc:
        _oidc_buttons(settings)
    if settings.editor_password:
        _password_form(_("Editor password"), {"editor": settings.editor_password})
    st.stop()


def viewer_gate() -> None:
    """Stop the app with a password form when viewing is password-protected and not unlocked."""
    settings = auth_settings()
    if not settings.viewer_password or st.session_state.get(state.AUTH_VIEWER_OK) or is_editor():
        return
    st.markdown("### Incident Atlas")
    st.caption(_("This dashboard is password-protected. Ask its administrators for the "
                 "password."))
    _password_form(_("Password"),
                   {"viewer": settings.viewer_password, "editor": settings.editor_password})
    if settings.oidc:
        st.caption(_("Editors can also sign in with their account."))
        _oidc_buttons(settings)
    st.stop()


def sign_out(container=None) -> None:
    """Show who is signed in and a sign-out button (in ``container``, default the sidebar)."""
    where = container if container is not None else st.sidebar
    email = _oidc_user_email()
    signed_in = st.session_state.get(state.AUTH_ROLE) == "editor" or st.session_state.get(state.AUTH_VIEWER_OK) \
        or email is not None
    if not signed_in:
        return
    role = current_role()
    role_name = _("editor") if role == "editor" else _("viewer")
    where.caption(f":material/person: {email or _('Signed in')} · {role_name}")
    if where.button(_("Sign out"), key=state.W_AUTH_SIGN_OUT, icon=":material/logout:"):
        for key in (state.AUTH_ROLE, state.AUTH_VIEWER_OK, state.AUTH_FAILURES):
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
        st.error(_("The public-view setting is wrong: {error}. Fix `[public]` in the secrets "
                   "or INCIDENTS_PUBLIC_PRECISION / INCIDENTS_PUBLIC_HIDE.", error=literal(exc)))
        st.stop()


def view_policy() -> PublicPolicy:
    """Return the policy the current user sees: none for editors, the public one for viewers."""
    policy = public_policy()  # checked for everyone: a wrong setting must not go unnoticed
    return PublicPolicy() if is_editor() else policy


def render_public_notice(policy: PublicPolicy, container=None) -> None:
    """Tell a viewer that their view is coarsened or has hidden fields (nothing when it is not)."""
    text = describe_policy(policy, language())
    if text:
        (container if container is not None else st).info(text, icon=":material/visibility_off:")
