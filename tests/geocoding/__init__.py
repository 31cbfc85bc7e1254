"""Tests of incidents.geocoding."""
