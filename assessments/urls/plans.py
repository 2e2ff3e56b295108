"""Strategic assessments, priorities, plans, funding, MoRiLE and scrutiny summaries."""

from django.urls import path, register_converter

from assessments.plans.years import BadPlanYear, parse_plan_year, plan_year_slug
from assessments.views import plans as views


class PlanYearConverter:
    """'2017-18' in a URL <-> 2017; a malformed year is simply not found (404)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> int:
        try:
            return parse_plan_year(value)
        except BadPlanYear as error:
            raise ValueError(str(error)) from error

    def to_url(self, value) -> str:
        return plan_year_slug(int(value)) if not isinstance(value, str) else value


class DistrictCodeConverter:
    regex = r"[EWS]\d{8}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ReferenceKindConverter(DistrictCodeConverter):
    regex = r"themes|agencies|multipliers"


register_converter(PlanYearConverter, "plan_year")
register_converter(ReferenceKindConverter, "plan_reference")
register_converter(DistrictCodeConverter, "plan_district")

A = "assessments/<plan_district:code>/<plan_year:year>/"

urlpatterns = [
    path("priorities/", views.priorities_overview, name="priorities-overview"),
    path("assessments/new/", views.assessment_new, name="assessment-new"),
    path(A, views.assessment_detail, name="assessment-detail"),
    path(A + "scrutiny/", views.scrutiny_summary, name="scrutiny-summary"),
    path(A + "scrutiny.pdf", views.scrutiny_pdf, name="scrutiny-pdf"),
    path(A + "history/", views.assessment_history, name="assessment-history"),
    path(A + "edit/", views.assessment_edit, name="assessment-edit"),
    path(A + "edit/funding/", views.funding_edit, name="plan-funding-edit"),
    path(A + "edit/morile/", views.morile_edit, name="plan-morile-edit"),
    path(A + "edit/priorities/add/", views.priority_add, name="plan-priority-add"),
    path(A + "edit/priorities/<int:pk>/", views.priority_edit, name="plan-priority-edit"),
    path(A + "edit/priorities/<int:pk>/remove/", views.priority_delete, name="plan-priority-delete"),
    path(A + "edit/priorities/<int:priority_pk>/actions/add/", views.action_add, name="plan-action-add"),
    path(A + "edit/actions/<int:pk>/", views.action_edit, name="plan-action-edit"),
    path(A + "edit/actions/<int:pk>/remove/", views.action_delete, name="plan-action-delete"),
    path(A + "edit/actions/<int:action_pk>/updates/add/", views.action_update_add, name="plan-action-update-add"),
    path(A + "edit/updates/<int:pk>/", views.action_update_edit, name="plan-action-update-edit"),
    path(A + "edit/updates/<int:pk>/remove/", views.action_update_delete, name="plan-action-update-delete"),
    path(A + "edit/targets/add/", views.target_add, name="plan-target-add"),
    path(A + "edit/targets/<int:pk>/", views.target_edit, name="plan-target-edit"),
    path(A + "edit/targets/<int:pk>/remove/", views.target_delete, name="plan-target-delete"),
    path(A + "edit/grants/add/", views.grant_add, name="plan-grant-add"),
    path(A + "edit/grants/<int:pk>/", views.grant_edit, name="plan-grant-edit"),
    path(A + "edit/grants/<int:pk>/remove/", views.grant_delete, name="plan-grant-delete"),
    path(A + "edit/grants/<int:grant_pk>/outcomes/add/", views.outcome_add, name="plan-outcome-add"),
    path(A + "edit/outcomes/<int:pk>/", views.outcome_edit, name="plan-outcome-edit"),
    path(A + "edit/outcomes/<int:pk>/remove/", views.outcome_delete, name="plan-outcome-delete"),
    path(A + "edit/outcomes/<int:outcome_pk>/reports/add/", views.outcome_update_add, name="plan-outcome-update-add"),
    path(A + "edit/reports/<int:pk>/", views.outcome_update_edit, name="plan-outcome-update-edit"),
    path(A + "edit/reports/<int:pk>/remove/", views.outcome_update_delete, name="plan-outcome-update-delete"),
    path("plans/<plan_reference:kind>/", views.reference_list, name="plan-reference-list"),
    path("plans/<plan_reference:kind>/add/", views.reference_add, name="plan-reference-add"),
    path("plans/<plan_reference:kind>/<int:pk>/", views.reference_edit, name="plan-reference-edit"),
    path("plans/<plan_reference:kind>/<int:pk>/remove/", views.reference_delete, name="plan-reference-delete"),
]
