"""Scorecard, indicator, targets and commentary pages."""
