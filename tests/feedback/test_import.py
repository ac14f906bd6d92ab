"""CSV import: the `caredesk import-responses` command and the upload form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from caredesk.care.models import Case
from caredesk.feedback.models import Response

CSV = (
    "external_id,score,comment,customer_email,segment,responded_at,transaction.order_id,"
    "transaction.channel\n"
    'r1,3,"Não gostei, demorou",ana@x.pt,Lisbon Store 2,2026-02-01T09:30:00Z,A-1,store\n'
    "r2,10,,,,,A-2,web\n"
    "r3,11,,not-mail,,,,\n"
)


def write(tmp_path, text, name="in.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_command_imports_and_is_idempotent(
    world, nps, tmp_path, capsys, django_capture_on_commit_callbacks
):
    path = write(tmp_path, CSV)
    with (
        pytest.raises(CommandError, match="1 line"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("import_responses", "--workspace", "support", "--survey", str(nps.pk), path)
    out = capsys.readouterr()
    assert "created 2, duplicate 0, errors 1" in out.out
    assert "line 4: score: The score must be from 0 to 10.; customer_email:" in out.err
    r1 = Response.objects.get(external_id="r1")
    assert r1.comment == "Não gostei, demorou" and r1.segment == world.store2
    assert r1.transaction == {"order_id": "A-1", "channel": "store"}
    assert r1.responded_at.isoformat() == "2026-02-01T09:30:00+00:00"
    assert Case.objects.get().customer_comment == "Não gostei, demorou"

    with pytest.raises(CommandError):
        call_command("import_responses", "--workspace", "support", "--survey", str(nps.pk), path)
    assert "created 0, duplicate 2, errors 1" in capsys.readouterr().out
    assert Response.objects.count() == 2 and Case.objects.count() == 1


def test_command_refuses_bad_files_and_surveys(world, nps, tmp_path):
    with pytest.raises(CommandError, match="Unknown column: 'colour'"):
        call_command(
            "import_responses",
            "--workspace",
            "support",
            "--survey",
            str(nps.pk),
            write(tmp_path, "score,colour\n1,red\n"),
        )
    with pytest.raises(CommandError, match="No survey"):
        call_command("import_responses", "--workspace", "sales", "--survey", str(nps.pk), "x.csv")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "import_responses", "--workspace", "support", "--survey", str(nps.pk), "/nope.csv"
        )
    assert Response.objects.count() == 0


def test_multiple_choice_columns(world, custom, tmp_path, capsys):
    path = write(tmp_path, "answer.reason,answer.extras,answer.speed\nprice,web|app,4\n")
    call_command("import_responses", "--workspace", "support", "--survey", str(custom.pk), path)
    assert Response.objects.get().answers == {
        "reason": "price",
        "extras": ["app", "web"],
        "speed": 4,
    }


def test_upload_form(world, nps, as_user, django_capture_on_commit_callbacks):
    url = f"/w/support/feedback/surveys/{nps.pk}/import/"
    upload = SimpleUploadedFile("r.csv", CSV.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        r = as_user(world.admin).post(url, {"file": upload})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Created 2, already there 0, with errors 1." in html
    assert "Line 4: score: The score must be from 0 to 10." in html
    assert Response.objects.count() == 2


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty"),
        (b"score,bad\n1,2\n", "Unknown column: &#x27;bad&#x27;"),
        (b"score\n\xff\xfe\n", "not UTF-8"),
    ],
)
def test_upload_form_bad_files(world, nps, as_user, content, message):
    url = f"/w/support/feedback/surveys/{nps.pk}/import/"
    r = as_user(world.admin).post(url, {"file": SimpleUploadedFile("r.csv", content)})
    assert r.status_code == 400
    assert message in r.content.decode()
    assert Response.objects.count() == 0


def test_upload_needs_manage_care(world, nps, as_user):
    url = f"/w/support/feedback/surveys/{nps.pk}/import/"
    upload = SimpleUploadedFile("r.csv", CSV.encode())
    assert as_user(world.manager).post(url, {"file": upload}).status_code == 403
    assert Response.objects.count() == 0
