# ==============================================================================================
# Statistics (issue 6): SPC step changes and officers' edits of generated commentary.
# Kept together at the end of this file; other capabilities add their models above.
# ==============================================================================================
# (Imports repeated here so the block stands alone when other blocks are merged above it.)
from django.conf import settings  # noqa: E402
from django.db import models  # noqa: E402
from simple_history.models import HistoricalRecords  # noqa: E402


class StepChange(models.Model):
    """A step change in one SPC series (district × category): the limits start again here.

    The chart never rebases itself. The product suggests a step change at the
    start of a sustained run, and a person applies it with a reason (methods.md
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
