"""CIN census rules on the header and the child's identifiers: UPN, LA child id, dates, sex.

UPNs (unique pupil numbers) are 13 characters: a check letter, the three
digits of the LA that issued it, eight more digits (the school's number and
a serial), and a last digit - or a letter A-Z but I, O and S for a
temporary UPN. The check letter is the DfE's: each of characters 2-13 times
its position (2 to 13, a letter in character 13 counting as its place in the
check alphabet), summed, modulo 23, read off the check alphabet.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csc_scorecard.validation.cin.common import (
    birthday,
    cin_rule,
    codes,
    day,
    fail,
    false,
    la_codes,
    missing,
    outside_year,
    period,
    whole_return,
    year_spec,
)
from csc_scorecard.validation.cin.upn import CHECK_ALPHABET
from csc_scorecard.validation.core import collect, collect_all, shared

_LETTER_VALUE = {letter: str(i) for i, letter in enumerate(CHECK_ALPHABET)}
UPN_SHAPE = rf"^[{CHECK_ALPHABET}]\d{{11}}[0-9{CHECK_ALPHABET}]$"
SCHOOL_AGE = 6  # older than this at the reference date: a UPN is expected


def check_letter(upn: pl.Expr) -> pl.Expr:
    """The check letter characters 2-13 call for; null when they are not digits (13: a letter)."""
    total = pl.lit(0, dtype=pl.Int64)
    for position in range(2, 13):
        digit = upn.str.slice(position - 1, 1).cast(pl.Int64, strict=False)
        total = total + digit * position
    last = upn.str.slice(12, 1)
    last_value = (
        pl.when(last.str.contains(r"^\d$"))
        .then(last)
        .otherwise(last.replace_strict(_LETTER_VALUE, default=None))
        .cast(pl.Int64, strict=False)
    )
    total = total + last_value * 13
    return pl.lit(CHECK_ALPHABET).str.slice(total % 23, 1)


def _ids(t) -> pl.DataFrame:
    return t["ChildIdentifiers"]


@cin_rule("100", reads=("Header",))
def reference_date(t, ctx):
    _, end = period(ctx)
    if t["Header"].height == 0:  # no header at all: no reference date either
        return whole_return("Header", ReferenceDate=None)
    rows = t["Header"].filter(day("ReferenceDate").is_null() | (day("ReferenceDate") != end))
    return fail(rows, "Header", "ReferenceDate")


@cin_rule("1510", reads=("ChildIdentifiers",))
def upn_check_letter(t, ctx):
    # One query, the check letter worked out once per UPN (an eager filter repeats it).
    rows = (
        _ids(t).lazy()
        .with_columns(pl.col("UPN").str.strip_chars().alias("UPN"))
        .filter(pl.col("UPN").str.len_chars() == 13)
        .with_columns(check_letter(pl.col("UPN")).alias("_check"))
        .filter(pl.col("_check").is_not_null() & (pl.col("UPN").str.slice(0, 1) != pl.col("_check")))
    )
    return fail(collect(rows), "ChildIdentifiers", "UPN")


@cin_rule("1520", reads=("ChildIdentifiers",))
def upn_repeated(t, ctx):
    ids = _ids(t).filter(~missing("UPN"))
    rows = ids.filter(pl.col("UPN").str.strip_chars().is_duplicated())
    return fail(rows, "ChildIdentifiers", "UPN")


@cin_rule("1530", reads=("ChildIdentifiers",))
def upn_la_digits(t, ctx):
    rows = _ids(t).filter(
        ~missing("UPN")
        & ~pl.col("UPN").str.strip_chars().str.slice(1, 3).is_in(sorted(la_codes()))
    )
    return fail(rows, "ChildIdentifiers", "UPN")


@cin_rule("1540", reads=("ChildIdentifiers",))
def upn_digits_5_to_12(t, ctx):
    rows = _ids(t).filter(
        ~missing("UPN") & ~pl.col("UPN").str.strip_chars().str.slice(4, 8).str.contains(r"^\d{8}$")
    )
    return fail(rows, "ChildIdentifiers", "UPN")


@cin_rule("1550", reads=("ChildIdentifiers",))
def upn_character_13(t, ctx):
    last = pl.col("UPN").str.strip_chars().str.slice(12)
    rows = _ids(t).filter(~missing("UPN") & ~last.str.contains(rf"^[0-9{CHECK_ALPHABET}]$"))
    return fail(rows, "ChildIdentifiers", "UPN")


@cin_rule("1560Q", reads=("ChildIdentifiers",))
def former_upn_shape(t, ctx):
    rows = _ids(t).filter(
        ~missing("FormerUPN") & ~pl.col("FormerUPN").str.strip_chars().str.contains(UPN_SHAPE)
    )
    return fail(rows, "ChildIdentifiers", "FormerUPN")


@cin_rule("1570", reads=("ChildIdentifiers",))
def child_id_length(t, ctx):
    rows = _ids(t).filter(pl.col("LAchildID").str.len_chars() > 20)
    return fail(rows, "ChildIdentifiers", "LAchildID")


@cin_rule("1580", reads=("ChildIdentifiers",))
def child_id_characters(t, ctx):
    rows = _ids(t).filter(~missing("LAchildID") & pl.col("LAchildID").str.contains(r"[^A-Za-z0-9]"))
    return fail(rows, "ChildIdentifiers", "LAchildID")


@cin_rule("8500", reads=("ChildIdentifiers",))
def child_id_missing(t, ctx):
    return fail(_ids(t).filter(missing("LAchildID")), "ChildIdentifiers", "LAchildID")


@cin_rule("8510", reads=("ChildIdentifiers",))
def child_id_repeated(t, ctx):
    rows = _ids(t).filter(~missing("LAchildID") & pl.col("LAchildID").is_duplicated())
    return fail(rows, "ChildIdentifiers", "LAchildID")


@cin_rule("8520", reads=("ChildIdentifiers",))
def born_after_census(t, ctx):
    _, end = period(ctx)
    rows = _ids(t).filter(day("PersonBirthDate") > end)
    return fail(rows, "ChildIdentifiers", "PersonBirthDate")


@cin_rule("8525Q", reads=("ChildIdentifiers",))
def birth_or_expected_birth(t, ctx):
    born, expected = ~missing("PersonBirthDate"), ~missing("ExpectedPersonBirthDate")
    rows = _ids(t).filter(born == expected)  # both given, or neither
    return fail(rows, "ChildIdentifiers", "PersonBirthDate", "ExpectedPersonBirthDate")


@cin_rule("8530Q", reads=("ChildIdentifiers",))
def expected_birth_range(t, ctx):
    # From 1 March of the year the census ends to 31 December of that year.
    year_end = ctx.year_start + 1
    when = day("ExpectedPersonBirthDate")
    rows = _ids(t).filter(
        ~missing("ExpectedPersonBirthDate")
        & ~when.is_between(pl.lit(dt.date(year_end, 3, 1)), pl.lit(dt.date(year_end, 12, 31))).fill_null(False)
    )
    return fail(rows, "ChildIdentifiers", "ExpectedPersonBirthDate")


@cin_rule("8535Q", reads=("ChildIdentifiers",))
def death_before_birth(t, ctx):
    rows = _ids(t).filter(day("PersonDeathDate") < day("PersonBirthDate"))
    return fail(rows, "ChildIdentifiers", "PersonDeathDate", "PersonBirthDate")


@cin_rule("8545Q", reads=("ChildIdentifiers",))
def death_in_year(t, ctx):
    rows = _ids(t).filter(outside_year("PersonDeathDate", ctx))
    return fail(rows, "ChildIdentifiers", "PersonDeathDate")


def _sex_is(value: str, ctx) -> pl.Expr:
    """The Sex column holds a value the year's coding maps to M, F or U = ``value``."""
    mapping = year_spec(ctx).sex_values
    wanted = [k for k, v in mapping.items() if v == value]
    return pl.col("Sex").str.strip_chars().is_in(wanted).fill_null(False)


