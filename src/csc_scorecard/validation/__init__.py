"""DfE validation rules for SSDA903 and the CIN census, and our cross-return checks.

Layout: ``core`` (rule registry, outcomes, the runner), ``ssda903/`` and
``cin/`` (one small function per DfE rule code, grouped by subject), and
``cross/`` (checks that compare returns, codes ``XR..``).
"""
