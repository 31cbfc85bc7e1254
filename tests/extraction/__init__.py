"""Tests of incidents.extraction."""
