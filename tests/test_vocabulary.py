"""Each vocabulary is defined once, in ``incidents.schema``: the UI and the map take their labels
from there instead of keeping copies that drift apart."""

from __future__ import annotations

import ast
from pathlib import Path

from incidents.mapping.elements import Legend, _precisions_table, _types_table
from incidents.schema import (
    DATASET_FORMATS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    MARKER_STYLES,
    PRECISIONS,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "incidents" / "schema.py"


def _labels() -> set[str]:
    """Every label the schema defines that is not also a code (``town`` is both)."""
    codes = set(GEO_PRECISIONS) | {t.code for t in EVENT_TYPES}
    labels = {t.label for t in EVENT_TYPES} | set(MARKER_STYLES.values())
    for p in PRECISIONS:
        labels |= {p.label, p.map_label, p.phrase}
    labels |= {f.label for f in DATASET_FORMATS if f.label != f.dataset}
    return {label for label in labels if label and label not in codes}


def test_no_module_but_the_schema_writes_a_precision_or_event_type_label():
    labels = _labels()
    assert "Site (exact place)" in labels and "Battle / armed clash" in labels
    found = []
    for folder in ("incidents", "components", "views"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == SCHEMA:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            # A widget may say the same words (``_("Region (admin 1)")`` over the admin1 box):
            # that is a message of its own, not a copy of the vocabulary.
            said = {id(arg) for node in ast.walk(tree) if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name) and node.func.id == "_"
                    for arg in node.args}
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and node.value in labels and id(node) not in said:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not found, "labels copied out of incidents/schema.py:\n" + "\n".join(found)


def test_the_map_draws_precisions_and_event_types_from_the_schema():
    table = _precisions_table("en")
    assert [row["code"] for row in table] == [p.code for p in PRECISIONS]
    assert [row["label"] for row in table] == [p.map_label for p in PRECISIONS]
    assert [row["style"] for row in table] == [p.style for p in PRECISIONS]
    assert [row["radius_m"] for row in table] == [p.radius_km * 1000 for p in PRECISIONS]
    assert [(t["code"], t["label"], t["color"]) for t in _types_table("en")] == [
        (t.code, t.label, t.color) for t in EVENT_TYPES]
    legend = Legend("en").html_json
    for label in MARKER_STYLES.values():
        assert label in legend


def test_the_filters_label_precisions_and_event_types_from_the_schema():
    from components.filters import EVENT_TYPE_LABELS, PRECISION_LABELS

    assert {p.code: p.label for p in PRECISIONS} == PRECISION_LABELS
    assert {t.code: t.label for t in EVENT_TYPES} == EVENT_TYPE_LABELS


def test_the_public_view_names_its_levels_from_the_schema():
    from incidents.privacy import COARSEN_LEVELS, PublicPolicy, describe_policy

    for level in COARSEN_LEVELS:
        phrase = next(p.phrase for p in PRECISIONS if p.code == level)
        assert phrase and phrase in describe_policy(PublicPolicy(coarsen_to=level))
