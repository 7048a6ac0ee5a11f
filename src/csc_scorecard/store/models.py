"""The case store: every submission kept whole, and the canonical case tables.

Readers turn each return into rows of the canonical tables below (a dict per
row keyed by the model's field names). Every row belongs to the Submission it
came from, so a superseded submission stays stored and can be compared, and a
rejected one leaves nothing behind.

`CANONICAL_TABLES` maps the table names readers use to these models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

RETURN_CHOICES = [
    ("ssda903", "SSDA903 (children looked after)"),
    ("cin_census", "CIN census"),
    ("annex_a", "Ofsted Annex A"),
    ("local", "Local extract"),
]


class Submission(models.Model):
    """One file (or one folder of 903 CSVs) as it was ingested."""

    return_type = models.CharField(max_length=20, choices=RETURN_CHOICES)
    # Collection year as "2024-25" (year ending 31 March 2025); "" for local extracts without one.
    year = models.CharField(max_length=7, blank=True, default="")
    la_code = models.CharField(max_length=10, blank=True, default="")
    # Local extracts of different kinds are independent: "teams", "allocations", ...
    subtype = models.CharField(max_length=30, blank=True, default="")
    file_names = models.JSONField(default=list)
    sha256 = models.CharField(max_length=64, unique=True)
    size_bytes = models.BigIntegerField(default=0)
    ingested_at = models.DateTimeField(auto_now_add=True)
    ingested_by = models.CharField(max_length=150, blank=True, default="")
    is_current = models.BooleanField(default=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    row_counts = models.JSONField(default=dict)  # table -> rows stored
    quarantined_counts = models.JSONField(default=dict)  # table -> rows refused
    issue_counts = models.JSONField(default=dict)  # severity -> count (the readers' issues)
    # The DfE rules run at ingest (validation.at_ingest): "error"/"query"/"warning" -> failures,
    # "not run"/"could not run" -> rules; empty when the return has no rules (Annex A, local).
    rule_counts = models.JSONField(default=dict)
    frozen = models.BooleanField(default=False)
    # Annex A lists are a rolling window before an inspection, not a collection
    # year: the earliest and latest event date they hold, and the "as at" date
    # of the workbook when it gives one (null for other returns).
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    as_at = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["return_type", "year", "la_code", "subtype", "is_current"])]
        ordering = ["id"]

    def __str__(self) -> str:
        label = f"#{self.pk} {self.return_type}"
        if self.subtype:
            label += f"/{self.subtype}"
        if self.year:
            label += f" {self.year}"
        if self.la_code:
            label += f" LA {self.la_code}"
        return label


class RawFile(models.Model):
    """One received file, kept byte for byte in the data directory's raw/ folder.

    Files are stored under their sha256, so the same bytes are kept once
    however often they arrive, and any figure can be traced to its source.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="raw_files")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.BigIntegerField()

    class Meta:
        ordering = ["id"]


class IssueRecord(models.Model):
    """One problem found in a submission: by its reader (rule blank) or by a validation rule.

    A reader's issue has severity error (the row was quarantined), warning or info.
    A rule's issue has the rule's code in ``rule`` (a DfE code such as 392c or 8565, or
    one of our cross-return checks XR01...) and severity error (a DfE error), query (a
    DfE query, codes ending Q) or warning (our own check); the row it names is stored
    as the council sent it, never quarantined.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="issues")
    severity = models.CharField(max_length=10)
    rule = models.CharField(max_length=20, blank=True, default="", db_index=True)
    child = models.CharField(max_length=50, blank=True, default="")
    # Where the record is when that is not a row number: "Child 3 > CINdetails 2 (line 120)".
    place = models.CharField(max_length=200, blank=True, default="")
    code = models.CharField(max_length=40, blank=True, default="")
    file = models.CharField(max_length=255, blank=True, default="")
    table = models.CharField(max_length=60, blank=True, default="")
    row = models.IntegerField(null=True)
    column = models.CharField(max_length=80, blank=True, default="")
    value = models.CharField(max_length=120, blank=True, default="")
    message = models.TextField()
    expected = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]


class RuleOutcome(models.Model):
    """What each rule in force did at a submission's ingest: passed, failed, not run, could not run.

    Kept for every rule, passed ones included, so a rule that did not run is
    visible as such and never read as passed. ``return_type`` is the rule set:
    ssda903, cin, or cross (our cross-return checks, stored with the submission
    whose ingest last ran them for its year and LA).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="rule_outcomes")
    return_type = models.CharField(max_length=10)
    rule = models.CharField(max_length=20)
    severity = models.CharField(max_length=10)
    outcome = models.CharField(max_length=16)
    failures = models.IntegerField(default=0)
    children = models.IntegerField(default=0)
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["id"]


