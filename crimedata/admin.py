"""Admin for reference data (county analysts) and, read-mostly, figures.

Figures are changed through the product's own pages so every change is
checked and kept in history; the admin shows them with their history and
lets administrators correct one with a reason (recorded by simple-history).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from crimedata import models
from crimedata.services import bump_data_generation


class BumpsGenerationMixin:
    """Reference edits change computed pages, so they invalidate cached comparisons."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_data_generation()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump_data_generation()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        bump_data_generation()


@admin.register(models.District)
class DistrictAdmin(BumpsGenerationMixin, admin.ModelAdmin):
    list_display = ["name", "code", "former_names", "police_division", "in_kcc_area"]
    search_fields = ["name", "code", "former_names"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.ComparisonGroup)
class ComparisonGroupAdmin(BumpsGenerationMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "built_in"]
    filter_horizontal = ["districts"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # The API refers to built-in groups by slug; renaming one would break links.
        return ["slug", "built_in"] if obj and obj.built_in else ["built_in"]


@admin.register(models.Population)
class PopulationAdmin(BumpsGenerationMixin, admin.ModelAdmin):
    list_display = ["district", "year", "population", "source"]
    list_filter = ["year", "district"]


@admin.register(models.Category)
class CategoryAdmin(BumpsGenerationMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "family", "polarity", "rate_base", "adds_to_parent", "suppress_below", "entry", "grain"]
    list_filter = ["family", "polarity", "entry", "grain"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["district", "category", "period_start", "period_end", "value", "status", "source", "version"]
    list_filter = ["status", "source", "district", "category__family"]
    search_fields = ["category__name", "district__name"]
    date_hierarchy = "period_start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Corrections go through the entry pages (with sign-off and conflict checks).
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ImportLog)
class ImportLogAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "kind", "file_name", "imported_by", "created", "updated", "unchanged"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.SeriesNote)
class SeriesNoteAdmin(BumpsGenerationMixin, admin.ModelAdmin):
    list_display = ["category", "district", "month", "text"]
    list_filter = ["category"]


@admin.register(models.SignOff)
class SignOffAdmin(admin.ModelAdmin):
    list_display = ["district", "period_start", "period_end", "signed_off_by", "signed_off_at"]
    list_filter = ["district"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.DistrictMembership)
class DistrictMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "district"]
    list_filter = ["district"]


@admin.register(models.LsoaLookup)
class LsoaLookupAdmin(admin.ModelAdmin):
    list_display = ["lsoa_code", "lsoa_name", "ward_name", "district"]
    list_filter = ["district"]
    search_fields = ["lsoa_code", "lsoa_name", "ward_name"]


@admin.register(models.CollectionWindow)
class CollectionWindowAdmin(SimpleHistoryAdmin):
    """Read-only: windows are opened and changed on their own pages, which check them (overlaps, dates)."""

    list_display = ["__str__", "opens_on", "closes_on", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    """The record of every email sent: to whom, what, when (read-only)."""

    list_display = ["created_at", "to_address", "stream", "subject", "status", "sent_at"]
    list_filter = ["stream", "status"]
    search_fields = ["to_address", "subject", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "stream", "created_at"]
    list_filter = ["stream"]
