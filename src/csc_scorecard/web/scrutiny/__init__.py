"""Scrutiny pages: the work programme by meeting, the outcome tracker, updates and overrides."""