@cin_rule("4180", reads=("ChildIdentifiers",))
def sex_valid(t, ctx):
    allowed = list(year_spec(ctx).sex_values)
    rows = _ids(t).filter(missing("Sex") | ~pl.col("Sex").str.strip_chars().is_in(allowed))
    return fail(rows, "ChildIdentifiers", "Sex")


@cin_rule("8750", reads=("ChildIdentifiers",))
def unborn_sex(t, ctx):
    unborn = missing("PersonBirthDate") & ~missing("ExpectedPersonBirthDate")
    rows = _ids(t).filter(unborn & ~_sex_is("U", ctx))
    return fail(rows, "ChildIdentifiers", "Sex", "PersonBirthDate", "ExpectedPersonBirthDate")


@cin_rule("2886Q", reads=("ChildIdentifiers",))
def sex_not_recorded_share(t, ctx):
    # Return-wide: children with sex not recorded (U or missing) and no expected birth date
    # (so not unborn), as a share of all the children, must be at most 2%.
    ids = _ids(t)
    unknown = ids.filter((_sex_is("U", ctx) | missing("Sex")) & missing("ExpectedPersonBirthDate"))
    found = whole_return("ChildIdentifiers", Sex=f"{unknown.height} of {ids.height} not recorded")
    return found if unknown.height * 100 > 2 * ids.height else found.head(0)


@cin_rule("8770Q", reads=("ChildIdentifiers", "CINdetails"))
def school_age_without_upn(t, ctx):
    # A child born more than 6 years before the reference date, with an episode that went on
    # to further action, needs a UPN or a reason for none other than UN1 ("not of school age").
    _, end = period(ctx)
    reasons = [c for c in codes(ctx, "upn_unknown") if c != "UN1"]
    acted = t["CINdetails"].filter(false("ReferralNFA")).select("_child_no").unique()
    rows = (
        _ids(t)
        .join(acted, on="_child_no", how="semi")
        .filter(
            (birthday("PersonBirthDate", SCHOOL_AGE) < end).fill_null(False)
            & missing("UPN")
            & ~pl.col("UPNunknown").str.strip_chars().str.to_uppercase().is_in(reasons).fill_null(False)
        )
    )
    return fail(rows, "ChildIdentifiers", "UPN", "UPNunknown", "PersonBirthDate")


