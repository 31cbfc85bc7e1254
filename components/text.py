"""Text from data, shown literally in Streamlit's Markdown (headers, names, error messages)."""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["literal"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")


def literal(text: object) -> str:
    """Return ``text`` escaped so that Markdown shows it literally (no markup, no HTML, no links)."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return ""
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped)
