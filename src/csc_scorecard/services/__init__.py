"""The one API every front end calls (CLI, web views, report builders).

One module per question: which council, stored results, recompute,
child-level access and its audit, the current account. Front ends parse
their input, call one function here and render what comes back.
"""
