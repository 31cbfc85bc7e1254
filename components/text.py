"""Text shown to people: text from data made literal for Streamlit's Markdown (headers, names,
error messages), and counts with their noun in the right number."""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["literal", "plural"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")


def literal(text: object) -> str:
    """Return ``text`` escaped so that Markdown shows it literally (no markup, no HTML, no links)."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return ""
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """Return ``n`` with the noun in the right number: "1 incident", "0 incidents", "1,234 …".

    ``plural_form`` is the plural when it is not the singular plus "s".
    """
    noun = singular if abs(n) == 1 else (plural_form or singular + "s")
    return f"{n:,} {noun}"
