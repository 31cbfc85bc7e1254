"""AppTest of the Intake page: a pasted report with a dated dateline and no publication day
given is read from its dateline, and a publication day given still wins for the source."""

import datetime as dt
import shutil

import pytest
import sqlalchemy as sa

from components import intake_view as view
from incidents.access import OPEN_EDITING_ENV

REPORT = ("Mali : attaque près de Kati\n\n"
          "Bamako, 12 mars 2025 — Des hommes armés ont attaqué hier le camp militaire de "
          "Kati, a indiqué l'armée.")


@pytest.fixture
def intake(app_test, monkeypatch, seeded_sqlite_url, tmp_path):
    dst = tmp_path / "incidents.sqlite"
    shutil.copy(sa.engine.make_url(seeded_sqlite_url).database, dst)
    monkeypatch.setenv("INCIDENTS_DATABASE_URL", f"sqlite:///{dst}")
    monkeypatch.setenv(OPEN_EDITING_ENV, "1")
    at = app_test().run()
    at.switch_page("views/intake.py").run()
    assert not at.exception, at.exception
    return at


def _read(at, published=None):
    at.text_area(key=view.W_TEXT).input(REPORT)
    if published is not None:
        at.date_input(key=view.W_PUBLISHED).set_value(published)
    next(b for b in at.button if b.label == "Read reports").click().run(timeout=120)
    assert not at.exception, at.exception
    return at.session_state[view.DRAFTS]


def test_no_publication_day_reads_the_dateline(intake):
    assert intake.date_input(key=view.W_PUBLISHED).value is None
    drafts = _read(intake)
    assert drafts[0].date_start == dt.date(2025, 3, 11)  # "hier" of 12 March 2025
    assert drafts[0].sources[0].date == "2025-03-12"


def test_a_publication_day_given_is_the_source_date(intake):
    drafts = _read(intake, dt.date(2025, 3, 13))
    assert drafts[0].date_start == dt.date(2025, 3, 11)  # still the dateline's "hier"
    assert drafts[0].sources[0].date == "2025-03-13"
