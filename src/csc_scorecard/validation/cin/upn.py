"""The DfE's UPN check letter, for one UPN at a time (the rules use a Polars form of it).

Characters 2-13 are each multiplied by their position (2 to 13) and summed; a
letter in character 13 (a temporary UPN) counts as its place in the check
alphabet (A = 0 ... Z = 22). The sum modulo 23, read off the same alphabet,
is character 1.
"""

from __future__ import annotations

CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


def check_letter(tail: str) -> str:
    """The check letter for characters 2-13 of a UPN (12 characters: 11 digits, then a digit or letter)."""
    if len(tail) != 12 or not tail[:11].isdigit():
        raise ValueError("a UPN's characters 2-13 are eleven digits and a digit or letter")
    last = tail[11]
    if last.isdigit():
        last_value = int(last)
    elif last in CHECK_ALPHABET:
        last_value = CHECK_ALPHABET.index(last)
    else:
        raise ValueError("character 13 of a UPN is a digit or a letter other than I, O and S")
    total = sum(int(c) * pos for pos, c in enumerate(tail[:11], start=2)) + last_value * 13
    return CHECK_ALPHABET[total % 23]


def with_check_letter(tail: str) -> str:
    """A whole UPN from its characters 2-13."""
    return check_letter(tail) + tail
