"""Translations: every message shown has a French translation, pages render in French for a
French browser, ``?lang=en`` and the sidebar switch change it, links carry it; Babel formats."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

import incidents
from components import state
from incidents import i18n

PROJECT = Path(__file__).resolve().parent.parent
FRENCH_PO = i18n.catalog_path("fr")
PAGES = ["views/map.py", "views/incidents.py", "views/about.py", "views/import.py",
         "views/intake.py", "views/geocode.py"]


def source_messages(root: Path) -> dict[str | tuple[str, str], str]:
    """Return every message ``pybabel extract`` finds under ``root`` (per babel.cfg) -> where."""
    with (PROJECT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2),
                **i18n.EXTRACT_KEYWORDS}
    found: dict = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(root), method_map, options_map, keywords=keywords):
        if isinstance(message, tuple):
            message = tuple(message[:2]) if message[1] else message[0]
        if message:
            found.setdefault(message, f"{filename}:{lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def untranslated(root: Path, po_path: Path) -> list[str]:
    """Return a line for each source message with no usable translation in ``po_path``:
    missing, empty, fuzzy, or with other ``{fields}`` than the English."""
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    problems = []
    for message, where in sorted(source_messages(root).items(), key=lambda kv: str(kv[0])):
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        if entry is None:
            problems.append(f"{where}: no translation of {message!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(strings):
            problems.append(f"{where}: empty or fuzzy translation of {message!r}")
            continue
        wanted = _fields(key if isinstance(message, str) else message[1])
        for text in strings:
            if _fields(text) - wanted - {"n"} or (wanted - {"n"}) - _fields(text):
                problems.append(f"{where}: fields differ in the translation of {message!r}")
    return problems


# --- the catalogue --------------------------------------------------------------------------

def test_every_message_in_the_source_has_a_french_translation():
    problems = untranslated(PROJECT, FRENCH_PO)
    assert not problems, "\n".join(problems)


def test_the_check_fails_when_an_untranslated_string_is_added(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "components", project / "components")
    shutil.copy(PROJECT / "babel.cfg", project / "babel.cfg")
    (project / "app.py").write_text(
        "from components.i18n import _, _n\n"
        "_('A sentence added without its translation')\n"
        "_n('{n} new thing', '{n} new things', 2)\n", encoding="utf-8")
    problems = untranslated(project, FRENCH_PO)
    assert any("A sentence added without its translation" in p for p in problems)
    assert any("{n} new thing" in p for p in problems)
    assert len(problems) == 2  # everything else in components/ is translated


def test_the_check_fails_on_a_fuzzy_or_broken_translation(tmp_path):
    with FRENCH_PO.open("rb") as fh:
        catalog = read_po(fh)
    catalog.get("Filters").flags.add("fuzzy")
    catalog.get("Window: {start} – {end}").string = "Période : {debut} – {end}"
    broken = tmp_path / "messages.po"
    with broken.open("wb") as fh:
        write_po(fh, catalog)
    problems = untranslated(PROJECT, broken)
    assert any("'Filters'" in p and "fuzzy" in p for p in problems)
    assert any("Window: {start}" in p and "fields differ" in p for p in problems)


def test_fuzzy_entries_are_not_served(tmp_path, monkeypatch):
    with FRENCH_PO.open("rb") as fh:
        catalog = read_po(fh)
    catalog.get("Filters").flags.add("fuzzy")
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    with (tmp_path / "fr" / "LC_MESSAGES" / "messages.po").open("wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._translations.cache_clear()
    try:
        assert i18n.gettext("Filters", "fr") == "Filters"
        assert i18n.gettext("Reset filters", "fr") == "Réinitialiser les filtres"
    finally:
        i18n._translations.cache_clear()


# --- formatting -----------------------------------------------------------------------------

def test_numbers_dates_and_plurals_follow_the_language():
    nnbsp = "\u202f"
    assert i18n.format_number(4212, "fr") == f"4{nnbsp}212"
    assert i18n.format_number(4212, "en") == "4,212"
    assert i18n.ngettext("{n} incident", "{n} incidents", 4212, "fr") == f"4{nnbsp}212 incidents"
    assert i18n.ngettext("{n} incident", "{n} incidents", 0, "fr") == "0 incident"
    assert i18n.ngettext("{n} incident", "{n} incidents", 0, "en") == "0 incidents"
    day = dt.date(2024, 9, 17)
    assert i18n.format_date(day, "fr") == "17 septembre 2024"
    assert i18n.format_date(day, "fr", "medium") == "17 sept. 2024"
    assert i18n.format_date(day, "en") == "September 17, 2024"
    assert i18n.vega_locale("fr")["time"]["shortMonths"][8] == "sept."
    assert i18n.vega_locale("fr")["time"]["days"][0] == "dimanche"  # d3 starts on Sunday


@pytest.mark.parametrize(("tag", "lang"), [
    ("fr-FR", "fr"), ("fr", "fr"), ("fr_CA", "fr"), ("en-US", "en"), ("de-DE", None),
    ("", None), (None, None), ("<script>", None),
])
def test_language_from_a_browser_tag(tag, lang):
    assert i18n.language_from(tag) == lang


def test_an_unknown_language_falls_back_to_english():
    assert i18n.gettext("Filters", "xx") == "Filters"


# --- the app in French ----------------------------------------------------------------------

def _texts(at) -> list[str]:
    """Every string of UI the run shows (data tables aside)."""
    out: list[str] = []
    for kind in ("markdown", "caption", "header", "subheader", "title", "info", "warning",
                 "error", "success", "text"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [e.label for e in at.metric] + [str(e.value) for e in at.metric]
    out += [e.label for e in at.expander]
    for kind in ("button", "selectbox", "multiselect", "text_input", "date_input",
                 "number_input", "segmented_control", "radio", "slider", "checkbox", "toggle"):
        for widget in getattr(at, kind):
            out.append(widget.label)
            out.append(getattr(widget, "help", None) or "")
            out.append(getattr(widget, "placeholder", None) or "")
            if hasattr(widget, "options") and kind in ("selectbox", "segmented_control",
                                                       "radio"):
                out += [str(o) for o in widget.options]
    # Icons (":material/person:") are drawn as icons, not words.
    return [re.sub(r":material/\w+:", "", t) for t in out if t]


def _english_only_words() -> set[str]:
    """Words of the English messages that no French translation uses (so not names, codes or
    titles kept in English)."""
    with FRENCH_PO.open("rb") as fh:
        catalog = read_po(fh)
    english, french = set(), set()
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in ids:
            english |= set(re.findall(r"[A-Za-z]{4,}", re.sub(r"\{[^}]*\}|`[^`]*`", "", text)))
        for text in strs:
            french |= set(re.findall(r"[A-Za-z]{4,}", text))
    lower_french = {w.lower() for w in french}
    return {w for w in english if w.lower() not in lower_french}


ENGLISH_ONLY = _english_only_words()


def _english_in(at) -> list[str]:
    found = []
    # The switch names each language in that language ("English", "Français").
    names = {i18n.language_name(lang) for lang in i18n.LANGUAGES}
    for text in _texts(at):
        if text in names:
            continue
        words = set(re.findall(r"[A-Za-z]{4,}", text))
        hits = sorted(w for w in words if w in ENGLISH_ONLY)
        if hits:
            found.append(f"{hits} in {text[:120]!r}")
    return found


def _french_app(app_test, **query):
    at = app_test()
    at.context["locale"] = "fr-FR"
    for key, value in query.items():
        at.query_params[key] = value
    return at


def test_english_words_are_known_to_the_scan():
    # The scan below must be able to fail: these English UI words are in its list.
    assert {"Filters", "Reset", "Search", "Window", "unknown", "Share"} <= ENGLISH_ONLY


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_french_for_a_french_browser(app_test, page):
    at = _french_app(app_test).run()
    if page != "views/map.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    english = _english_in(at)
    assert not english, "\n".join(english)
    shown = "\n".join(_texts(at))
    assert "Langue" in shown and "Morts (estimation)" in shown
    if page in ("views/map.py", "views/incidents.py"):  # the pages with filters
        assert "Filtres" in shown and "Réinitialiser les filtres" in shown


def test_incident_card_in_french(app_test, seeded_sqlite_url):
    at = _french_app(app_test)
    at.session_state[state.SELECTED] = "atlas:2024-09-17-bamako-faladie"
    at.run()
    text = "\n".join(_texts(at))
    assert "17 septembre 2024" in text
    assert "**Morts\u00a0:** inconnu" in text
    assert "Précision du lieu" in text
    # Data stays as written (the founding reports are in English): only words that are not in
    # the incident's own text, nor CSS of the colour dot, would be untranslated UI.
    row = incidents.load_incidents(seeded_sqlite_url).set_index("incident_id").loc[
        "atlas:2024-09-17-bamako-faladie"]
    data_words = set(re.findall(r"[A-Za-z]{4,}", " ".join(str(v) for v in row.to_numpy())))
    data_words |= {"radius", "right"}  # <span style='border-radius:…;margin-right:…'>
    english = [w for line in _english_in(at) for w in re.findall(r"'(\w+)'", line.split("]")[0])
               if w not in data_words]
    assert not english, english


def test_english_link_parameter_switches_back(app_test):
    at = _french_app(app_test, lang="en").run()
    shown = "\n".join(_texts(at))
    assert "Filters" in shown and "Filtres" not in shown


def test_the_sidebar_switch_changes_the_language(app_test):
    at = app_test().run()
    assert "Filters" in "\n".join(_texts(at))
    at.segmented_control(key=state.W_LANG).set_value("fr").run()
    shown = "\n".join(_texts(at))
    assert "Filtres" in shown and "Reset filters" not in shown
    at.run()  # the choice stays for the session
    assert "Filtres" in "\n".join(_texts(at))


def test_the_share_link_carries_the_language(app_test):
    at = _french_app(app_test).run()
    link = at.code[-1].value
    assert "lang=fr" in link
    assert "lang" not in at.query_params  # the French browser needs no lang in its own URL
    at.segmented_control(key=state.W_LANG).set_value("en").run()
    assert "lang=en" in at.code[-1].value
    assert at.query_params["lang"] in ("en", ["en"])


def test_a_bad_lang_parameter_gets_a_notice(app_test):
    at = _french_app(app_test, lang="xx").run()
    assert not at.exception
    shown = "\n".join(_texts(at))
    assert "Filtres" in shown
    assert "« lang » ignoré" in shown.replace("\u00a0", " ")
