"""components/state.py: every session-state and widget key once, none mistaken for another."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components import state

KEYS = {name: value for name, value in vars(state).items()
        if name.isupper() and isinstance(value, str) and not name.startswith("QP_")}
#: Keys completed by a suffix ("geo_choice_" + a place key): one page's family of widgets.
PREFIXES = {name: value for name, value in KEYS.items() if value.endswith("_")}


def test_every_key_names_one_thing():
    by_value: dict[str, list[str]] = {}
    for name, value in KEYS.items():
        by_value.setdefault(value, []).append(name)
    assert {v: names for v, names in by_value.items() if len(names) > 1} == {}


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_a_family_of_keys_takes_in_no_other_key(prefix):
    taken = [name for name, value in KEYS.items()
             if name != prefix and value.startswith(PREFIXES[prefix])]
    assert taken == []


def test_the_draft_cards_keys_are_all_families():
    assert set(state.INTAKE_DRAFT_KEYS) <= set(PREFIXES.values())


def _forget(card_keys: list[str], kept: list[str]) -> None:
    import streamlit as st

    from components import intake_view

    for key in card_keys + kept:
        st.session_state[key] = 1
    intake_view.forget_draft_widgets()
    st.write(",".join(sorted(str(k) for k in st.session_state if str(k).startswith("intake"))))


def test_reading_new_reports_forgets_every_draft_card_and_nothing_else():
    # Every family of Intake keys belongs to a draft's card (+ the draft's number).
    families = [value for name, value in PREFIXES.items() if "INTAKE" in name]
    assert len(families) == 12
    cards = [prefix + "0" for prefix in families] + [state.W_INTAKE_CLAIMS + "3_df",
                                                     state.INTAKE_LAST_CLICK + "12"]
    kept = [state.W_INTAKE_TEXT, state.INTAKE_DRAFTS, state.INTAKE_REPORTS, state.INTAKE_FLASH,
            state.W_INTAKE_COUNTRY, state.W_INTAKE_URL]
    at = AppTest.from_function(_forget, args=(cards, kept), default_timeout=30).run()
    assert not at.exception, at.exception
    assert at.markdown[0].value.split(",") == sorted(kept)
