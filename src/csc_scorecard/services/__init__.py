"""The one API every front end calls (CLI, web views, report builders).

One module per question (see docs/services.md):

- ``council``: which council the installation reports on (one rule);
- ``results``: reading stored results (the one reader);
- ``figures``: figures computed live from the current returns;
- ``scorecard``: a period's scorecard as a front end shows it;
- ``recompute``: which years are stale, and recomputing them;
- ``access``: child-level data by role, every access audited;
- ``accounts``: accounts, roles, and the account the CLI acts as;
- ``audit``: the audit record itself.

Front ends parse their input, call one function here and render what comes back.
"""
