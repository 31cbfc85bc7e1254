"""The domain package stays UI-free and exposes a small public surface."""

import subprocess
import sys


def test_importing_incidents_does_not_import_streamlit():
    code = (
        "import sys, incidents, incidents.mapping, incidents.filtering, incidents.timeline, "
        "incidents.store, incidents.readers.ucdp, incidents.bundled, incidents.cli\n"
        "assert 'streamlit' not in sys.modules, 'streamlit imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


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
