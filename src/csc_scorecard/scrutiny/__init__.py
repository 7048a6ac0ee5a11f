"""Scrutiny: committees, meetings, the work programme and the outcome tracker (docs/scrutiny.md)."""
