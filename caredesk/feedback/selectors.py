from django.http import Http404

from caredesk.feedback.models import Response, Survey
from caredesk.workspaces.access import Access


def surveys_for(access: Access):
    return Survey.objects.filter(workspace=access.workspace).order_by("name", "id")


def survey_get(access: Access, survey_id) -> Survey:
    survey = (
        Survey.objects.select_related("workspace__organization")
        .filter(workspace=access.workspace, pk=survey_id)
        .first()
    )
    if survey is None:
        raise Http404("No such survey")
    return survey


def response_cases(response: Response) -> list[int]:
    return list(response.rule_cases.order_by("id").values_list("case__number", flat=True))
