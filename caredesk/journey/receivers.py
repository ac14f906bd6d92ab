"""Keeps each chat's activity in step with its conversation, whoever saves it."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from caredesk.routing.models import Conversation

# Saves that change only the routing status (offered / waiting again) are not journey events.
_MILESTONES = {"accepted_at", "ended_at", "contact", "pre_chat", "visitor"}
# Accept and end: only the times and the agent change (services.offer_accept, conversation_end).
_TIMES_ONLY = {"status", "agent", "accepted_at", "wait_seconds", "ended_at"}


@receiver(post_save, sender=Conversation)
def conversation_saved(sender, instance, created, update_fields=None, **kwargs):
    if not created and update_fields is not None and not (_MILESTONES & set(update_fields)):
        return
    from caredesk.journey.services import activity_sync_conversation, activity_sync_times

    pk = instance.pk
    if not created and update_fields is not None and set(update_fields) <= _TIMES_ONLY:
        agent_changed = "agent" in update_fields
        transaction.on_commit(lambda: activity_sync_times(instance, agent_changed=agent_changed))
        return
    if created:
        # A chat's start: the new instance is what was stored (its queue already loaded), and
        # it has no activity yet. Re-reading both took a third of the start's time.
        transaction.on_commit(lambda: activity_sync_conversation(instance, new=True))
        return
    transaction.on_commit(
        lambda: activity_sync_conversation(
            Conversation.objects.select_related("queue", "agent").get(pk=pk)
        )
    )
