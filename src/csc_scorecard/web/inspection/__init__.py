"""Inspection pages: inspections and recommendations, self-evaluations, the Annex A pack."""
