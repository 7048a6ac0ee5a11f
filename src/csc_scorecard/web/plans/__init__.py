"""Improvement plans in the browser: plans, programmes, actions, risks, highlight reports, local measures."""
