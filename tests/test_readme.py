"""README stays true: set-up commands, the test command, every column in the dictionary."""

from pathlib import Path

from incidents.schema import COLUMNS, EVENT_TYPES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_quick_start_and_test_command():
    assert "pip install -r requirements.txt" in README
    assert "streamlit run app.py" in README
    assert "python -m pytest" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert ci.strip().splitlines()[-1] == "python -m pytest"


def test_data_dictionary_lists_every_column_and_event_type():
    for column in COLUMNS:
        assert f"| `{column}` |" in README, column
    for event_type in EVENT_TYPES:
        assert f"| `{event_type.code}` |" in README, event_type.code
