"""Reusable Streamlit pieces: state keys, data access, filters sidebar, map, timeline, cards."""
