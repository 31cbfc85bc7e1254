"""Tests of incidents.readers."""
