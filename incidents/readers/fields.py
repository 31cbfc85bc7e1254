"""Spreadsheet columns and the incident fields they map to: the field list, header synonyms
(English and French), the guessed mapping and the key a confirmed mapping is remembered under."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from incidents.i18n import N_
from incidents.text import normalize_text

__all__ = ["FIELD_NAMES", "GENERIC_FIELDS", "GenericField", "guess_mapping", "header_key"]


@dataclass(frozen=True)
class GenericField:
    """An incident field a spreadsheet column can map to, and header words that name it."""

    name: str
    label: str
    synonyms: tuple[str, ...]


#: Fields in the order a person fills the mapping in; synonyms are compared normalised
#: (lower case, no accents, ``_``/``-`` as spaces).
GENERIC_FIELDS: tuple[GenericField, ...] = (
    GenericField("date", N_("Date"), (
        "date", "date of attack", "date of incident", "date of event", "event date", "date start",
        "start date", "date debut", "date de debut", "date de l attaque", "date de l incident",
        "date de l evenement", "date incident", "jour", "day", "when", "quand")),
    GenericField("date_end", N_("End date"), (
        "date end", "end date", "date fin", "date de fin", "fin", "until", "jusqu au")),
    GenericField("location", N_("Place"), (
        "place", "lieu", "location", "localite", "locality", "ville", "town", "city", "village",
        "site", "endroit", "where", "emplacement", "place name", "nom du lieu", "lieu de l attaque",
        "commune", "quartier", "neighbourhood", "neighborhood")),
    GenericField("admin2", N_("Admin 2 (cercle, province, department)"), (
        "admin2", "admin 2", "cercle", "province", "departement", "department", "prefecture",
        "district")),
    GenericField("admin1", N_("Admin 1 (region)"), (
        "admin1", "admin 1", "region", "state", "etat", "wilaya")),
    GenericField("country", N_("Country"), ("country", "pays", "nation", "country name", "iso",
                                        "iso2", "iso3", "country code", "code pays")),
    GenericField("latitude", N_("Latitude"), ("latitude", "lat", "y")),
    GenericField("longitude", N_("Longitude"), ("longitude", "lon", "long", "lng", "x")),
    GenericField("coordinates", N_("Coordinates (lat, lon in one column)"), (
        "coordinates", "coordonnees", "coords", "gps", "lat lon", "latlon", "lat long",
        "position", "point")),
    GenericField("geo_precision", N_("Place precision"), (
        "geo precision", "precision", "precision geographique", "location precision",
        "precision du lieu")),
    GenericField("fatalities", N_("Fatalities"), (
        "fatalities", "killed", "deaths", "dead", "morts", "tues", "deces", "nombre de morts",
        "nb morts", "nbre de morts", "bilan", "victimes", "nkill", "death toll", "fatalities best",
        "morts best", "best")),
    GenericField("fatalities_low", N_("Fatalities (low)"), (
        "fatalities low", "low", "deaths low", "morts min", "minimum morts", "min killed")),
    GenericField("fatalities_high", N_("Fatalities (high)"), (
        "fatalities high", "high", "deaths high", "morts max", "maximum morts", "max killed")),
    GenericField("actor", N_("Perpetrator"), (
        "actor", "actor1", "acteur", "auteur", "auteurs", "perpetrator", "perpetrators",
        "perpetrator group", "group", "groupe", "groupe arme", "responsable", "assaillants",
        "attackers", "gname", "side a")),
    GenericField("target", N_("Target"), ("target", "cible", "cibles", "targets", "actor2",
                                      "side b", "vise", "victim", "victime")),
    GenericField("event_type", N_("Event type"), (
        "event type", "type", "type d evenement", "type d incident", "type of event",
        "type of attack", "type d attaque", "nature", "categorie", "category", "incident type")),
    GenericField("description", N_("Description"), (
        "description", "resume", "summary", "notes", "note", "details", "commentaire",
        "commentaires", "comments", "comment", "observations", "narrative", "recit", "faits")),
    GenericField("source", N_("Source"), ("source", "sources", "lien", "link", "url", "reference",
                                      "references", "media", "origine")),
    GenericField("claim", N_("Claim of responsibility"), (
        "claim", "claims", "claimed by", "revendication", "revendique par", "revendications")),
    GenericField("id", N_("Identifier"), (
        "id", "identifiant", "identifier", "event id", "incident id", "ref", "numero", "no",
        "n", "code", "uid")),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in GENERIC_FIELDS)


def header_key(columns) -> str:
    """Return a stable key of a header set, to remember its mapping."""
    names = sorted(normalize_text(c) for c in columns)
    return hashlib.sha1("\x1f".join(names).encode()).hexdigest()


def guess_mapping(columns) -> dict[str, str]:
    """Return ``{field: column}`` for the columns whose header names a field.

    Exact synonyms win, then headers that contain a synonym as whole words ("Nombre de
    morts confirmés" -> fatalities). A column maps to one field, a field to one column.
    """
    # A header is a few words: anything longer is data in the header row, not a name.
    norm = {c: normalize_text(str(c)[:200]) for c in columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for exact in (True, False):
        for fld in GENERIC_FIELDS:
            if fld.name in mapping:
                continue
            for syn in fld.synonyms:
                if not exact and len(syn) < 3:
                    continue  # "x", "no", "n" only count as whole headers
                hit = next((c for c in columns if c not in used and (
                    norm[c] == syn if exact else re.search(rf"\b{re.escape(syn)}\b", norm[c])
                )), None)
                if hit is not None:
                    mapping[fld.name] = hit
                    used.add(hit)
                    break
    return mapping

