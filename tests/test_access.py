"""incidents.access without Streamlit: settings, password hashes, who edits, the throttle."""

from __future__ import annotations

import hmac

import pytest

from incidents import access
from incidents.access import AuthSettings, GuessThrottle, settings_from

OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
        "okta": {"client_id": "a", "client_secret": "b",
                 "server_metadata_url": "https://okta.example/.well-known/openid-configuration"},
        "editor_emails": ["Ana@Example.org"], "editor_domains": "@ngo.example"}


@pytest.fixture()
def authlib(monkeypatch):
    """Authlib counts as installed (``st.login`` needs it)."""
    monkeypatch.setattr(access, "_authlib_installed", lambda: True)


@pytest.fixture()
def oidc_settings(authlib) -> AuthSettings:
    return settings_from(OIDC, environ={})


def test_no_settings_means_no_passwords_no_provider_and_closed_editing():
    settings = settings_from({}, environ={})
    assert settings == AuthSettings()
    assert not settings.oidc and not settings.open_editing


@pytest.mark.parametrize(("section", "environ", "open_editing"), [
    ({}, {}, False),
    ({"open_editing": True}, {}, True),
    ({"open_editing": "yes"}, {}, True),
    ({"open_editing": "no"}, {}, False),
    ({}, {access.OPEN_EDITING_ENV: "1"}, True),
    ({}, {access.OPEN_EDITING_ENV: "0"}, False),
    ({"open_editing": False}, {access.OPEN_EDITING_ENV: "on"}, True),
])
def test_editing_is_opened_only_on_purpose(section, environ, open_editing):
    assert settings_from(section, environ=environ).open_editing is open_editing


def test_the_environment_is_read_by_default(monkeypatch):
    monkeypatch.setenv(access.OPEN_EDITING_ENV, "true")
    assert settings_from({}).open_editing is True
    monkeypatch.delenv(access.OPEN_EDITING_ENV)
    assert settings_from({}).open_editing is False


def test_empty_passwords_are_no_passwords():
    settings = settings_from({"editor_password": "", "viewer_password": None}, environ={})
    assert settings.editor_password is None and settings.viewer_password is None


def test_secrets_stay_out_of_repr():
    settings = settings_from({"editor_password": "hunter2", "viewer_password": "letmein"},
                             environ={})
    assert settings.editor_password == "hunter2"
    assert "hunter2" not in repr(settings) and "letmein" not in repr(settings)


def test_oidc_providers_and_editor_lists(oidc_settings):
    assert oidc_settings.oidc_providers == (None, "okta")
    assert oidc_settings.oidc and not oidc_settings.oidc_without_authlib
    assert oidc_settings.editor_emails == {"ana@example.org"}
    assert oidc_settings.editor_domains == {"ngo.example"}


def test_oidc_needs_the_shared_settings(authlib):
    section = {k: v for k, v in OIDC.items() if k != "cookie_secret"}
    assert settings_from(section, environ={}).oidc_providers == ()


def test_oidc_without_authlib_is_switched_off_and_said(monkeypatch):
    monkeypatch.setattr(access, "_authlib_installed", lambda: False)
    settings = settings_from(OIDC, environ={})
    assert settings.oidc_without_authlib and not settings.oidc


@pytest.mark.parametrize(("email", "editor"), [
    ("ana@example.org", True), ("bo@ngo.example", True), ("eve@evil.example", False),
    ("ana@example.org.evil.example", False), (None, False)])
def test_who_signed_in_with_a_provider_may_edit(oidc_settings, email, editor):
    assert access.email_may_edit(oidc_settings, email) is editor


def test_a_listed_email_gives_nothing_without_a_provider():
    settings = AuthSettings(editor_emails=frozenset({"ana@example.org"}))
    assert access.email_may_edit(settings, "ana@example.org") is False


