"""Stored indicator results (IndicatorValue), recomputed after every ingest."""
