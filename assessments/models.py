"""Strategic assessments and partnership plans: priorities, actions, targets, funding, MoRiLE.

One strategic assessment per district per plan year (April to March). Its
priorities each have a theme from a shared list, a lead agency, a rationale,
linked indicator categories (whose figures are read live from the comparison
service, never copied here), actions with quarterly RAG updates, targets and
funded projects. Nothing derived is stored: a priority's status against last
year, whether a target was achieved, the budget summary and MoRiLE overall
scores are all computed (assessments.plans).

Every model keeps its history (django-simple-history: who, when, what) and
those that officers edit carry a ``version`` so that two people editing the
same thing never silently overwrite each other (assessments.plans.services).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from assessments.plans import funding, status, targets
from assessments.plans.reference import AGENCY_KINDS
from assessments.plans.years import FIRST_YEAR, LAST_YEAR, plan_year_label, plan_year_slug
from crimedata.models import Category, District, period_errors
from crimedata.periods import Window, month_index

MONEY = {"max_digits": 12, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


def _history(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True), **kwargs)


class Versioned(models.Model):
    """Optimistic locking: a save must name the version it was based on."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Theme(Versioned):
    """A theme from the shared list (domestic abuse, road safety, ASB, ...), managed by county analysts."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    history = _history()

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name


class Agency(Versioned):
    """An agency or provider: a lead agency, an action's partner or a grant recipient."""

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField("type", max_length=20, choices=AGENCY_KINDS)

    history = _history()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class MorileMultiplier(Versioned):
    """One row of the MoRiLE multiplier table: overall score = risk × multiplier for the CSP score.

    Seeded with the values the Tunbridge Wells 2017 table reproduces (docs/methods.md
    §6); scores 3 to 6 are unknown until the Kent Community Safety Team adds them.
    """

    csp_score = models.PositiveSmallIntegerField("CSP score", unique=True, validators=[MaxValueValidator(100)])
    multiplier = models.DecimalField(max_digits=8, decimal_places=3, validators=[MinValueValidator(Decimal("0"))])

    history = _history()

    class Meta:
        ordering = ["csp_score"]
        verbose_name = "MoRiLE multiplier"

    def __str__(self) -> str:
        return f"CSP score {self.csp_score}: × {self.multiplier.normalize():f}"


