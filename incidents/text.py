"""Small text helpers for counts shown to people."""

from __future__ import annotations

__all__ = ["plural"]


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """Return ``n`` with the noun in the right number: "1 incident", "0 incidents", "1,234 …".

    ``plural_form`` is the plural when it is not the singular plus "s".
    """
    noun = singular if abs(n) == 1 else (plural_form or singular + "s")
    return f"{n:,} {noun}"
