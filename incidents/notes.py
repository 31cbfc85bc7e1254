"""The sentences the domain writes to explain an outcome: geocoder and report-extraction notes,
and the reasons an import rejects a row or calls it a duplicate.

They are stored and printed in English (the geocode cache, the CLI's JSON, the rejected-rows
CSV). The app shows them in the reader's language with ``translate_note``: each template below
is a gettext message whose ``{fields}`` (place names, values from the file, errors: data) are
read back from the English sentence and put into the translation unchanged (a field that is
itself such a sentence is translated too). A sentence that matches no template is shown as it
was written, so a new one must be added here (``tests/test_notes.py`` checks the readers').
"""

from __future__ import annotations

import functools
import re

from incidents.i18n import N_, gettext

__all__ = ["NOTE_TEMPLATES", "translate_note"]

NOTE_TEMPLATES: tuple[str, ...] = (
    # incidents.geocoding.resolver
    N_("no known place name in the text"),
    N_("not in the offline gazetteer: {names}"),
    N_("the text names an airport but no airport matched; the place is used"),
    N_("matched by a similar spelling"),
    N_("the place is given relative to another; the point is that place"),
    N_("{name} is not in the offline gazetteer; the point stands for the larger area named "
       "with it"),
    N_("best match {name} is in {country}, not in {hint}: left unresolved for review"),
    N_("only part of the name matched ({name} is not in the offline gazetteer)"),
    N_("the place lies outside the area the text names"),
    N_("{text} matched {name} by similar spelling ({percent}%) in {area}"),
    N_("no place called {name} is known in {area}; the point stands for that area"),
    N_("point from: {source}"),
    N_("{name} in {country} set aside: the place is read in {hint}"),
    N_("{km} km from {name} is too far to place: the point is that place"),
    N_("{km} km from {name} in no given direction: the point is that place"),
    N_("displaced {km} km {direction} of {name} ({lat}, {lon})"),
    N_("between two places of which only {name} is known: the point is that place"),
    N_("on the road between two places of which only {name} is known: the point is that "
       "place"),
    N_("midpoint between {first} and {second} ({km} km apart)"),
    N_("midpoint on the road between {first} and {second} ({km} km apart)"),
    # the compass words of an offset ({direction} above)
    N_("north"), N_("north-east"), N_("east"), N_("south-east"), N_("south"), N_("south-west"),
    N_("west"), N_("north-west"),
    # incidents.geocoding.service and cache
    N_("empty place text"),
    N_("online geocoder unavailable ({error}); answer from the offline index"),
    N_("online geocoder failed ({error}); answer from the offline index"),
    N_("{provider} found nothing; answer from the offline index"),
    N_("{provider} (cached)"),
    N_("{provider}: no match (cached)"),
    # incidents.extraction
    N_("placed at the {facility} site already in the store ({place}, {id}); the report names "
       "no finer place"),
    N_("the sources disagree on the toll, so fatalities are left unknown"),
    N_("no place the geocoder knows"),
    N_("the report names no place"),
    N_("{words} is no place the geocoder knows"),
    N_("{reason}: a protest told without a known place is placed at the capital, {capital}, "
       "with precision 'country' (national events are coded at the capital)"),
    N_("{name}: the namesake near {other}"),
    N_("{name}: the report places the event between it and {other}"),
    N_("{name}: the report places the event near {other}"),
    N_("{name}: the report places the event at {other}"),
    N_("{name}: the report places the event on the road between {first} and {second}, at "
       "its first known end"),
    N_("{name}: the report places the event in {other}"),
    N_("{words} names a site in {other}; the point is {name}'s"),
    N_("{words} is not known near {other}; the point is {name}'s"),
    N_("{words} read alone: the place inside {area}"),
    N_("{seat}, spelled like the area {area}, is taken for its seat"),
    # components.intake_view
    N_("point placed by hand on the map"),
    # incidents.db.describe_database
    N_("the SQLite file {path}"),
    # incidents.readers: why a row is rejected ({value} is the cell, quoted)
    N_("no date"),
    N_("date not understood: {value}"),
    N_("end date not understood: {value}"),
    N_("end date is before the date"),
    N_("coordinates not understood: {value}"),
    N_("{field} not understood: {value}"),
    N_("{field} is negative: {value}"),
    N_("only one of latitude and longitude is given"),
    N_("latitude/longitude out of range"),
    N_("latitude/longitude missing or out of range"),
    N_("duplicate of row {row} in the file (same identifier)"),
    N_("duplicate of row {row} in the file (same content)"),
    N_("no ACLED event id (event_id_cnty)"),
    N_("event_date is not a date: {value}"),
    N_("time_precision is not 1, 2 or 3"),
    N_("geo_precision is not 1, 2 or 3"),
    N_("unknown ACLED event_type: {value}"),
    N_("fatalities is not a count: {value}"),
    N_("duplicate ACLED event id in the file (first at row {row})"),
    N_("iyear is not a year: {value}"),
    N_("imonth is not 0-12"),
    N_("iday is not 0-31"),
    N_("iday is given but imonth is unknown (0)"),
    N_("iday does not exist in that month"),
    N_("specificity is not 1-5"),
    N_("unknown attacktype1_txt: {value}"),
    N_("nkill is negative"),
    N_("duplicate GTD event in the file (same eventid as row {row})"),
    N_("duplicate GTD event in the file (same cells as row {row})"),
    N_("no UCDP event id"),
    N_("date_start is not a date"),
    N_("date_end is not a date"),
    N_("date_end is before date_start"),
    N_("where_prec is not 1-7"),
    N_("date_prec is not 1-5"),
    N_("type_of_violence is not 1, 2 or 3"),
    N_("duplicate UCDP event id in the file"),
    N_("the row has {fields} fields but the header has {width} (a stray delimiter or an "
       "unclosed quote?)"),
    N_("a field is longer than {n} characters"),
    # incidents.readers.detect: how a file was read
    N_("the file mixes two encodings: {n} of its lines are not UTF-8 and were read as Windows "
       "cp1252 (file line {lines}); check their accented letters"),
    # incidents.importer: why a row is a duplicate
    N_("already in the store as {id}"),
    N_("same day, place and actor as {other}"),
    N_("{id} in the store"),
    N_("row {row} in the file"),
)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for template in NOTE_TEMPLATES:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                        for i, p in enumerate(parts))
        compiled.append((re.compile(f"^{regex}$", re.S), template))
    return tuple(compiled)


def translate_note(note: str, lang: str, *, _depth: int = 0) -> str:
    """Return ``note`` (written in English by the domain) in ``lang``; its data unchanged."""
    for pattern, template in _patterns():
        match = pattern.match(note)
        if match:
            fields = match.groupdict()
            if _depth < 2:  # "same day, place and actor as row 3 in the file"
                fields = {k: translate_note(v, lang, _depth=_depth + 1)
                          for k, v in fields.items()}
            return gettext(template, lang, **fields)
    return note
