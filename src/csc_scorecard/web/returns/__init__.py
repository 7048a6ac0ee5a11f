"""The Returns pages: submissions, their issues, uploads."""