class StrategicAssessment(Versioned):
    """A district's strategic assessment for one plan year, and the plan that follows from it."""

    DRAFT = "draft"
    SIGNED_OFF = "signed_off"
    STATUS_CHOICES = [(DRAFT, "Draft"), (SIGNED_OFF, "Signed off")]

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="strategic_assessments")
    plan_year = models.PositiveSmallIntegerField(
        help_text="The year the plan starts in April: 2017 for 2017/18.",
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    data_from = models.DateField(help_text="The first day of the first month of data analysed.")
    data_to = models.DateField(help_text="The last day of the last month of data analysed.")
    author_role = models.CharField(
        max_length=200, help_text="The author's role and organisation, not their name."
    )
    signed_off_on = models.DateField("CSP sign-off date", null=True, blank=True)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=DRAFT)
    introduction = models.TextField(blank=True)
    conclusion = models.TextField(blank=True)

    history = _history()

    class Meta:
        ordering = ["district__name", "-plan_year"]
        constraints = [
            models.UniqueConstraint(fields=["district", "plan_year"], name="one_assessment_per_district_year"),
            models.CheckConstraint(condition=models.Q(data_to__gte=models.F("data_from")), name="data_window_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.district} strategic assessment {self.plan_year_label}"

    @property
    def plan_year_label(self) -> str:
        return plan_year_label(self.plan_year)

    @property
    def plan_year_slug(self) -> str:
        return plan_year_slug(self.plan_year)

    @property
    def window(self) -> Window:
        return Window(month_index(self.data_from), month_index(self.data_to))

    @property
    def is_signed_off(self) -> bool:
        return self.status == self.SIGNED_OFF

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.data_from and self.data_to:
            problems = period_errors(self.data_from, self.data_to)
            if problems:
                errors["data_to"] = problems
        # A sign-off date is not required: several published plans say they were adopted
        # ("in March") without the day, and an invented date would be worse than none.
        if self.signed_off_on and self.status != self.SIGNED_OFF:
            errors["signed_off_on"] = ["A draft has no sign-off date: choose 'Signed off' or leave the date empty."]
        if self.signed_off_on and self.signed_off_on > dt.date.today():
            errors["signed_off_on"] = ["The sign-off date cannot be in the future."]
        if errors:
            raise ValidationError(errors)


class Priority(Versioned):
    """A priority (or a cross-cutting theme) in a district's plan for the year."""

    KIND_CHOICES = [
        (status.KIND_PRIORITY, "Named priority"),
        (status.KIND_CROSS_CUTTING, "Cross-cutting theme"),
    ]
    STATUS_CHOICES = [(key, label) for key, label in status.STATUS_LABELS.items()]

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="priorities")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES, default=status.KIND_PRIORITY)
    order = models.PositiveSmallIntegerField(default=1, help_text="Priorities are listed in this order.")
    title = models.CharField(max_length=200)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="priorities")
    also_covers = models.ManyToManyField(
        Theme, blank=True, related_name="covered_by",
        help_text="Other themes this priority takes in (Community resilience: CSE, Prevent, modern slavery).",
    )
    lead_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField("why it is a priority", blank=True)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="priorities", verbose_name="linked indicator categories"
    )
    status_override = models.CharField(
        "status against last year (override)", max_length=16, choices=STATUS_CHOICES, blank=True,
        help_text="Leave empty to use the status worked out from last year's themes.",
    )
    override_reason = models.CharField(max_length=300, blank=True)
    position_statement = models.TextField(
        "overall position", blank=True, help_text="One paragraph for councillors on where this priority stands."
    )

    history = _history(m2m_fields=[also_covers, categories])

    class Meta:
        ordering = ["assessment", "kind", "order", "id"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title

    @property
    def is_cross_cutting(self) -> bool:
        return self.kind == status.KIND_CROSS_CUTTING

    def clean(self) -> None:
        if self.status_override and not self.override_reason.strip():
            raise ValidationError({"override_reason": "Say why the worked-out status is being overridden."})


class Action(Versioned):
    """One row of a priority's action plan: action, primary agencies, measure, outcome."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(default=1)
    description = models.TextField("action")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="actions", verbose_name="primary agencies")
    other_partners = models.CharField(
        max_length=300, blank=True, help_text="Partners who are not agencies on the list (for example property owners)."
    )
    measure = models.TextField(blank=True)
    outcome = models.TextField(blank=True)

    history = _history(m2m_fields=[agencies])

    class Meta:
        ordering = ["priority", "order", "id"]

    def __str__(self) -> str:
        return self.description[:80]


RAG_RED = "red"
RAG_AMBER = "amber"
RAG_GREEN = "green"
RAG_CHOICES = [
    (RAG_GREEN, "Green – on track"),
    (RAG_AMBER, "Amber – some concerns"),
    (RAG_RED, "Red – off track"),
]
QUARTER_CHOICES = [(1, "Q1 (April to June)"), (2, "Q2 (July to September)"), (3, "Q3 (October to December)"),
                   (4, "Q4 (January to March)")]


class ActionUpdate(Versioned):
    """A dated quarterly progress update on an action, with its RAG status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
    reported_on = models.DateField("date of the update")
    rag = models.CharField("RAG status", max_length=5, choices=RAG_CHOICES)
    text = models.TextField("progress")

    history = _history()

    class Meta:
        ordering = ["action", "quarter"]
        constraints = [models.UniqueConstraint(fields=["action", "quarter"], name="one_update_per_action_quarter")]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.get_rag_display()}"


