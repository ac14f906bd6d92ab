"""Writes on the customer journey. An activity on a case counts as activity on that case: it
resets the case's inactivity clock (the auto-close rule) and moving it is audited."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caredesk import events
from caredesk.audit.services import audit_changes
from caredesk.care.models import Case, Origin, Priority, Tag
from caredesk.care.services import case_create, case_touch
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.core.limits import MAX_BODY as CASE_TEXT
from caredesk.core.limits import MAX_TAGS, check_text, text_errors
from caredesk.customers.models import Account, Contact
from caredesk.journey.models import Activity, ActivityComment, Direction, MediaType
from caredesk.routing.models import Queue
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

MAX_BODY = 100_000


def _check_customer(workspace, contact: Contact | None, account: Account | None) -> None:
    org = workspace.organization_id
    errors = {}
    if contact is not None and contact.organization_id != org:
        errors["contact"] = _("No such contact.")
    if account is not None and account.organization_id != org:
        errors["account"] = _("No such account.")
    if errors:
        raise FieldErrors(errors)


def activity_create(
    *,
    workspace,
    media_type: str,
    direction: str = Direction.INBOUND,
    actor=None,
    contact: Contact | None = None,
    account: Account | None = None,
    case: Case | None = None,
    **fields,
) -> Activity:
    """Record one interaction. `fields` are Activity fields (subject, body, channel, context,
    external_id, times…). With an external_id, a retry returns the activity already stored."""
    errors = choice_errors(
        (media_type, "media_type", MediaType), (direction, "direction", Direction)
    )
    if len(fields.get("body") or "") > MAX_BODY:
        errors["body"] = _("The text is longer than %(n)s characters.") % {"n": MAX_BODY}
    if case is not None and case.workspace_id != workspace.pk:
        errors["case"] = _("No such ticket.")
    if errors:
        raise FieldErrors(errors)
    _check_customer(workspace, contact, account)
    if contact is not None and account is None:
        account = contact.account
    external_id = fields.get("external_id") or ""
    if external_id:
        found = Activity.objects.filter(
            workspace=workspace, media_type=media_type, external_id=external_id
        ).first()
        if found is not None:
            return found
    with transaction.atomic():
        activity = Activity.objects.create(
            workspace=workspace,
            media_type=media_type,
            direction=direction,
            contact=contact,
            account=account,
            case=case,
            created_by=actor,
            **fields,
        )
        case_touch(activity.case_id)
        _created(activity)
    return activity


def _created(activity: Activity) -> None:
    """activity.created: nothing listens yet (the place for analysis and quality)."""
    events.emit(
        events.ActivityCreated(
            workspace=activity.workspace_id,
            activity=activity.pk,
            media_type=activity.media_type,
            contact=activity.contact_id,
            case=activity.case_id,
        )
    )


def note_add(
    *,
    access: Access,
    body: str,
    contact: Contact | None = None,
    account: Account | None = None,
    case: Case | None = None,
) -> Activity:
    """A quick note on the timeline of a customer or a case."""
    access.require(Perm.USE_CARE)
    if not (body or "").strip():
        raise FieldErrors.one("body", _("The note cannot be empty."))
    check_text(body, "body", MAX_BODY)
    if contact is None and account is None and case is None:
        raise FieldErrors.one("contact", _("A note belongs to a contact, an account or a ticket."))
    _require_visible_case(access, case, "ticket")
    if case is not None and contact is None:
        contact = case.contact
    return activity_create(
        workspace=access.workspace,
        media_type=MediaType.NOTE,
        direction=Direction.INTERNAL,
        actor=access.user,
        contact=contact,
        account=account,
        case=case,
        body=body.strip(),
        agent=access.user,
    )


def _require_visible_case(access: Access, case: Case | None, field: str) -> None:
    if case is not None and not Case.objects.visible_to(access).filter(pk=case.pk).exists():
        raise FieldErrors.one(field, _("No such ticket."))


def activity_move(*, access: Access, activity: Activity, case: Case | None) -> Activity:
    """Attach the activity to another case (or to none); both cases' logs record it, so the
    user must see both: the one it leaves and the one it joins."""
    access.require(Perm.USE_CARE)
    if case is not None and case.workspace_id != activity.workspace_id:
        raise FieldErrors.one("ticket", _("No such ticket."))
    _require_visible_case(access, case, "ticket")
    old = activity.case
    if old is not None and not Case.objects.visible_to(access).filter(pk=old.pk).exists():
        raise PermissionDenied(
            "This activity is on a ticket you cannot see; only someone who sees that ticket "
            "can move it."
        )
    if (old.pk if old else None) == (case.pk if case else None):
        return activity
    label = f"{activity.get_media_type_display()} activity {activity.pk}"
    with transaction.atomic():
        activity.case = case
        if case is not None and activity.contact_id is None and case.contact_id:
            activity.contact_id = case.contact_id
        activity.save(update_fields=["case", "contact", "updated_at"])
        for c, old_v, new_v in ((old, label, ""), (case, "", label)):
            if c is not None:
                audit_changes(
                    workspace=access.workspace,
                    obj=c,
                    actor=access.user,
                    action="activity moved",
                    changes=[("activity", old_v, new_v)],
                )
                case_touch(c.pk)
    return activity


def activity_set_customer(
    *, access: Access, activity: Activity, contact: Contact | None, account: Account | None = None
) -> Activity:
    access.require(Perm.USE_CARE)
    _check_customer(access.workspace, contact, account)
    activity.contact = contact
    activity.account = account if account is not None else (contact.account if contact else None)
    activity.save(update_fields=["contact", "account", "updated_at"])
    return activity


def activity_tag_add(*, access: Access, activity: Activity, name: str) -> Tag:
    access.require(Perm.USE_CARE)
    clean = (name or "").strip()
    if not clean or len(clean) > 60:
        raise FieldErrors.one("tag", _("A tag is text of 1 to 60 characters."))
    check_text(clean, "tag")
    if activity.tags.count() >= MAX_TAGS and not activity.tags.filter(name=clean).exists():
        raise FieldErrors.one("tag", _("An activity has at most %(n)s tags.") % {"n": MAX_TAGS})
    tag, _created = Tag.objects.get_or_create(workspace=access.workspace, name=clean)
    activity.tags.add(tag)
    case_touch(activity.case_id)
    return tag


def activity_tag_remove(*, access: Access, activity: Activity, name: str) -> None:
    access.require(Perm.USE_CARE)
    check_text(name, "tag")
    tag = Tag.objects.filter(workspace=access.workspace, name=(name or "").strip()).first()
    if tag is None or not activity.tags.filter(pk=tag.pk).exists():
        raise FieldErrors.one("tag", _("This activity has no such tag."))
    activity.tags.remove(tag)


def activity_comment_add(*, access: Access, activity: Activity, body: str) -> ActivityComment:
    access.require(Perm.USE_CARE)
    if not (body or "").strip():
        raise FieldErrors.one("body", _("The comment cannot be empty."))
    check_text(body, "body", MAX_BODY)
    with transaction.atomic():
        comment = ActivityComment.objects.create(
            activity=activity, author=access.user, body=body.strip()
        )
        case_touch(activity.case_id)
    return comment


def activity_sync_conversation(conversation, *, new: bool = False) -> Activity:
    """The chat activity mirrors its conversation: queue, skills, context and times. `new`:
    the conversation was just created, so it has no activity yet."""
    queue = conversation.queue
    navigation = [
        {"kind": n.kind, "value": n.value, "at": n.at.isoformat(), "url": n.url}
        for n in conversation.navigation.all()
    ]
    values = {
        "workspace_id": conversation.workspace_id,
        "media_type": MediaType.CHAT,
        "direction": Direction.INBOUND,
        "channel": "web chat",
        "queue_name": queue.name,
        "skills": sorted(s.name for s in queue.required_skills.all()),
        "context": {
            "pre_chat": conversation.pre_chat,
            "visitor": conversation.visitor,
            "navigation": navigation,
        },
        "queued_at": conversation.created_at,
        "started_at": conversation.accepted_at,
        "ended_at": conversation.ended_at,
        "wait_seconds": conversation.wait_seconds,
        "occurred_at": conversation.created_at,
        "agent_id": conversation.agent.user_id if conversation.agent_id else None,
    }
    activity = None if new else Activity.objects.filter(conversation=conversation).first()
    if activity is None:
        activity = Activity.objects.create(
            conversation=conversation, contact_id=conversation.contact_id, **values
        )
        _created(activity)
        return activity
    for k, v in values.items():
        setattr(activity, k, v)
    if activity.contact_id is None and conversation.contact_id:
        activity.contact_id = conversation.contact_id
    activity.save()
    case_touch(activity.case_id)
    return activity


def activity_sync_times(conversation, *, agent_changed: bool) -> None:
    """Accepting and ending a chat change only its times (and, on accept, its agent): one
    UPDATE of the activity and one of its case, instead of the full sync's six statements on
    the chat's busiest moments. The full sync runs when the activity is not there yet."""
    values = {
        "started_at": conversation.accepted_at,
        "ended_at": conversation.ended_at,
        "wait_seconds": conversation.wait_seconds,
    }
    if agent_changed:
        values["agent_id"] = conversation.agent.user_id if conversation.agent_id else None
    # One transaction, so one commit (it runs after the accept's or the end's own).
    with transaction.atomic():
        if not Activity.objects.filter(conversation_id=conversation.pk).update(**values):
            activity_sync_conversation(
                type(conversation).objects.select_related("queue", "agent").get(pk=conversation.pk)
            )
            return
        case_touch(
            Activity.objects.filter(conversation_id=conversation.pk, case_id__isnull=False).values(
                "case_id"
            )
        )


