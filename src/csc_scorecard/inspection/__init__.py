"""Inspection readiness: inspections and their recommendations, self-evaluations
whose figures are read from the stored results, and the Annex A inspection pack."""
