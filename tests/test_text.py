import pytest

from components.text import plural


@pytest.mark.parametrize(("n", "text"), [(0, "0 incidents"), (1, "1 incident"),
                                          (2, "2 incidents"), (4212, "4,212 incidents")])
def test_plural(n, text):
    assert plural(n, "incident") == text


def test_plural_with_an_irregular_form():
    assert plural(3, "person", "people") == "3 people"
