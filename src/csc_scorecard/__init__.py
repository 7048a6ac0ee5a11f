"""csc-scorecard: performance scorecards for children's services from the statutory returns."""

__version__ = "0.1.0"
