"""SSDA903 column specifications, one YAML file per collection year (see yearspec.py)."""