class AuditEvent(models.Model):
    """Who looked at or exported child-level data, when, and what they asked for.

    The detail names the request (indicator, period, area, submission), never
    a child's identifier or data.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Null only for an event with no account (a failed sign-in for an unknown name).
    # PROTECT: an account with audit history is deactivated, never deleted.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_events",
    )
    action = models.CharField(max_length=60)
    detail = models.TextField(blank=True, default="")
    rows = models.IntegerField(null=True)

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def user(self) -> str:
        """The account's user name ("" for an event with no account)."""
        return self.account.username if self.account_id else ""


class CaseRow(models.Model):
    """Fields every canonical row shares."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    source_row = models.IntegerField(null=True)  # row in the source file, as Excel numbers it
    child_id = models.CharField(max_length=50, db_index=True)

    class Meta:
        abstract = True


def code(length: int = 10) -> models.CharField:
    return models.CharField(max_length=length, blank=True, default="")


def date() -> models.DateField:
    return models.DateField(null=True, blank=True)


class Child(CaseRow):
    upn = code(13)
    sex = code(1)  # M, F or U whatever the return's coding
    birth_date = date()
    expected_birth_date = date()
    death_date = date()
    ethnicity = code(4)  # DfE ethnicity code, e.g. WBRI
    disabilities = code(120)  # comma-separated DfE codes; NONE when none recorded
    asylum_seeker = models.BooleanField(null=True)
    mother = models.BooleanField(null=True)
    child_birth_date = date()  # MC_DOB: the date the looked-after child's own child was born
    team = code(80)
    worker = code(80)


class Contact(CaseRow):
    contact_date = date()
    source = code(10)
    team = code(80)


class EarlyHelp(CaseRow):
    start_date = date()
    end_date = date()
    organisation = code(120)


class Referral(CaseRow):
    """A referral and the CIN episode that follows it (CINdetails in the census)."""

    referral_date = date()
    source = code(10)
    primary_need = code(4)
    closure_date = date()
    closure_reason = code(4)
    nfa = models.BooleanField(null=True)
    team = code(80)
    worker = code(80)


class Assessment(CaseRow):
    referral_date = date()
    start_date = date()
    authorised_date = date()
    factors = code(200)  # comma-separated assessment factor codes
    team = code(80)
    worker = code(80)


class CinPlan(CaseRow):
    referral_date = date()
    start_date = date()
    end_date = date()


class Section47(CaseRow):
    referral_date = date()
    start_date = date()
    icpc_target_date = date()
    icpc_date = date()
    icpc_not_required = models.BooleanField(null=True)


class CpPlan(CaseRow):
    referral_date = date()
    start_date = date()
    end_date = date()
    initial_category = code(20)
    latest_category = code(20)
    previous_plans = models.IntegerField(null=True)
    team = code(80)
    worker = code(80)


class CpReview(CaseRow):
    plan_start_date = date()
    review_date = date()


class Visit(CaseRow):
    kind = code(3)  # CIN, CP or CLA
    visit_date = date()
    seen_alone = models.BooleanField(null=True)


class ClaEpisode(CaseRow):
    start_date = date()  # DECOM
    reason_new_episode = code(1)  # RNE
    legal_status = code(2)  # LS
    cin_category = code(2)  # CIN (N1-N8)
    placement = code(3)  # PLACE
    provider = code(3)  # PLACE_PROVIDER
    end_date = date()  # DEC
    reason_ceased = code(3)  # REC
    reason_place_change = code(6)
    home_postcode = code(8)
    placement_postcode = code(8)
    urn = code(10)
    # PL_DISTANCE (miles, home to placement) and PL_LA (the placement's authority), which DfE
    # derives from the postcodes and council exports often carry; null/blank when not given
    distance_miles = models.FloatField(null=True)
    placement_la = code(9)


class ClaReview(CaseRow):
    review_date = date()
    review_code = code(4)


class HealthOutcome(CaseRow):
    """OC2: outcomes for children looked after continuously for 12 months."""

    birth_date = date()
    sdq_score = models.IntegerField(null=True)
    sdq_reason = code(4)
    convicted = models.BooleanField(null=True)
    health_check = models.BooleanField(null=True)
    immunisations = models.BooleanField(null=True)
    teeth_check = models.BooleanField(null=True)
    health_assessment = models.BooleanField(null=True)
    substance_misuse = models.BooleanField(null=True)
    intervention_received = models.BooleanField(null=True)
    intervention_offered = models.BooleanField(null=True)


class CareLeaver(CaseRow):
    """OC3: care leavers around their 17th to 21st birthdays."""

    birth_date = date()
    in_touch = code(4)
    activity = code(4)
    accommodation = code(4)


class MissingEpisode(CaseRow):
    birth_date = date()
    kind = code(1)  # M missing, A away from placement without authorisation
    start_date = date()
    end_date = date()


class Adoption(CaseRow):
    """AD1: children adopted from care."""

    birth_date = date()
    decision_date = date()  # DATE_INT
    match_date = date()
    foster_care = models.BooleanField(null=True)
    number_of_adopters = models.IntegerField(null=True)
    sex_of_adopters = code(2)
    legal_status_of_adopters = code(3)


class PlacedForAdoption(CaseRow):
    birth_date = date()
    placed_date = date()
    ceased_date = date()
    reason_ceased = code(3)


class PreviousPermanence(CaseRow):
    birth_date = date()
    previous_permanence = code(2)
    la_code_of_order = code(3)
    # Kept as text: DfE allows a partly known date such as zz/zz/2010.
    order_date = code(10)


class Uasc(CaseRow):
    birth_date = date()
    sex = code(1)
    ceased_uasc_date = date()


class SocialWorkerEpisode(CaseRow):
    birth_date = date()
    worker_id = code(40)
    start_date = date()
    end_date = date()
    reason = code(10)


class DeprivationOfLiberty(CaseRow):
    birth_date = date()
    start_date = date()
    end_date = date()


class Allocation(CaseRow):
    """Which team (and worker) held a child's case, over time."""

    team = code(80)
    worker = code(80)
    start_date = date()
    end_date = date()


