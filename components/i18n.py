"""The language of this session and the translate helpers the pages call.

Streamlit serves every session from one process, so the language is never process-global:
it lives in this session's state. It is chosen once per session, from the link's ``lang``
parameter, else the browser's language (``st.context.locale``), else English; the sidebar
switch changes it. ``_`` and ``_n`` are ``incidents.i18n.gettext`` / ``ngettext`` bound to
it (the names ``pybabel extract`` looks for).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from components import state
from incidents import i18n
from incidents.i18n import LANGUAGES, N_, language_from

__all__ = ["N_", "_", "_n", "date", "formatter", "language", "localize_file_uploader",
           "number", "recode_widgets", "render_language_switch"]


def _browser_language() -> str | None:
    try:
        return language_from(st.context.locale)
    except (AttributeError, RuntimeError):
        return None


def language() -> str:
    """Return this session's language, choosing it on the first call of the session."""
    lang = st.session_state.get(state.LANG)
    if lang not in LANGUAGES:
        lang = (language_from(st.query_params.get(state.QP_LANG)) or _browser_language()
                or i18n.DEFAULT_LANGUAGE)
        st.session_state[state.LANG] = lang
    return lang


def browser_language() -> str:
    """Return the language this browser asks for (the default a link need not repeat)."""
    return _browser_language() or i18n.DEFAULT_LANGUAGE


def _(message: str, **params: object) -> str:
    """Return ``message`` in this session's language, its ``{fields}`` filled from ``params``."""
    return i18n.gettext(message, language(), **params)


def _n(singular: str, plural: str, n: int, **params: object) -> str:
    """Return the form of ``singular``/``plural`` for ``n`` in this session's language."""
    return i18n.ngettext(singular, plural, n, language(), **params)


#: Widget key -> the labels its ``formatter`` names its options by (``recode_widgets``).
_CODED: dict[str, Mapping[object, str]] = {}


def formatter(labels: Mapping[object, str], key: str | None = None) -> Callable[[object], str]:
    """Return a widget ``format_func`` naming each key by its label in ``labels``, translated.

    The language is bound now: Streamlit may call a ``format_func`` outside this script run
    (AppTest does), where the session's state cannot be read. ``key``: the widget's key, so
    that ``recode_widgets`` can turn a label the browser sends back into its code.
    """
    if key is not None:
        _CODED[key] = labels
    lang = language()
    return lambda key: i18n.gettext(labels[key], lang) if key in labels else str(key)


def _code_of(value: object, labels: Mapping[object, str]) -> object:
    if isinstance(value, list):
        return [_code_of(v, labels) for v in value]
    if not isinstance(value, str) or value in labels:
        return value
    for code, label in labels.items():
        if any(i18n.gettext(label, lang) == value for lang in LANGUAGES):
            return code
    return value


def recode_widgets() -> None:
    """Turn the option labels a browser sent back for coded widgets into their codes.

    Streamlit's selectbox and multiselect travel as their options' labels and map them back
    through this run's ``format_func``; a rerun the browser asks for while it still shows
    the other language's labels (the map reporting its view just after the switch) would
    hand the page "Cumulative" where the code "cumulative" is expected. Call before any
    widget of the run; a label of any language becomes its code again.
    """
    ss = st.session_state
    for key in list(ss.keys()):  # this session's keys: few, however many widgets were seen
        labels = _CODED.get(key)
        if labels is not None:
            value = ss[key]
            code = _code_of(value, labels)
            if code != value:
                ss[key] = code


def number(value, decimals: int = 0) -> str:
    """Return ``value`` formatted for this session's language ("4 212")."""
    return i18n.format_number(value, language(), decimals=decimals)


def date(value, fmt: str = "long") -> str:
    """Return ``value`` written for this session's language ("17 septembre 2024")."""
    return i18n.format_date(value, language(), fmt)


def _css_string(text: str) -> str:
    """Return ``text`` as a CSS string literal (quotes, backslashes and ``<`` escaped)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>' or ord(c) < 32 else c for c in text)
    return f'"{escaped}"'


def localize_file_uploader(key: str, types: list[str], limit_mb: float | None = None) -> None:
    """Write the words Streamlit draws itself in the file uploader ``key`` (its button and
    its limit line, English only) in this session's language.

    Streamlit has no option for them: a style sheet scoped to the widget hides them and
    shows the translation in their place (screen readers read the translation too).
    ``limit_mb`` is the limit the widget states (default: ``server.maxUploadSize``).
    """
    if language() == i18n.DEFAULT_LANGUAGE:
        return
    if limit_mb is None:  # Streamlit's own limit, what its line says
        limit_mb = float(st.get_option("server.maxUploadSize") or 200)
    button = _("Browse files")
    limit = _("{mb} MB per file • {types}", mb=number(limit_mb),
              types=", ".join(t.upper() for t in types))
    scope = f".st-key-{key}"
    st.html(
        "<style>"
        f"{scope} [data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p,"
        f"{scope} [data-testid=stFileUploaderDropzoneInstructions] span"
        "{visibility:hidden;font-size:0}"
        f"{scope} [data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer]"
        f" p::after{{visibility:visible;font-size:0.875rem;content:{_css_string(button)}}}"
        f"{scope} [data-testid=stFileUploaderDropzoneInstructions] span::after"
        f"{{visibility:visible;font-size:0.875rem;content:{_css_string(limit)}}}"
        "</style>"
    )


def _switched() -> None:
    chosen = st.session_state.get(state.W_LANG)
    if chosen in LANGUAGES:
        st.session_state[state.LANG] = chosen


def render_language_switch(container=None) -> None:
    """Draw the language switch (in ``container``, default the sidebar)."""
    where = container if container is not None else st.sidebar
    st.session_state[state.W_LANG] = language()
    where.segmented_control(
        _("Language"), LANGUAGES, key=state.W_LANG, required=True,
        format_func=i18n.language_name, on_change=_switched, label_visibility="collapsed",
    )
