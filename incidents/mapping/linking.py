"""Scripts and data the app's map links once instead of sending them with every message.

streamlit-folium resends the whole map whenever its layer changes. ``link_data`` publishes
what does not change as content-addressed static scripts (``static_data``): the outlines,
the offline labels, the legend, the layers' tables and the layers' and offline basemap's
code; the elements then read them from there, and a layer carries only its data and a call.
"""

from __future__ import annotations

import functools

import folium

from incidents.mapping.compact import compact
from incidents.mapping.elements import (
    BIN_LAYER_JS,
    INCIDENT_LAYER_JS,
    KEEP_SCROLL_JS,
    LEGEND_JS,
    AssetLoader,
    Legend,
    layer_tables,
    safe_json,
)
from incidents.mapping.offline import (
    OFFLINE_BASEMAP_JS,
    OUTLINE_STYLES,
    OUTLINE_STYLES_JS,
    OUTLINES_JS,
    OfflineBasemap,
    Outlines,
)
from incidents.mapping.static_data import STATIC_DIR, publish, publish_code, reference

__all__ = ["bin_layer_linked", "incident_layer_linked", "link_data", "linked_tables"]


@functools.cache
def _bin_layer_script() -> str | None:
    """The bin layer's functions published as a static script (path under static/), or None."""
    return publish_code("bin-layer", BIN_LAYER_JS)


@functools.cache
def _tables_script(lang: str) -> str | None:
    """The layers' tables in ``lang`` (``layer_tables``) published as a static script."""
    return publish(f"tables_{lang}", safe_json(layer_tables(lang)))


@functools.cache
def _incident_layer_script() -> str | None:
    """The incident layer's functions published as a static script, or None."""
    return publish_code("incident-layer", INCIDENT_LAYER_JS)


#: The base map's functions (outlines and their styles, legend, offline basemap, focus
#: without scrolling), linked as one script.
_MAP_CODE = OUTLINES_JS + OUTLINE_STYLES_JS + LEGEND_JS + OFFLINE_BASEMAP_JS + KEEP_SCROLL_JS


@functools.cache
def _map_script() -> str | None:
    """The base map's functions published as a static script, or None."""
    return publish_code("map-code", _MAP_CODE)


#: Elements whose data a linked map reads from a static script: class -> (name, attribute,
#: whether the data is in the map's language, so one script per language).
_LINKED_DATA = {Outlines: ("outlines", "data_json", False),
                OfflineBasemap: ("labels", "data_json", True),
                Legend: ("legend", "html_json", True)}


def link_data(m: folium.Map, lang: str) -> list[str]:
    """Publish the data of ``m``'s outlines, labels and legend (in ``lang``) and the bin
    layer's functions as static scripts that ``m`` loads once; the elements then read them
    from there. Return the scripts' paths under ``static/`` (anything that cannot be
    published stays embedded)."""
    compact(m)  # the script and header it sends again with every rerun, without indentation
    scripts = []
    for child in list(m._children.values()):
        linked = _LINKED_DATA.get(type(child))
        if linked is None:
            continue
        name, attribute, per_language = linked
        name = f"{name}_{lang}" if per_language else name
        if (path := publish(name, getattr(child, attribute))) is not None:
            setattr(child, attribute, reference(name))
            scripts.append((f"ia-{name}", path))
    if (code := _bin_layer_script()) is not None:
        scripts.append(("ia-bin-layer", code))
    if (code := _incident_layer_script()) is not None:
        scripts.append(("ia-incident-layer", code))
    if (path := _tables_script(lang)) is not None:
        scripts.append(("ia-tables", path))
    if (code := _map_script()) is not None:
        scripts.append(("ia-map-code", code))
        for child in m._children.values():  # one call each instead of their code
            if isinstance(child, (Outlines, Legend, OfflineBasemap, AssetLoader)):
                child.code = ""
            if isinstance(child, Outlines):
                child.styles_json = OUTLINE_STYLES
    scripts = _bundled(scripts, lang)
    for child in m._children.values():
        if isinstance(child, AssetLoader):
            child.default_js = [*child.default_js, *scripts]
    return [path for _, path in scripts]


def _bundled(scripts: list[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    """The published ``scripts`` as one script (``atlas_<lang>``), in the same order, when it
    can be published, else as they are. streamlit-folium loads a map's scripts one after
    another, each waiting for the last, so every link is a round trip before the first map."""
    text = _joined(tuple(path for _, path in scripts)) if len(scripts) > 1 else None
    path = publish_code(f"atlas_{lang}", text) if text is not None else None
    return [("ia-atlas", path)] if path is not None else scripts


#: Joined texts by their scripts' paths (content-addressed, so a path names one text).
_JOINED: dict[tuple[str, ...], str] = {}


def _joined(paths: tuple[str, ...]) -> str | None:
    """The published scripts at ``paths`` joined in order, or None when one cannot be read
    (not remembered: a later call reads them again)."""
    if (text := _JOINED.get(paths)) is not None:
        return text
    try:
        text = "\n;\n".join((STATIC_DIR / path).read_text(encoding="utf-8") for path in paths)
    except OSError:
        return None
    if len(_JOINED) >= 16:  # a few per language: the data scripts change only with the data
        _JOINED.clear()
    _JOINED[paths] = text
    return text


def linked_tables(link_data: bool, assets: str | None, lang: str) -> str | None:
    """The expression reading the layers' tables from the linked script, else None."""
    if link_data and assets is not None and _tables_script(lang) is not None:
        return reference(f"tables_{lang}")
    return None


def bin_layer_linked() -> bool:
    """Whether the bin layer's code is linked (published), so a layer carries only a call."""
    return _bin_layer_script() is not None


def incident_layer_linked() -> bool:
    """Whether the incident layer's code is linked (published)."""
    return _incident_layer_script() is not None
