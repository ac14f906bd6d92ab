"""Signals other apps listen to, sent after the transaction that made the change commits."""

from django.dispatch import Signal

# sender=Case, case=<Case>, actor=<User | None>: a case's status became "resolved".
case_resolved = Signal()
