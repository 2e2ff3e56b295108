"""Email alerts: the subscriptions page (signed-in people), and the unsubscribe link in every email (no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from assessments.alerts.forms import SubscriptionForm
from assessments.alerts.subscriptions import (
    SubscriptionRefused,
    add_subscription,
    remove_subscription,
    unsubscribe_all,
    user_subscriptions,
)
from crimedata import mail, roles
from crimedata.access import require
from crimedata.models import EmailOptOut
from crimedata.selectors import data_generation, reference_data

SIGN_IN = "Sign in to choose your email alerts."
REFUSED = "assessments/alerts/refused.html"


def _signed_in(user) -> bool:
    return user.is_authenticated


def _page(request: HttpRequest, form: SubscriptionForm, ref, *, status: int = 200) -> HttpResponse:
    stopped = set(EmailOptOut.objects.filter(user=request.user).values_list("stream", flat=True))
    streams = [mail.REMINDERS] if roles.has_role(request.user, roles.OFFICER) else []
    if roles.is_county_analyst(request.user):
        streams.append(mail.SUMMARIES)
    return render(request, "assessments/alerts/subscriptions.html", {
        "page_title": "Email alerts",
        "form": form,
        "errors": form.summary() if form.is_bound else [],
        "subscriptions": user_subscriptions(request.user, ref),
        "email": request.user.email,
        "streams": [{"stream": s, "name": mail.STREAMS[s], "stopped": s in stopped} for s in streams],
        "sees_provisional": roles.can_see_provisional(request.user),
    }, status=status)


@require(_signed_in, SIGN_IN)
def subscriptions(request: HttpRequest) -> HttpResponse:
    """GET: the person's subscriptions and the form; POST: follow one more district or group."""
    ref = reference_data(data_generation())
    form = SubscriptionForm(request.POST if request.method == "POST" else None, ref=ref)
    if request.method != "POST":
        return _page(request, form, ref)
    if not form.is_valid():
        return _page(request, form, ref, status=400)
    try:
        subscription = add_subscription(request.user, area=form.cleaned_data["area"],
                                        category_slug=form.cleaned_data["category"], ref=ref)
    except SubscriptionRefused as refused:
        form.add_error("area", str(refused))
        return _page(request, form, ref, status=400)
    messages.success(request, f"You will get alerts for {_described(subscription, ref)}.")
    return redirect(reverse("alert-subscriptions"))


def _described(subscription, ref) -> str:
    return next(r.description for r in user_subscriptions(subscription.user, ref) if r.id == subscription.pk)


@require_POST
@require(_signed_in, SIGN_IN)
def subscription_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if not remove_subscription(request.user, pk):
        raise Http404("You have no such subscription: it may have been removed already.")
    messages.success(request, "Subscription removed. You will get no more alerts for it.")
    return redirect(reverse("alert-subscriptions"))


@require_POST
@require(_signed_in, SIGN_IN)
def email_preferences(request: HttpRequest) -> HttpResponse:
    """Start or stop reminders (officers) or collection summaries (analysts) again from the page."""
    stream = request.POST.get("stream", "")
    if stream not in (mail.REMINDERS, mail.SUMMARIES):
        return render(request, REFUSED, {"page_title": "Those emails cannot be changed here",
                                         "message": "Choose reminders or collection summaries. Nothing was changed."},
                      status=400)
    if request.POST.get("action") == "stop":
        mail.opt_out(request.user, stream)
        messages.success(request, f"You will get no more {mail.STREAMS[stream]}.")
    else:
        mail.opt_in(request.user, stream)
        messages.success(request, f"You will get {mail.STREAMS[stream]} again.")
    return redirect(reverse("alert-subscriptions"))


def _unsubscribe(user, stream: str) -> bool:
    """Do what the link says; False when there was nothing to stop."""
    if stream == mail.ALERTS:
        return bool(unsubscribe_all(user))
    return mail.opt_out(user, stream)


@csrf_exempt  # mail programs POST here with no CSRF token (RFC 8058); the signed link is the authority.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what the link will stop, with one button (link checkers that open links change nothing).
    POST: stop it, no sign-in needed. A changed link, or one for a deleted account, changes nothing."""
    try:
        user, stream = mail.read_unsubscribe_token(token)
    except mail.BadUnsubscribeLink:
        return render(request, REFUSED, {
            "page_title": "This unsubscribe link does not work",
            "message": "This unsubscribe link has been changed or cut short, so it does not work and nothing has "
                       "been changed. Copy the whole link from the email, or sign in and choose your emails on the "
                       "email alerts page.",
        }, status=400)
    except mail.UnknownAccount:
        return render(request, REFUSED, {
            "page_title": "This account no longer exists",
            "message": "This unsubscribe link is for an account that no longer exists. Nothing has been changed, "
                       "and the site sends no emails to accounts that have been removed.",
        }, status=410)
    context = {"page_title": "Unsubscribe", "stream_name": mail.STREAMS[stream], "address": user.email,
               "stream": stream, "token": token}
    if request.method == "POST":
        context["changed"] = _unsubscribe(user, stream)
        context["page_title"] = "You have unsubscribed"
        return render(request, "assessments/alerts/unsubscribe_done.html", context)
    return render(request, "assessments/alerts/unsubscribe.html", context)
