"""Signals other apps listen to, sent inside the transaction that makes the change: what a
receiver writes commits with it or not at all. Work a receiver must do after the commit (an
email, a call out) is stored as a row the worker carries out (an outbox), never left to an
on_commit callback that a crash right after the commit would skip."""

from django.dispatch import Signal

# sender=Case, case=<Case>, actor=<User | None>: a case's status became "resolved".
case_resolved = Signal()
