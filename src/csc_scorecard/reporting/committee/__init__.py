"""Scrutiny committee documents: the cover report for a performance report, the summary of
achievements and priorities, the outcome tracker, the work programme and the committee pack."""
