"""The reply address of a case: customers answer to reply+<token>@CAREDESK_REPLY_DOMAIN, and the
token, not the case number, is what lets a message onto a case."""

import secrets

from django.db import models


def new_token() -> str:
    # Lower-case hex: mail systems may change the case of an address's local part.
    return secrets.token_hex(12)


class ReplyAddress(models.Model):
    case = models.OneToOneField("care.Case", on_delete=models.CASCADE, related_name="reply_address")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "reply addresses"

    def __str__(self):
        return self.token


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    # The last attempt failed (`last_error`); another is due at `next_attempt_at`, or none
    # when that is empty (the attempts ran out).
    FAILED = "failed", "Failed"


class OutboundEmail(models.Model):
    """A message to a customer, stored in the transaction that wrote it and sent after that
    transaction commits (caredesk.mail.services.outbound_attempt). Everything needed to send
    it is here, so the worker can send or retry it without the request that queued it."""

    case = models.ForeignKey(
        "care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.OneToOneField(
        "journey.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_email",
    )
    from_email = models.CharField(max_length=254)
    to = models.JSONField(default=list)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the next attempt may start: set on queueing (now), pushed ahead by each attempt's
    # claim (so a second sender keeps off while one is talking to the mail server) and by the
    # backoff after a failure; empty once sent or given up.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(next_attempt_at__isnull=False),
                name="outbound_email_due",
            )
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"
