"""The domain package stays UI-free and exposes a small public surface."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def test_no_module_of_incidents_imports_streamlit():
    """Every module of the domain package, found by walking it, imports without streamlit
    (pages -> components -> incidents: the domain package never imports the UI)."""
    code = (
        "import importlib, pkgutil, sys, incidents\n"
        "names = [m.name for m in pkgutil.walk_packages(incidents.__path__, 'incidents.')\n"
        "         if not m.name.endswith('.__main__')]  # __main__ runs the command line\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(n for n in sys.modules if n == 'streamlit' or n.startswith('streamlit.'))\n"
        "print(len(names), loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=PROJECT, check=True)
    count, loaded = done.stdout.strip().split(" ", 1)
    modules = {p for p in (PROJECT / "incidents").rglob("*.py") if p.name != "__main__.py"}
    assert int(count) == len(modules) - 1  # every module but incidents/__init__.py itself
    assert loaded == "[]"


def test_public_api():
    import incidents

    assert "load_incidents" in incidents.__all__
    assert callable(incidents.load_incidents)


def test_pyproject_names_every_pinned_requirement_and_accepts_its_pin():
    """requirements.txt (exact pins) and pyproject.toml (what ``pip install -e .`` asks for)
    list the same packages, and every pin satisfies pyproject's bounds."""
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    extras = project["optional-dependencies"]
    assert {"postgres", "oidc"} <= set(extras)
    wanted += [Requirement(r) for group in extras.values() for r in group]
    bounds = {canonicalize_name(r.name): r for r in wanted}
    pins = {}
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pin = Requirement(line)
            pins[canonicalize_name(pin.name)] = pin
    assert set(pins) == set(bounds)
    for name, pin in pins.items():
        (version,) = [s.version for s in pin.specifier]
        assert bounds[name].specifier.contains(version), (name, version, bounds[name])
        assert pin.extras == bounds[name].extras, name