class Target(Versioned):
    """A target with its baseline, the target value and the actual; 'achieved' is computed."""

    UNIT_CHOICES = [("number", "Number"), ("percentage", "Percentage")]
    DIRECTION_CHOICES = [
        (targets.AT_LEAST, "At least the target (an increase, such as more referrals)"),
        (targets.AT_MOST, "At most the target (a reduction, such as fewer repeat victims)"),
    ]

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="targets")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets")
    order = models.PositiveSmallIntegerField(default=1)
    measure = models.CharField(max_length=300)
    unit = models.CharField(max_length=10, choices=UNIT_CHOICES, default="number")
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_note = models.CharField(
        max_length=100, blank=True, help_text="When there is no baseline figure, say why (for example 'New project')."
    )
    target = models.DecimalField(max_digits=12, decimal_places=2)
    direction = models.CharField(max_length=10, choices=DIRECTION_CHOICES, default=targets.AT_LEAST)
    actual = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Leave empty until the figure is known."
    )

    history = _history()

    class Meta:
        ordering = ["assessment", "order", "id"]

    def __str__(self) -> str:
        return self.measure

    @property
    def result(self) -> str:
        return targets.target_result(self.target, self.actual, self.direction)

    @property
    def result_label(self) -> str:
        return targets.RESULT_LABELS[self.result]

    def clean(self) -> None:
        if self.priority_id and self.assessment_id and self.priority.assessment_id != self.assessment_id:
            raise ValidationError({"priority": "Choose one of this assessment's priorities."})


class PccGrant(Versioned):
    """The year's grant from the Police and Crime Commissioner, and how much of it is for projects."""

    assessment = models.OneToOneField(StrategicAssessment, on_delete=models.CASCADE, related_name="pcc_grant")
    total_grant = models.DecimalField("total PCC grant", null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)
    project_budget = models.DecimalField(
        "amount for initiatives and projects", null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    notes = models.TextField(blank=True)

    history = _history()

    class Meta:
        verbose_name = "PCC grant"

    def __str__(self) -> str:
        return f"PCC grant {self.assessment}"

    def clean(self) -> None:
        if self.total_grant is not None and self.project_budget is not None and self.project_budget > self.total_grant:
            raise ValidationError({"project_budget": "The amount for projects cannot be more than the total grant."})


class GrantApplication(Versioned):
    """An application for PCC grant funding: a project, who runs it, the money and its outcome report."""

    KIND_CHOICES = [
        ("initiative", "Event or initiative supporting the plan"),
        ("subscription", "Annual expenditure or subscription"),
    ]
    STATUS_CHOICES = [(key, label) for key, label in funding.STATUS_LABELS.items()]
    REPORT_RECEIVED = "received"
    REPORT_NOT_RECEIVED = "not_received"
    REPORT_NOT_REQUIRED = "not_required"
    REPORT_CHOICES = [
        (REPORT_NOT_RECEIVED, "Not yet received"),
        (REPORT_RECEIVED, "Received"),
        (REPORT_NOT_REQUIRED, "Not required"),
    ]

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="grants")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=15, choices=KIND_CHOICES, default="initiative")
    project = models.CharField(max_length=200)
    summary = models.TextField("summary of the project", blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="grants")
    lead_officer_role = models.CharField(
        max_length=200, blank=True, help_text="The lead officer's role, not their name or email address."
    )
    amount_requested = models.DecimalField(null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)
    match_funding = models.DecimalField(null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)
    match_funding_details = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=funding.WAITING)
    amount_awarded = models.DecimalField(null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)
    decided_on = models.DateField("date of the decision", null=True, blank=True)
    po_number = models.CharField("PO number", max_length=30, blank=True)
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="grants", verbose_name="linked priority"
    )
    outcome_report = models.CharField(
        "outcome report", max_length=12, choices=REPORT_CHOICES, default=REPORT_NOT_RECEIVED
    )

    history = _history()

    class Meta:
        ordering = ["assessment", "order", "id"]

    def __str__(self) -> str:
        return self.project

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status == funding.APPROVED and self.amount_awarded is None:
            errors["amount_awarded"] = "Enter the amount awarded for an approved application."
        if self.status != funding.APPROVED and self.amount_awarded is not None:
            errors["amount_awarded"] = "Only an approved application has an amount awarded: leave it empty."
        if self.status == funding.WAITING and self.decided_on is not None:
            errors["decided_on"] = "An application waiting for a decision has no decision date yet."
        if self.priority_id and self.assessment_id and self.priority.assessment_id != self.assessment_id:
            errors["priority"] = "Choose one of this assessment's priorities."
        if errors:
            raise ValidationError(errors)


