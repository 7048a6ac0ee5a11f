"""Accounts: the people who use csc-scorecard, each with one role."""
