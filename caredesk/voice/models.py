"""Telephony call events as received. A call itself is one journey Activity (media type
call, external_id = the telephony system's call id); these rows are what makes each
(call, event) count once, and keep what the telephony system sent."""

from django.db import models


class CallEventKind(models.TextChoices):
    RINGING = "ringing", "Ringing"
    ANSWERED = "answered", "Answered"
    ENDED = "ended", "Ended"


class CallEvent(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="call_events"
    )
    call_id = models.CharField(max_length=200)
    event = models.CharField(max_length=10, choices=CallEventKind.choices)
    activity = models.ForeignKey(
        "journey.Activity", on_delete=models.CASCADE, related_name="call_events"
    )
    caller = models.CharField(max_length=32)
    queue_name = models.CharField(max_length=100, blank=True)
    agent = models.ForeignKey(
        "workspaces.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When it happened by the telephony system's clock (`at`), else when it was received.
    at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            # A retried event is stored once: the database refuses the second row.
            models.UniqueConstraint(
                fields=["workspace", "call_id", "event"], name="call_event_once"
            )
        ]

    def __str__(self):
        return f"{self.call_id} {self.event}"
