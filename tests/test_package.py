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
