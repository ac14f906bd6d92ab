"""The public survey page a customer opens from a link: /s/<token>/."""

from django.http import Http404
from django.shortcuts import render

from caredesk.core.errors import FieldErrors
from caredesk.feedback import services
from caredesk.feedback.models import Survey, SurveyKind


def survey_page(request, token: str):
    survey = (
        Survey.objects.select_related("workspace__organization")
        .filter(token=token, kind__in=[SurveyKind.NPS, SurveyKind.CSAT])
        .first()
    )
    if survey is None or not survey.is_active:
        raise Http404("No such survey")
    low, high = services.SCORE_RANGES[survey.kind]
    context = {
        "survey": survey,
        "scores": [str(n) for n in range(low, high + 1)],
        "low": low,
        "high": high,
        "errors": {},
        "values": {"score": "", "comment": "", "customer_email": ""},
    }
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("score", "comment", "customer_email")}
        context["values"] = values
        try:
            services.response_submit(
                survey=survey,
                score=values["score"],
                comment=values["comment"][:5000],
                customer_email=values["customer_email"],
            )
        except FieldErrors as e:
            context["errors"] = e.errors
            return render(request, "feedback/survey_page.html", context, status=400)
        return render(request, "feedback/thanks.html", context)
    return render(request, "feedback/survey_page.html", context)
