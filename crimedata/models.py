"""The Kent data model: districts, groups, populations, categories and figures.

Every derived number on the site (totals, changes, rates, ranks) is computed
from the whole-number counts stored in ``Figure``; nothing derived is stored.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from crimedata import reference
from crimedata.periods import MAX_MONTHS, month_index


class District(models.Model):
    """A Kent district (or Medway), identified by its ONS code."""

    DIVISION_CHOICES = [("north", "North"), ("east", "East"), ("west", "West")]

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    former_names = models.CharField(
        max_length=200,
        blank=True,
        help_text="Earlier names, separated by commas (for example: Shepway). Imports accept them.",
    )
    police_division = models.CharField(max_length=10, choices=DIVISION_CHOICES)
    in_kcc_area = models.BooleanField(
        "in the Kent County Council area", default=True, help_text="Medway is a unitary authority, so it is not."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def former_name_list(self) -> list[str]:
        return [n.strip() for n in self.former_names.split(",") if n.strip()]


class ComparisonGroup(models.Model):
    """A set of districts compared with each other, such as 'Kent (12 KCC districts)'."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    districts = models.ManyToManyField(District, related_name="groups")
    built_in = models.BooleanField(
        default=False, help_text="Installed with the product. Built-in groups are referred to by the API."
    )

    class Meta:
        ordering = ["-built_in", "name"]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """A mid-year population estimate: the denominator for rates."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(help_text="The estimate is for 30 June of this year.")
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["district__name", "year"]
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="one_population_per_district_year")]

    def __str__(self) -> str:
        return f"{self.district} {self.year}: {self.population:,}"


class Category(models.Model):
    """An indicator: a crime type, ASB, road casualties or a partner service figure."""

    UNIT_CHOICES = [
        (reference.UNIT_COUNT, "Count (also shown as a rate per residents)"),
        (reference.UNIT_PERCENTAGE, "Percentage of another category"),
        (reference.UNIT_RATE, "Rate per residents"),
    ]
    POLARITY_CHOICES = [
        (reference.LOWER_IS_BETTER, "Lower is better"),
        (reference.HIGHER_IS_BETTER, "Higher is better"),
        (reference.NO_JUDGEMENT, "No judgement (neither direction is better)"),
    ]
    ENTRY_CHOICES = [
        (reference.ENTRY_COUNTY, "Loaded county-wide by analysts"),
        (reference.ENTRY_DISTRICT, "Entered by district officers"),
    ]
    GRAIN_CHOICES = [(reference.GRAIN_MONTH, "Monthly"), (reference.GRAIN_QUARTER, "Quarterly")]
    RATE_BASE_CHOICES = [(1000, "per 1,000 residents"), (10000, "per 10,000 residents")]

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=30, blank=True, help_text="An abbreviation officers use, such as VAP.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    family = models.CharField(max_length=30, help_text="The source family, such as recorded-crime or road-casualties.")
    unit = models.CharField(max_length=12, choices=UNIT_CHOICES, default=reference.UNIT_COUNT)
    rate_base = models.PositiveIntegerField(choices=RATE_BASE_CHOICES, default=1000)
    polarity = models.CharField(max_length=6, choices=POLARITY_CHOICES, default=reference.LOWER_IS_BETTER)
    adds_to_parent = models.BooleanField(
        default=True,
        help_text="Whether this category's figures add into its parent's total. Hate crime, a flag over "
        "other crimes, does not.",
    )
    suppress_below = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Counts from 1 up to this number minus one are hidden in public and partner views "
        "(for example 5 hides 1 to 4). Leave empty for no suppression.",
    )
    source = models.CharField(max_length=200)
    definition = models.TextField(help_text="A short plain-English definition.")
    entry = models.CharField(max_length=10, choices=ENTRY_CHOICES, default=reference.ENTRY_COUNTY)
    grain = models.CharField(
        max_length=10, choices=GRAIN_CHOICES, default=reference.GRAIN_MONTH, help_text="How figures are entered."
    )
    proportion_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a percentage: the category it is a share of (repeat victims of all incidents).",
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit == reference.UNIT_PERCENTAGE and not self.proportion_of_id:
            raise ValidationError({"proportion_of": "A percentage needs the category it is a share of."})
        # Walk up the tree: a category cannot be its own ancestor.
        seen = {self.pk}
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": "This would make the category its own ancestor."})
            seen.add(node.pk)
            node = node.parent


class Figure(models.Model):
    """A stored count for one district, category and period of whole months.

    A period is 1 to 12 whole calendar months: a month, a quarter, or a 12-month
    total. For one district and category, periods that overlap must be
    identical (enforced in ``crimedata.services``), so stored figures never
    double count a month.
    """

    STATUS_PROVISIONAL = "provisional"
    STATUS_FINAL = "final"
    STATUS_CHOICES = [(STATUS_PROVISIONAL, "Provisional"), (STATUS_FINAL, "Final")]

    SOURCE_GRID = "grid"
    SOURCE_UPLOAD = "upload"
    SOURCE_COMMAND = "command"
    SOURCE_ADMIN = "admin"
    SOURCE_DEMO = "demo"
    SOURCE_POLICEUK = "police.uk"
    SOURCE_SIGNOFF = "sign-off"
    SOURCE_CHOICES = [
        (SOURCE_GRID, "Quarterly entry grid"),
        (SOURCE_UPLOAD, "Spreadsheet upload"),
        (SOURCE_COMMAND, "Import command"),
        (SOURCE_ADMIN, "Administrator correction"),
        (SOURCE_DEMO, "Demo data"),
        (SOURCE_POLICEUK, "police.uk street-level extract"),
        (SOURCE_SIGNOFF, "Sign-off (marked final)"),
    ]

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="figures")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="figures")
    period_start = models.DateField(help_text="The first day of the first month.")
    period_end = models.DateField(help_text="The last day of the last month.")
    value = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=STATUS_PROVISIONAL)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=SOURCE_CHOICES)
    source_detail = models.CharField(max_length=255, blank=True, help_text="For example the uploaded file's name.")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a save must name the version it was based on.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(
        excluded_fields=["entered_at"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = ["district__name", "category__display_order", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "category", "period_start", "period_end"], name="one_figure_per_period"
            ),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="period_in_order"),
        ]
        indexes = [models.Index(fields=["category", "period_start"]), models.Index(fields=["period_start"])]

    def __str__(self) -> str:
        return f"{self.district} {self.category} {self.period_start:%b %Y}–{self.period_end:%b %Y}: {self.value}"

    @property
    def months(self) -> int:
        return month_index(self.period_end) - month_index(self.period_start) + 1

    def clean(self) -> None:
        errors = period_errors(self.period_start, self.period_end)
        if errors:
            raise ValidationError({"period_end": errors})


def period_errors(start: dt.date, end: dt.date) -> list[str]:
    """Plain-English reasons a period is not whole calendar months of 1 to 12."""
    errors = []
    if start.day != 1:
        errors.append("The period must start on the first day of a month.")
    if (end + dt.timedelta(days=1)).day != 1:
        errors.append("The period must end on the last day of a month.")
    if end < start:
        errors.append("The period cannot end before it starts.")
    elif month_index(end) - month_index(start) + 1 > MAX_MONTHS:
        errors.append("A period can be at most 12 months long.")
    return errors


class ImportLog(models.Model):
    """One bulk load: what was loaded, by whom, when, and the months it covered."""

    KIND_FIGURES = "figures"
    KIND_POPULATIONS = "populations"
    KIND_POLICEUK = "police.uk"
    KIND_LSOA_LOOKUP = "lsoa-lookup"
    KIND_DEMO = "demo"
    KIND_CHOICES = [
        (KIND_FIGURES, "Figures"),
        (KIND_POPULATIONS, "Populations"),
        (KIND_POLICEUK, "police.uk street-level crime"),
        (KIND_LSOA_LOOKUP, "LSOA to ward lookup"),
        (KIND_DEMO, "Demo data"),
    ]

    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    file_name = models.CharField(max_length=255)
    source = models.CharField(max_length=12, choices=Figure.SOURCE_CHOICES, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    summary = models.TextField()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.imported_at:%d %b %Y %H:%M})"


class DataGeneration(models.Model):
    """A counter bumped by every import or edit; it is part of every cache key.

    There is one row. Bumping it in the same transaction as the write means a
    cached comparison can never outlive the figures it was computed from.
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Data generation {self.number}"