class Team(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    source_row = models.IntegerField(null=True)
    team = models.CharField(max_length=80)
    area = models.CharField(max_length=80)


class WorkforceSnapshot(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    source_row = models.IntegerField(null=True)
    team = models.CharField(max_length=80)
    snapshot_date = date()
    fte_in_post = models.FloatField(null=True)
    agency_fte = models.FloatField(null=True)
    vacancy_fte = models.FloatField(null=True)
    leavers_fte = models.FloatField(null=True)
    cases = models.IntegerField(null=True)


# Optional local extracts for what the returns do not hold (docs/local_csvs.md).


class EarlyHelpEpisode(CaseRow):
    """An early-help episode from the council's early-help system."""

    start_date = date()
    assessment_date = date()
    end_date = date()
    closure_reason = code(12)  # OUTCOMES_MET, STEP_UP, STEP_DOWN... (returns/local/extracts.py)
    team = code(80)


class AssessmentTimescale(CaseRow):
    """A social-care assessment with the timescale its priority set, or its cancellation."""

    start_date = date()
    timescale_days = models.IntegerField(null=True)  # working days: 10, 25 or 45
    completed_date = date()
    cancelled_date = date()


class S47Completion(CaseRow):
    """When a section 47 enquiry was completed (the census records only its start)."""

    start_date = date()
    completed_date = date()


class CinPlanReview(CaseRow):
    """A review of a child in need plan (the census holds only plan start and end dates)."""

    review_date = date()


class HealthAssessment(CaseRow):
    """A looked-after child's initial health assessment."""

    iha_date = date()
    care_start_date = date()


class AreaPopulation(models.Model):
    """Children aged 0-17 living in one of the council's areas in a year (the area_populations
    extract): the denominator of the area's rates per 10,000."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    source_row = models.IntegerField(null=True)
    area = models.CharField(max_length=80)
    year = models.CharField(max_length=7)  # the financial year the population is for, "2024-25"
    population_0_17 = models.IntegerField()
    source = models.CharField(max_length=200, blank=True, default="")  # e.g. "ONS mid-2024, wards"


CANONICAL_TABLES: dict[str, type[models.Model]] = {
    "child": Child,
    "contact": Contact,
    "early_help": EarlyHelp,
    "referral": Referral,
    "assessment": Assessment,
    "cin_plan": CinPlan,
    "s47": Section47,
    "cp_plan": CpPlan,
    "cp_review": CpReview,
    "visit": Visit,
    "cla_episode": ClaEpisode,
    "cla_review": ClaReview,
    "health_outcome": HealthOutcome,
    "care_leaver": CareLeaver,
    "missing_episode": MissingEpisode,
    "adoption": Adoption,
    "placed_for_adoption": PlacedForAdoption,
    "previous_permanence": PreviousPermanence,
    "uasc": Uasc,
    "social_worker_episode": SocialWorkerEpisode,
    "deprivation_of_liberty": DeprivationOfLiberty,
    "allocation": Allocation,
    "team": Team,
    "workforce_snapshot": WorkforceSnapshot,
    "early_help_episode": EarlyHelpEpisode,
    "assessment_timescale": AssessmentTimescale,
    "s47_completion": S47Completion,
    "health_assessment": HealthAssessment,
    "cin_plan_review": CinPlanReview,
    "area_population": AreaPopulation,
}


def table_fields(table: str) -> list[str]:
    """Field names a reader may fill for a canonical table (submission is set by ingest)."""
    model = CANONICAL_TABLES[table]
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in ("id", "submission")
    ]
