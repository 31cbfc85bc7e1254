"""Access control: editor-only pages, the viewer password, constant-time compares, the public view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components import auth, state
from incidents import access

REAL_NO_REQUEST = auth._no_request  # kept before the fixture below replaces it

EDITOR_PAGE = """
import streamlit as st
from components.auth import require_editor, sign_out
require_editor("import incidents")
st.write("EDITOR CONTENT")
sign_out()
"""

GATED_APP = """
import streamlit as st
from components.auth import current_role, viewer_gate
viewer_gate()
st.write(f"DASHBOARD for a {current_role()}")
"""

POLICY_APP = """
import streamlit as st
from components.auth import render_public_notice, view_policy
policy = view_policy()
render_public_notice(policy)
st.write(f"policy={policy.coarsen_to}")
"""


def app(script: str, **secrets) -> AppTest:
    at = AppTest.from_string(script, default_timeout=30)
    for name, value in secrets.items():
        at.secrets[name] = value
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in (at.markdown, at.info, at.warning, at.error,
                                                at.caption) for e in kind)


def sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key=state.W_AUTH_PASSWORD).input(password)
    return at.button(key="FormSubmitter:auth_sign_in-Sign in").click().run()


@pytest.fixture(autouse=True)
def no_public_env(monkeypatch):
    monkeypatch.delenv("INCIDENTS_PUBLIC_PRECISION", raising=False)
    monkeypatch.delenv("INCIDENTS_PUBLIC_HIDE", raising=False)
    monkeypatch.setattr(access.time, "sleep", lambda _s: None)  # the guessing throttle


@pytest.fixture(autouse=True)
def remote_visitor(monkeypatch):
    """Tests are about a hosted copy reached from elsewhere, unless they ask for ``local_run``."""
    monkeypatch.setattr(auth, "_no_request", lambda: False)


@pytest.fixture
def local_run(remote_visitor, monkeypatch):
    """A run with no browser request at all (AppTest's bare mode, a script on one's machine)."""
    monkeypatch.setattr(auth, "_no_request", REAL_NO_REQUEST)


def test_local_run_without_a_browser_edits(local_run):  # AppTest, bare mode: nobody to keep out
    at = app(EDITOR_PAGE)
    assert "EDITOR CONTENT" in texts(at)


def test_local_run_still_needs_the_password_once_one_is_set(local_run):
    at = app(EDITOR_PAGE, auth={"editor_password": "pw"})
    assert "EDITOR CONTENT" not in texts(at)


def test_a_forged_host_header_gives_no_editing(monkeypatch):
    """Editing is never granted from request headers, which a client chooses."""
    monkeypatch.setattr(type(auth.st.context), "headers",
                        property(lambda self: {"Host": "127.0.0.1:8501"}))
    assert REAL_NO_REQUEST() is False
    monkeypatch.setattr(type(auth.st.context), "headers", property(lambda self: {}))
    assert REAL_NO_REQUEST() is True  # the control: no request at all


def test_editing_can_be_opened_on_purpose(monkeypatch):
    at = app(EDITOR_PAGE)
    assert "EDITOR CONTENT" not in texts(at)  # the control: a remote visitor, editing closed
    monkeypatch.setenv("INCIDENTS_OPEN_EDITING", "1")
    at = app(EDITOR_PAGE)
    assert "EDITOR CONTENT" in texts(at)


def test_editor_page_without_any_setting_shows_no_content_and_no_form():
    at = app(EDITOR_PAGE)
    assert not at.exception
    assert "EDITOR CONTENT" not in texts(at)
    assert "Editing is switched off" in texts(at)
    assert len(at.text_input) == 0


def test_editor_page_shows_a_sign_in_and_not_the_content():
    at = app(EDITOR_PAGE, auth={"editor_password": "correct horse battery"})
    assert "EDITOR CONTENT" not in texts(at)
    assert "for editors only" in texts(at)
    assert at.text_input(key=state.W_AUTH_PASSWORD).proto.type == at.text_input[0].proto.PASSWORD


def test_the_right_password_unlocks_and_a_wrong_one_does_not():
    at = app(EDITOR_PAGE, auth={"editor_password": "correct horse battery"})
    sign_in(at, "correct horse")
    assert "EDITOR CONTENT" not in texts(at)
    assert "That password is not right." in texts(at)
    assert at.session_state[state.W_AUTH_PASSWORD] == ""  # the typed password is not kept
    sign_in(at, "correct horse battery")
    assert "EDITOR CONTENT" in texts(at)
    assert at.session_state[state.AUTH_ROLE] == "editor"
    # and sign out again
    at.button(key=state.W_AUTH_SIGN_OUT).click().run()
    assert "EDITOR CONTENT" not in texts(at)


def test_a_hashed_password_from_secrets_works():
    at = app(EDITOR_PAGE, auth={"editor_password": access.hash_password("s3cret!", iterations=1000)})
    sign_in(at, "s3cret!")
    assert "EDITOR CONTENT" in texts(at)


def test_open_viewing_by_default():
    at = app(GATED_APP)
    assert "DASHBOARD for a viewer" in texts(at)


def test_password_protected_viewing():
    at = app(GATED_APP, auth={"viewer_password": "view-pw", "editor_password": "edit-pw"})
    assert "DASHBOARD" not in texts(at)
    assert "password-protected" in texts(at)
    sign_in(at, "view-pw")
    assert "DASHBOARD for a viewer" in texts(at)

    at = app(GATED_APP, auth={"viewer_password": "view-pw", "editor_password": "edit-pw"})
    sign_in(at, "edit-pw")  # an editor may view too
    assert "DASHBOARD for a editor" in texts(at)


def test_viewers_get_the_public_view_and_are_told_so():
    at = app(POLICY_APP, public={"precision": "admin2", "hide": "sources,description"},
             auth={"editor_password": "pw"})
    assert "policy=admin2" in texts(at)
    assert "Public view" in texts(at) and "sources, description" in texts(at)


def test_editors_see_the_exact_view():
    at = AppTest.from_string(POLICY_APP, default_timeout=30)
    at.secrets["public"] = {"precision": "admin1"}
    at.session_state[state.AUTH_ROLE] = "editor"
    at.run()
    assert "policy=None" in texts(at) and "Public view" not in texts(at)


def test_a_wrong_public_setting_stops_the_app():
    at = app(POLICY_APP, public={"precision": "street"})
    assert "policy=" not in texts(at)
    assert "public-view setting is wrong" in texts(at)


def test_oidc_without_authlib_is_reported_on_editor_pages(monkeypatch):
    monkeypatch.setattr(access, "_authlib_installed", lambda: False)
    at = app(EDITOR_PAGE, auth={"redirect_uri": "http://localhost:8501/oauth2callback",
                                "cookie_secret": "x" * 32, "client_id": "id",
                                "client_secret": "s", "server_metadata_url": "https://i.example",
                                "editor_password": "pw"})
    assert "Authlib package is missing" in texts(at)
    assert "EDITOR CONTENT" not in texts(at)


def test_oidc_sign_in_buttons_on_editor_pages(monkeypatch):
    monkeypatch.setattr(access, "_authlib_installed", lambda: True)
    at = app(EDITOR_PAGE, auth={"redirect_uri": "http://localhost:8501/oauth2callback",
                                "cookie_secret": "x" * 32,
                                "microsoft": {"client_id": "a", "client_secret": "b",
                                              "server_metadata_url": "https://m.example"}})
    assert [b.label for b in at.button] == ["Sign in with Microsoft"]
    assert len(at.text_input) == 0  # no editor password configured: no password form
    assert "EDITOR CONTENT" not in texts(at)


# --- issue 11: OIDC e-mail verification, server-wide password throttling ------------------------


@pytest.mark.parametrize(("claim", "verified"), [
    (True, True), ("true", True), ("TRUE", True), (False, False), ("false", False),
    (None, False), ("", False), ("yes", False), (1, False), ("1", False)])
def test_only_a_true_email_verified_claim_counts(monkeypatch, claim, verified):
    class User(dict):
        is_logged_in = True

    user = User(email="Analyst@Example.org")
    if claim is not None:
        user["email_verified"] = claim
    monkeypatch.setattr(auth.st, "user", user)
    assert auth._oidc_user_email() == ("analyst@example.org" if verified else None)
    settings = access.AuthSettings(oidc_providers=(None,), editor_emails=frozenset(
        {"analyst@example.org"}))
    assert auth._oidc_editor(settings) is verified


def test_a_new_session_does_not_start_the_throttle_afresh(monkeypatch):
    """40 guesses over 40 fresh sessions are slowed like 40 guesses in one (issue 11, 11)."""
    waits: list[float] = []
    monkeypatch.setattr(auth, "THROTTLE", access.GuessThrottle(free_per_server=1000,
                                                             sleep=waits.append))
    for n in range(6):
        at = app(EDITOR_PAGE, auth={"editor_password": "correct horse battery"})
        sign_in(at, f"guess {n}")  # a fresh AppTest is a fresh browser session
        assert "EDITOR CONTENT" not in texts(at)
    # no client address under AppTest: the server-wide count is what slows them down
    assert waits == [0.0] * 6
    monkeypatch.setattr(auth, "THROTTLE", access.GuessThrottle(free_per_server=2,
                                                             sleep=waits.append))
    waits.clear()
    for n in range(6):
        sign_in(app(EDITOR_PAGE, auth={"editor_password": "correct horse battery"}), f"g{n}")
    assert waits[:2] == [0.0, 0.0] and all(w > 0 for w in waits[3:])
    assert waits == sorted(waits)
