"""Settings → Queues & skills: the segment of a queue's tickets (the "queue" source of a new
ticket's segment), saved, refused with the error shown and nothing changed, manage_care only."""

from caredesk.routing import services
from caredesk.routing.models import Queue
from caredesk.workspaces.models import Segment

URL = "/w/support/settings/queues/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def edit(client, queue, **extra):
    p = f"q{queue.pk}-"
    data = {p + "name": queue.name, p + "priority": "0", **{p + k: v for k, v in extra.items()}}
    return client.post(URL + f"queues/{queue.pk}/", data, **HTMX)


def test_a_queue_gets_the_segment_of_its_tickets(world, as_user):
    queue = services.queue_create(workspace=world.support, name="Billing")
    c = as_user(world.admin)
    html = c.get(URL).content.decode()
    assert f'name="q{queue.pk}-segment" id="id_q{queue.pk}-segment"' in html
    r = edit(c, queue, segment=str(world.store2.pk))
    assert r.status_code == 200, r.content
    assert Queue.objects.get(pk=queue.pk).segment_id == world.store2.pk
    html = c.get(URL).content.decode()
    assert f'<option value="{world.store2.pk}" selected>' in html
    # A new queue names its segment too; none clears it.
    r = c.post(
        URL + "queues/add/",
        {"new-name": "Returns", "new-priority": "0", "new-segment": str(world.italy.pk)},
        **HTMX,
    )
    assert r.status_code == 200, r.content
    assert Queue.objects.get(name="Returns").segment_id == world.italy.pk
    assert edit(c, queue, segment="").status_code == 200
    assert Queue.objects.get(pk=queue.pk).segment_id is None


def test_bad_queue_segment_is_refused_and_changes_nothing(world, as_user):
    queue = services.queue_create(workspace=world.support, name="Billing")
    Queue.objects.filter(pk=queue.pk).update(segment=world.lisbon)
    foreign = Segment.objects.create(organization=world.other_org, name="Theirs", path="/0/")
    c = as_user(world.admin)
    for value in (str(foreign.pk), "abc"):
        r = edit(c, queue, segment=value)
        assert r.status_code == 400, value
        assert "No such segment." in r.content.decode()
        assert Queue.objects.get(pk=queue.pk).segment_id == world.lisbon.pk
    for user in (world.agent, world.manager):
        assert edit(as_user(user), queue, segment=str(world.italy.pk)).status_code == 403
    assert Queue.objects.get(pk=queue.pk).segment_id == world.lisbon.pk
