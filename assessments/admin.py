"""Admin for the plan models: a fallback for administrators (officers use the plan pages).

SimpleHistoryAdmin shows each object's history (who, when, what changed).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    Action,
    ActionUpdate,
    Agency,
    AlertSubscription,
    FundedOutcome,
    GrantApplication,
    MorileMultiplier,
    MorileScore,
    OutcomeUpdate,
    PccGrant,
    Priority,
    StrategicAssessment,
    Target,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "display_order"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(MorileMultiplier)
class MorileMultiplierAdmin(SimpleHistoryAdmin):
    list_display = ["csp_score", "multiplier"]


class PriorityInline(admin.TabularInline):
    model = Priority
    fields = ["kind", "order", "title", "theme", "lead_agency", "status_override"]
    extra = 0
    show_change_link = True


@admin.register(StrategicAssessment)
class StrategicAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["district", "plan_year", "status", "signed_off_on", "data_from", "data_to"]
    list_filter = ["status", "plan_year", "district"]
    inlines = [PriorityInline]


class ActionInline(admin.TabularInline):
    model = Action
    fields = ["order", "description", "measure", "outcome"]
    extra = 0
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "assessment", "kind", "order", "theme", "lead_agency"]
    list_filter = ["kind", "theme", "assessment__plan_year"]
    filter_horizontal = ["also_covers", "categories"]
    inlines = [ActionInline]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "priority"]
    filter_horizontal = ["agencies"]
    inlines = [ActionUpdateInline]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "assessment", "baseline", "target", "direction", "actual", "result_label"]


@admin.register(PccGrant)
class PccGrantAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "total_grant", "project_budget"]


class FundedOutcomeInline(admin.StackedInline):
    model = FundedOutcome
    extra = 0
    show_change_link = True


@admin.register(GrantApplication)
class GrantApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["project", "assessment", "agency", "status", "amount_requested", "amount_awarded"]
    list_filter = ["status", "assessment__plan_year"]
    inlines = [FundedOutcomeInline]


class OutcomeUpdateInline(admin.TabularInline):
    model = OutcomeUpdate
    extra = 0


@admin.register(FundedOutcome)
class FundedOutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "grant", "amount_unspent"]
    inlines = [OutcomeUpdateInline]


@admin.register(MorileScore)
class MorileScoreAdmin(SimpleHistoryAdmin):
    list_display = ["theme", "assessment", "total_harm", "risk", "csp_score"]
    list_filter = ["assessment"]


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "district", "group", "category", "created_at"]
    list_filter = ["district", "group"]
