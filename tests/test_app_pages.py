"""Pages: no legacy page list on a fresh server; the licence warning only where it applies."""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def test_no_pages_folder_for_streamlit_to_list_and_every_page_exists():
    # A pages/ folder next to app.py is Streamlit's legacy multipage mode: a fresh server
    # lists it ("app, about, geocode, …") until app.py's st.navigation has run once.
    assert not (PROJECT / "pages").exists()
    tree = ast.parse((PROJECT / "app.py").read_text(encoding="utf-8"))
    paths = [node.args[0].value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"]
    assert paths and all((PROJECT / p).is_file() for p in paths)
    assert {Path(p).stem for p in paths} >= {"map", "incidents", "about", "import"}


class _Recorder:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *a, **k: self.calls.append(name)


@pytest.mark.parametrize(("fmt", "shown"), [("acled", ["warning"]), ("gtd", ["warning"]),
                                             ("generic", []), ("ucdp", []), (None, ["info"])])
def test_licence_warning_only_for_acled_and_gtd(monkeypatch, fmt, shown):
    from components import import_view

    recorder = _Recorder()
    monkeypatch.setattr(import_view, "st", recorder)
    import_view.licence_notice(fmt)
    assert recorder.calls == shown
