"""The public survey page a customer opens from a link: /s/<token>/ (?lang=, ?i=<invitation>)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from caredesk.core import throttle
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.core.i18n import activate_for_customer
from caredesk.feedback import services
from caredesk.feedback.invitations import invitation_for
from caredesk.feedback.models import QuestionKind, Survey
from caredesk.feedback.public import known_languages, page_texts, score_texts


def _answers_from(post, texts) -> tuple[dict, dict]:
    """(answers for the service, raw values to re-show the form)."""
    answers, raw = {}, {}
    for q in texts.questions:
        name = f"q_{q['key']}"
        if q["kind"] == QuestionKind.MULTIPLE:
            values = post.getlist(name)
            raw[q["key"]] = values
            if values:
                answers[q["key"]] = values
        else:
            value = post.get(name, "")
            raw[q["key"]] = value
            if value != "":
                answers[q["key"]] = value[: services.MAX_TEXT + 1]
    return answers, raw


def survey_page(request, token: str):
    survey = Survey.objects.select_related("workspace__organization").filter(token=token).first()
    if survey is None or not survey.is_active:
        raise Http404("No such survey")
    invitation_token = request.GET.get("i", "")
    invitation = invitation_for(survey, invitation_token)
    if invitation_token and invitation is None:
        raise Http404("No such invitation")
    # The customer's language (docs/i18n.md): ?lang=, what we know of them, their browser,
    # the workspace's; the survey's own texts follow it where it has a translation.
    language = activate_for_customer(
        request, survey.workspace, *known_languages(survey, invitation)
    )
    texts = page_texts(survey, language)
    low_high = services.SCORE_RANGES.get(survey.kind)
    context = {
        "survey": survey,
        "texts": texts,
        "score": score_texts(survey) if low_high else None,
        "scores": [str(n) for n in range(low_high[0], low_high[1] + 1)] if low_high else [],
        "invitation": invitation,
        "errors": {},
        "values": {"score": "", "comment": "", "customer_email": "", "answers": {}},
    }
    if invitation is not None and invitation.answered_at is not None:
        return render(request, "feedback/thanks.html", {**context, "already": True}, status=409)
    if request.method == "POST" and throttle.over_limit(
        scope="survey-post",
        key=f"{survey.pk}:{throttle.client_ip(request)}",
        limit=settings.CAREDESK_SURVEY_POSTS_PER_MINUTE,
        window=60,
    ):
        # Anonymous answers can open tickets (a detractor alert): one address may not flood a
        # survey. Nothing is stored; the customer's form is shown again, to send later.
        values = {k: request.POST.get(k, "") for k in ("score", "comment", "customer_email")}
        context["values"] = {**values, "answers": _answers_from(request.POST, texts)[1]}
        response = render(
            request, "feedback/survey_page.html", {**context, "busy": True}, status=429
        )
        response["Retry-After"] = "60"
        return response
    if request.method == "POST":
        answers, raw = _answers_from(request.POST, texts)
        values = {k: request.POST.get(k, "") for k in ("score", "comment", "customer_email")}
        context["values"] = {**values, "answers": raw}
        try:
            services.response_submit(
                survey=survey,
                score=values["score"] if low_high else None,
                comment=values["comment"][: services.MAX_TEXT + 1],
                customer_email="" if invitation else values["customer_email"],
                answers=answers,
                language=texts.language,
                invitation=invitation,
            )
        except FieldErrors as e:
            context["errors"] = {k.replace(".", "_"): v for k, v in e.errors.items()}
            if "invitation" in e.errors:
                return render(
                    request, "feedback/thanks.html", {**context, "already": True}, status=409
                )
            return render(request, "feedback/survey_page.html", context, status=INVALID)
        return render(request, "feedback/thanks.html", context)
    return render(request, "feedback/survey_page.html", context)