class DistrictMembership(models.Model):
    """Which district (or districts) an officer works for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="district_memberships")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "district"], name="one_membership_per_district")]

    def __str__(self) -> str:
        return f"{self.user} – {self.district}"


class SignOff(models.Model):
    """A period signed off by the CSP: its figures are final and locked.

    Only an administrator may then correct a figure, giving a reason that is
    kept in the figure's history.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="sign_offs")
    period_start = models.DateField()
    period_end = models.DateField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_start", "district__name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "period_start", "period_end"], name="one_sign_off_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.period_start:%b %Y}–{self.period_end:%b %Y} signed off"


class SeriesNote(models.Model):
    """A note on a series, such as a change in recording standards, shown beside it."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="series_notes")
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="series_notes",
        help_text="Leave empty when the note applies to every district.",
    )
    month = models.DateField(help_text="The first month the note applies to.")
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.category} from {self.month:%b %Y}: {self.text[:40]}"


class LsoaLookup(models.Model):
    """Which ward and district a neighbourhood (LSOA) lies in, from a loaded lookup file."""

    lsoa_code = models.CharField(max_length=9, unique=True)
    lsoa_name = models.CharField(max_length=100)
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=100, blank=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="lsoas")
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["lsoa_code"]

    def __str__(self) -> str:
        return f"{self.lsoa_code} {self.lsoa_name}"


class LsoaFigure(models.Model):
    """A monthly count for one neighbourhood (LSOA) and category, from police.uk."""

    lsoa_code = models.CharField(max_length=9)
    lsoa_name = models.CharField(max_length=100)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="lsoa_figures")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="lsoa_figures")
    month = models.DateField(help_text="The first day of the month.")
    value = models.PositiveIntegerField()
    source_detail = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lsoa_code", "category", "month"], name="one_lsoa_figure_per_month")
        ]
        indexes = [models.Index(fields=["district", "category", "month"])]

    def __str__(self) -> str:
        return f"{self.lsoa_name} {self.category} {self.month:%b %Y}: {self.value}"


# --- Collection windows and the emails sent about them ---------------------------------------------


class CollectionWindow(models.Model):
    """A county analyst's call for one quarter's figures: which categories, from which districts, by when.

    Officers see on the entry home page what a window still needs from their districts; reminders go out
    a week before and on the closing date (``crimedata.reminders``); after it closes, the window page names
    the districts that are late. Reads, checks and writes are in ``crimedata.collections``.
    """

    quarter_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts (2016 for 2016/17).")
    quarter_number = models.PositiveSmallIntegerField(help_text="1 = April to June.")
    categories = models.ManyToManyField(Category, related_name="collection_windows")
    districts = models.ManyToManyField(District, related_name="collection_windows")
    opens_on = models.DateField()
    closes_on = models.DateField()
    note = models.TextField(blank=True, help_text="Shown to officers beside what is due.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-quarter_year", "-quarter_number", "closes_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="window_closes_after_opening"),
            models.CheckConstraint(condition=models.Q(quarter_number__gte=1, quarter_number__lte=4), name="window_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"Q{self.quarter_number} {self.quarter_year}/{str(self.quarter_year + 1)[2:]}: {self.opens_on} to {self.closes_on}"


class EmailOptOut(models.Model):
    """A person who asked (through an email's unsubscribe link) to get no more emails of one kind."""

    STREAM_REMINDERS = "reminders"
    STREAM_SUMMARIES = "summaries"
    STREAM_CHOICES = [
        (STREAM_REMINDERS, "Reminders of figures still due"),
        (STREAM_SUMMARIES, "Collection summaries for county analysts"),
    ]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs")
    stream = models.CharField(max_length=20, choices=STREAM_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "stream"], name="one_opt_out_per_stream")]

    def __str__(self) -> str:
        return f"{self.user} – no {self.stream}"


class SentEmail(models.Model):
    """Every email the product sends: to whom, what, when, and why (``stream`` and ``key``).

    ``key`` names the event (a window's reminder for one closing date, a quarter's alerts), and the
    uniqueness of (person, stream, key) is what makes sending idempotent: ``crimedata.mail.send_once``
    claims the row before sending, so a second run, even a simultaneous one, sends nothing twice.
    """

    STATUS_SENDING = "sending"
    STATUS_SENT = "sent"
    STATUS_FAILED = "failed"
    STATUS_CHOICES = [(STATUS_SENDING, "Sending"), (STATUS_SENT, "Sent"), (STATUS_FAILED, "Failed (will be retried)")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    to_address = models.EmailField()
    stream = models.CharField(max_length=20)
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=255)
    body = models.TextField(help_text="The plain-text part, as sent.")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=STATUS_SENDING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "stream", "key"], name="one_email_per_event")]
        indexes = [models.Index(fields=["stream", "key"])]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject} ({self.get_status_display()})"
