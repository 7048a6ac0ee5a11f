"""Improvement plans: programmes, objectives, actions, risks and local measures.

Plans read figures (stored results, local-measure values); they never
compute them.  The rules (overdue, risk matrix, vocabularies) are in
:mod:`csc_scorecard.plans.rules` and docs/plans.md.
"""
