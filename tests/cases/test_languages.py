"""The pages this work changed, in each language: translated words, the locale's date format."""

import datetime as dt

import pytest
from django.utils import timezone

from caredesk.care.models import Case
from caredesk.workspaces.models import User

WORDS = {
    # language: (Settings → General, the ticket dialog's read-only note, a date)
    "pt-BR": ("Segmento padrão", "Você pode ler este ticket", "05/12/2026"),
    "it": ("Segmento predefinito", "Puoi leggere questo ticket", "05/12/2026"),
    "bg": ("Сегмент по подразбиране", "Можете да четете тази заявка", "05.12.2026"),
}


@pytest.mark.parametrize("lang", list(WORDS))
def test_pages_in_each_language(world, as_user, lang):
    general, read_only, day = WORDS[lang]
    User.objects.filter(pk__in=[world.admin.pk, world.agent.pk]).update(language=lang)
    html = as_user(world.admin).get("/w/support/settings/").content.decode()
    assert general in html and "Default segment" not in html

    case = world.make_case(
        world.support,
        reported_at=timezone.make_aware(dt.datetime(2026, 12, 5, 9, 48), dt.UTC),
    )
    Case.objects.filter(pk=case.pk).update(created_by=world.agent, owner=world.agent)
    r = as_user(world.agent).get(f"/w/support/tickets/{case.number}/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert read_only in html
    assert f"{day} 09:48" in html  # reported on, in the locale's format
