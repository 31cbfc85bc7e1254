"""Every SQL table of the project, on one ``MetaData``: what ``store.ensure_schema`` creates.

SQLAlchemy Core only, portable to SQLite and PostgreSQL. The modules that read and write a
table import it from here: the store (``incidents``, ``meta``), the geocode cache and the
place corrections (``incidents.geocoding.cache``), the remembered column mappings of imports
(``incidents.column_mappings``).
"""

from __future__ import annotations

import sqlalchemy as sa

from incidents.schema import DTYPES

__all__ = [
    "KEY_LENGTH",
    "geocode_cache_table",
    "import_mappings_table",
    "incidents_table",
    "meta_table",
    "metadata",
    "place_corrections_table",
]

#: Every table of the project is declared on this one MetaData.
metadata = sa.MetaData()

#: Longest folded place text a geocoding key keeps.
KEY_LENGTH = 400


def _sql_type(dtype: str) -> sa.types.TypeEngine:
    if dtype == "datetime64[s]":
        return sa.DateTime()
    if dtype == "Float64":
        return sa.Float()
    if dtype == "Int64":
        return sa.Integer()
    return sa.Text()


#: One row per incident, a column per schema column.
incidents_table = sa.Table(
    "incidents",
    metadata,
    *[
        sa.Column(name, _sql_type(dtype), primary_key=(name == "incident_id"))
        for name, dtype in DTYPES.items()
    ],
    sa.Index("ix_incidents_date_start", "date_start"),
    sa.Index("ix_incidents_country", "country"),
)

#: The store's own settings: schema and data versions, the key of spreadsheet ids.
meta_table = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

#: The online geocoders' answers, misses included: no query is sent to a provider twice.
geocode_cache_table = sa.Table(
    "geocode_cache",
    metadata,
    sa.Column("provider", sa.String(64), primary_key=True),
    sa.Column("query_key", sa.String(KEY_LENGTH), primary_key=True),
    sa.Column("country", sa.String(8), primary_key=True),  # "" when no hint
    sa.Column("query", sa.Text, nullable=False),  # the text as first sent
    sa.Column("found", sa.Boolean, nullable=False),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("geo_precision", sa.String(16)),
    sa.Column("matched_name", sa.Text),
    sa.Column("place_id", sa.String(128)),
    sa.Column("confidence", sa.Float),
    sa.Column("answer_country", sa.String(8)),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

#: Points people placed by hand: they win over every automatic answer for the same text.
place_corrections_table = sa.Table(
    "place_corrections",
    metadata,
    sa.Column("query_key", sa.String(KEY_LENGTH), primary_key=True),
    sa.Column("country", sa.String(8), primary_key=True),  # "" = any country hint
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("latitude", sa.Float, nullable=False),
    sa.Column("longitude", sa.Float, nullable=False),
    sa.Column("geo_precision", sa.String(16), nullable=False),
    sa.Column("matched_name", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

#: The column mapping last confirmed for each header set of imported spreadsheets.
import_mappings_table = sa.Table(
    "import_mappings",
    metadata,
    sa.Column("header_key", sa.String(64), primary_key=True),
    sa.Column("headers", sa.Text, nullable=False),  # JSON list, for people reading the table
    sa.Column("mapping", sa.Text, nullable=False),  # JSON {field: column}
    sa.Column("updated_at", sa.DateTime, nullable=False),
)