@pytest.mark.parametrize(("settings", "no_request", "open_"), [
    (AuthSettings(), True, True),  # AppTest, bare mode: nobody to keep out
    (AuthSettings(), False, False),  # a hosted copy: fails closed
    (AuthSettings(open_editing=True), False, True),
    (AuthSettings(editor_password="pw"), True, False),
    (AuthSettings(editor_password="pw", open_editing=True), False, False),
    (AuthSettings(oidc_providers=(None,), open_editing=True), True, False),
])
def test_editing_without_signing_in(settings, no_request, open_):
    assert access.editing_open(settings, no_request=no_request) is open_


@pytest.mark.parametrize(("claim", "verified"), [
    (True, True), ("true", True), ("TRUE", True), (" true ", True), (False, False),
    ("false", False), (None, False), ("", False), ("yes", False), (1, False), ("1", False)])
def test_only_a_true_email_verified_claim_counts(claim, verified):
    assert access.email_verified(claim) is verified


@pytest.mark.parametrize(("given", "expected", "match"), [
    ("abc", "abc", True),
    ("abc", "a much longer password", False),
    ("", "x", False),
    ("abd", "abc", False),
    ("pw", "pbkdf2_sha256$broken", False),
    ("pw", "pbkdf2_sha256$1000$salt$not-hex", False),
])
def test_password_matches(given, expected, match):
    assert access.password_matches(given, expected) is match


def test_a_hashed_password_matches_only_itself():
    hashed = access.hash_password("pw", iterations=1000)
    scheme, iterations, salt, digest = hashed.split("$")
    assert (scheme, iterations, len(salt), len(digest)) == ("pbkdf2_sha256", "1000", 32, 64)
    assert "pw" not in hashed.split("$", 1)[1]
    assert access.password_matches("pw", hashed)
    assert not access.password_matches("pW", hashed)
    assert access.hash_password("pw", iterations=1000) != hashed  # a new salt each time


def test_passwords_are_compared_in_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", spy)
    assert access.password_matches("abc", "abc")
    assert not access.password_matches("abc", "a much longer password")
    assert not access.password_matches("", "x")
    assert access.password_matches("pw", access.hash_password("pw", iterations=1000))
    assert not access.password_matches("pw", "pbkdf2_sha256$broken")
    assert len(calls) == 4
    assert all(a == b for a, b in calls)  # digests of one length: the length does not leak


@pytest.fixture()
def clock():
    now = [0.0]
    return now


def test_guess_throttle_counts_per_client_and_per_server(clock):
    throttle = GuessThrottle(clock=lambda: clock[0], free_per_server=5)
    assert throttle.wait_before("10.0.0.1") == 0.0
    for _ in range(3):
        throttle.failed("10.0.0.1")
    assert throttle.wait_before("10.0.0.1") == 1.0  # 0.25, 0.5, 1.0: doubles per guess
    assert throttle.wait_before("10.0.0.2") == 0.0  # another address, below the server limit
    for n in range(3):
        throttle.failed(f"10.0.1.{n}")  # six wrong guesses on the server: every check waits
    assert throttle.wait_before("10.0.0.2") > 0 and throttle.wait_before(None) > 0
    clock[0] += 901  # the window has passed
    assert throttle.wait_before("10.0.0.1") == 0.0


def test_guess_throttle_caps_and_forgets_a_client_that_succeeds(clock):
    throttle = GuessThrottle(clock=lambda: clock[0], free_per_server=1000, client_cap=2.0)
    for _ in range(10):
        throttle.failed("10.0.0.1")
    assert throttle.wait_before("10.0.0.1") == 2.0
    throttle.succeeded("10.0.0.1")
    assert throttle.wait_before("10.0.0.1") == 0.0


def test_guess_throttle_pauses_with_the_sleep_it_was_given(clock):
    waits: list[float] = []
    throttle = GuessThrottle(clock=lambda: clock[0], sleep=waits.append)
    throttle.pause("a")
    throttle.failed("a")
    throttle.failed("a")
    throttle.pause("a")
    assert waits == [0.0, 0.5]