class FundedOutcome(Versioned):
    """A service a funded project is to deliver, with outcomes reported by quarter."""

    grant = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="outcomes")
    order = models.PositiveSmallIntegerField(default=1)
    service = models.TextField("service to be delivered")
    amount_unspent = models.DecimalField(null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)

    history = _history()

    class Meta:
        ordering = ["grant", "order", "id"]

    def __str__(self) -> str:
        return self.service[:80]


class OutcomeUpdate(Versioned):
    """What a provider reported delivering in a quarter."""

    outcome = models.ForeignKey(FundedOutcome, on_delete=models.CASCADE, related_name="updates")
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)
    reported_on = models.DateField("date reported", null=True, blank=True)
    text = models.TextField("outcomes reported")

    history = _history()

    class Meta:
        ordering = ["outcome", "quarter"]
        constraints = [models.UniqueConstraint(fields=["outcome", "quarter"], name="one_outcome_update_per_quarter")]

    def __str__(self) -> str:
        return f"Q{self.quarter}: {self.text[:60]}"


class MorileScore(Versioned):
    """One theme's row in an assessment's MoRiLE table; the overall score and rank are computed."""

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="morile_scores")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    total_harm = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE)
    risk = models.DecimalField(max_digits=10, decimal_places=2, validators=NOT_NEGATIVE)
    csp_score = models.PositiveSmallIntegerField("CSP score")

    history = _history()

    class Meta:
        ordering = ["assessment", "theme__display_order", "theme__name"]
        constraints = [models.UniqueConstraint(fields=["assessment", "theme"], name="one_morile_row_per_theme")]
        verbose_name = "MoRiLE score"

    def __str__(self) -> str:
        return f"{self.theme}: risk {self.risk}, CSP score {self.csp_score}"
# ==============================================================================================
# Statistics: SPC step changes and officers' edits of generated commentary.
# Kept together at the end of this file; other capabilities add their models above.
# ==============================================================================================


class StepChange(models.Model):
    """A step change in one SPC series (district × category): the limits start again here.

    The chart never rebases itself. The product suggests a step change at the
    start of a sustained run, and a person applies it with a reason (docs/methods.md
    §1.3: store the dates so that charts are reproducible). Removing one also
    needs a reason, kept in the history with who and when.
    """

    district = models.ForeignKey("crimedata.District", on_delete=models.CASCADE, related_name="step_changes")
    category = models.ForeignKey("crimedata.Category", on_delete=models.CASCADE, related_name="step_changes")
    month = models.DateField(
        help_text="The first day of the first month of the new segment. A quarterly chart starts the "
        "new segment at the quarter containing this month."
    )
    reason = models.TextField(help_text="Why the process changed, for example a change in recording standards.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["district__name", "category__display_order", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "category", "month"], name="one_step_change_per_series_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.category} step change from {self.month:%B %Y}"


class CommentaryEdit(models.Model):
    """An officer's edit of a generated text, kept in place of the generated one.

    ``key`` names the text (for example ``spc:E07000110:all-crime:month``).
    ``fingerprint`` identifies the figures the text was written about: when
    the figures behind the generated text change, the fingerprints differ and
    the page says the edit may be out of date. ``version`` stops two people
    silently overwriting each other's edits.
    """

    key = models.CharField(max_length=200, unique=True)
    district = models.ForeignKey(
        "crimedata.District", null=True, blank=True, on_delete=models.CASCADE, related_name="commentary_edits"
    )
    text = models.TextField()
    generated_text = models.TextField(help_text="The generated text when the edit was made.")
    fingerprint = models.CharField(max_length=64, help_text="Fingerprint of the figures the text describes.")
    version = models.PositiveIntegerField(default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["edited_at"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"Edited text {self.key}"


class AlertSubscription(models.Model):
    """What a signed-in person wants alerts about: one district or one comparison group, one category or all.

    Alerts are worked out and sent once a quarter by ``assessments.alerts``; unsubscribing through an
    email's link removes the person's subscriptions.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        "crimedata.ComparisonGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Empty means every category.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(district__isnull=False, group__isnull=True)
                           | models.Q(district__isnull=True, group__isnull=False)),
                name="alert_subscription_one_area",
            ),
        ]

    def __str__(self) -> str:
        area = self.district or self.group
        return f"{self.user}: {area}, {self.category or 'every category'}"
