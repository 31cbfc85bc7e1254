"""The sentences the domain writes to explain an answer: geocoder and report-extraction notes.

Notes are stored and printed in English (the geocode cache, the CLI's JSON). The app shows
them in the reader's language with ``translate_note``: each template below is a gettext
message whose ``{fields}`` (place names, errors, providers: data) are read back from the
English sentence and put into the translation unchanged. A note that matches no template is
shown as it was written, so a new note must be added here (``tests/test_notes.py``).
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
    # components.intake_view
    N_("point placed by hand on the map"),
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


def translate_note(note: str, lang: str) -> str:
    """Return ``note`` (written in English by the domain) in ``lang``; its data unchanged."""
    for pattern, template in _patterns():
        match = pattern.match(note)
        if match:
            return gettext(template, lang, **match.groupdict())
    return note
