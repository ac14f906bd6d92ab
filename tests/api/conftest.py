import pytest

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment

BASE = "/api/v1/workspaces/support"


def numbers(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [t["number"] for t in response.json()["items"]]


def snapshot(case: Case) -> dict:
    """Everything an update could touch, to prove a refused request wrote nothing."""
    case = Case.objects.get(pk=case.pk)
    return {
        "row": {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields},
        "tags": sorted(case.tags.values_list("name", flat=True)),
        "comments": CaseComment.objects.filter(case=case).count(),
        "audit": AuditEntry.objects.filter(object_type="case", object_id=case.pk).count(),
    }


@pytest.fixture
def admin_api(world, api_client):
    return api_client(world.admin)
