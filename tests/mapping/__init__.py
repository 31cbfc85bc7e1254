"""Tests of incidents.mapping."""
