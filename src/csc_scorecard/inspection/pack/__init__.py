"""The Annex A inspection pack: the lists as inspectors will see them (figures in
csc_scorecard.inspection.pack.compute, reading in .lists, the document in .build)."""