@cin_rule("8772", reads=("ChildIdentifiers", "CINdetails"))
def un7_with_further_action(t, ctx):
    acted = t["CINdetails"].filter(false("ReferralNFA")).select("_child_no").unique()
    rows = (
        _ids(t)
        .filter(pl.col("UPNunknown").str.strip_chars() == "UN7")
        .join(acted, on="_child_no", how="semi")
    )
    return fail(rows, "ChildIdentifiers", "UPNunknown")


@cin_rule("8775Q", reads=("ChildIdentifiers", "CINdetails"))
def over_25(t, ctx):
    # Older than 25 at the end of an episode: its closure date, or the reference date while open.
    _, end = period(ctx)
    episodes = t["CINdetails"].select(
        "_child_no", pl.coalesce(day("CINclosureDate"), pl.lit(end)).alias("_until"),
        pl.col("CINclosureDate"),
    )
    rows = (
        _ids(t)
        .join(episodes, on="_child_no", how="inner")
        .filter(birthday("PersonBirthDate", 25) < pl.col("_until"))
    )
    return fail(rows, "ChildIdentifiers", "PersonBirthDate", "CINclosureDate")


@cin_rule("8590", reads=("ChildIdentifiers", "CINdetails"))
def no_episode(t, ctx):
    rows = _ids(t).join(t["CINdetails"].select("_child_no"), on="_child_no", how="anti")
    return fail(rows, "ChildIdentifiers", "LAchildID")


# -- characteristics -----------------------------------------------------------


@cin_rule("4220", reads=("ChildCharacteristics",))
def ethnicity_valid(t, ctx):
    rows = t["ChildCharacteristics"].filter(
        missing("Ethnicity") | ~pl.col("Ethnicity").str.strip_chars().is_in(codes(ctx, "ethnicity"))
    )
    return fail(rows, "ChildCharacteristics", "Ethnicity")


@shared("Disabilities")
def _disabilities(t) -> pl.DataFrame:
    return t["Disabilities"].with_columns(pl.col("Disability").str.strip_chars().str.to_uppercase())


@cin_rule("2887Q", reads=("Disabilities",))
def few_disability_codes(t, ctx):
    used = _disabilities(t).filter(~missing("Disability") & (pl.col("Disability") != "NONE"))
    n = used["Disability"].n_unique()
    if n >= 8:
        return whole_return("Disabilities", Disability="").head(0)
    return whole_return("Disabilities", Disability=f"{n} different codes used")


@cin_rule("2888Q", reads=("Disabilities",))
def one_disability_each(t, ctx):
    used = _disabilities(t).filter(~missing("Disability") & (pl.col("Disability") != "NONE"))
    per_child = used.group_by("_child_no").len()
    if per_child.height == 0 or per_child["len"].max() > 1:
        return whole_return("Disabilities", Disability="").head(0)
    return whole_return("Disabilities", Disability=f"{per_child.height} children, one code each")


@cin_rule("8540", reads=("ChildIdentifiers", "Disabilities", "CINdetails"))
def disability_missing_or_invalid(t, ctx):
    # A born child with an episode that went on to further action must have at least one
    # disability entry (NONE, or the codes), every one of them valid.
    valid = codes(ctx, "disability")
    # Lazy: both answers' steps run as two queries, together.
    acted = t["CINdetails"].lazy().filter(false("ReferralNFA")).select("_child_no").unique()
    asked = t["ChildIdentifiers"].lazy().filter(~missing("PersonBirthDate")).join(
        acted, on="_child_no", how="semi"
    )
    bad = (
        _disabilities(t).lazy()
        .join(asked.select("_child_no"), on="_child_no", how="semi")
        .filter(missing("Disability") | ~pl.col("Disability").is_in(valid))
    )
    none_given = asked.join(t["Disabilities"].lazy().select("_child_no"), on="_child_no", how="anti").with_columns(
        pl.lit(None, dtype=pl.Utf8).alias("Disability")
    )
    bad, none_given = collect_all([bad, none_given])
    return pl.concat(
        [fail(bad, "Disabilities", "Disability"), fail(none_given, "ChildIdentifiers", "Disability")]
    )


@cin_rule("8790", reads=("Disabilities",))
def none_and_others(t, ctx):
    d = _disabilities(t)
    mixed = (
        d.group_by("_child_no")
        .agg((pl.col("Disability") == "NONE").any().alias("none"), (pl.col("Disability") != "NONE").any().alias("other"))
        .filter(pl.col("none") & pl.col("other"))
    )
    rows = d.join(mixed.select("_child_no"), on="_child_no", how="semi")
    return fail(rows, "Disabilities", "Disability")


@cin_rule("8794", reads=("Disabilities",))
def disability_repeated(t, ctx):
    d = _disabilities(t).filter(~missing("Disability"))
    rows = d.filter(pl.struct("_child_no", "Disability").is_duplicated())
    return fail(rows, "Disabilities", "Disability")