# --- the desk's customer summary: linking a conversation to a customer and to a case --------


def conversation_activity(conversation) -> Activity:
    """The chat's activity; created now if the after-commit listener (journey.listeners)
    has not run yet."""
    activity = Activity.objects.filter(conversation=conversation).first()
    if activity is not None:
        return activity
    try:
        with transaction.atomic():
            return activity_sync_conversation(conversation)
    except IntegrityError:  # the listener created it at the same moment
        return Activity.objects.get(conversation=conversation)


def conversation_set_contact(*, access: Access, conversation, contact: Contact) -> Activity:
    """Link a chat (and its activity) to a contact. conversation.contact_set keeps the activity
    in step after the commit (journey.listeners); the activity is set here too, with the
    contact's account, so the caller sees the link at once."""
    access.require(Perm.USE_CARE)
    if conversation.workspace_id != access.workspace.pk:
        raise FieldErrors.one("conversation", _("No such conversation."))
    _check_customer(access.workspace, contact, None)
    with transaction.atomic():
        conversation.contact = contact
        conversation.save(update_fields=["contact"])
        if conversation.language and not contact.language:
            # The customer's emails and surveys from now on speak the language they chatted in.
            Contact.objects.filter(pk=contact.pk, language="").update(
                language=conversation.language
            )
            contact.language = conversation.language
        events.emit(
            events.ConversationContactSet(conversation=conversation.pk, contact=contact.pk).about(
                conversation
            )
        )
        activity = conversation_activity(conversation)
        activity_set_customer(access=access, activity=activity, contact=contact)
    return activity


def case_from_activity(
    *, access: Access, activity: Activity, title: str, priority: str, description: str
) -> Case:
    """ "Add case" on the desk: a new ticket (origin = the activity's channel) for the
    activity's customer, and the activity moved onto it (audited on the case)."""
    access.require(Perm.USE_CARE)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("A title is required.")
    elif len(title) > 200:
        errors["title"] = _("The title is longer than 200 characters.")
    errors.update(choice_errors((priority, "priority", Priority)))
    errors.update(text_errors((title, "title", 200), (description, "description", CASE_TEXT)))
    if errors:
        raise FieldErrors(errors)
    origin = {
        MediaType.CHAT: Origin.CHAT,
        MediaType.CALL: Origin.CALL,
        MediaType.EMAIL: Origin.EMAIL,
    }.get(activity.media_type, Origin.MANUAL)
    contact = activity.contact
    email = contact.primary_email if contact is not None else ""
    description = (description or "").strip()
    # The queue the conversation waited in (a chat's, else the one a call was recorded on).
    queues = Queue.objects.filter(workspace=access.workspace)
    if activity.conversation_id is not None:
        queues = queues.filter(conversations__pk=activity.conversation_id)
    else:
        queues = queues.filter(name=activity.queue_name) if activity.queue_name else queues.none()
    queue_segment_id = queues.values_list("segment_id", flat=True).first()
    channel = activity.get_media_type_display().lower()
    opened_from = _("Opened from %(channel)s.") % {"channel": channel}
    with transaction.atomic():
        case = case_create(
            access=access,
            # Any member serving a customer may open a ticket for them from the desk, without
            # the inbox; they see it afterwards as its creator and owner.
            permission=Perm.USE_CARE,
            customer_email=email,
            customer_email_optional=True,
            contact_id=contact.pk if contact is not None else None,
            comment=description or opened_from,
            customer_comment=description,
            title=title,
            priority=priority,
            origin=origin,
            queue_segment_id=queue_segment_id,
            # The agent who handles the conversation owns the ticket; nobody handles a note
            # or a web form: then whoever adds it.
            handler_id=activity.agent_id or (access.user.pk if access.user else None),
        )
        activity_move(access=access, activity=activity, case=case)
    return case
