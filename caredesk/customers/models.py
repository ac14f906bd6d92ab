from django.db import models

from caredesk.core.i18n import LANGUAGE_CHOICES
from caredesk.workspaces.models import Organization


class Account(models.Model):
    """A company the contacts belong to."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="accounts"
    )
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self):
        return self.name


class Contact(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    name = models.CharField(max_length=200, blank=True)
    # The language the customer is written to in (surveys, chat, emails); blank when unknown.
    language = models.CharField(max_length=10, blank=True, default="", choices=LANGUAGE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self):
        return self.name or self.primary_email or f"Contact {self.pk}"

    @property
    def primary_email(self) -> str:
        emails = list(self.emails.all())
        return emails[0].email if emails else ""


class ContactEmail(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    # Stored lower-cased so that lookups are exact and indexed.
    email = models.CharField(max_length=254)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"], name="email_once_per_org")
        ]

    def __str__(self):
        return self.email


class ContactPhone(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    # Digits with an optional leading "+", so "+351 912-345-678" and "+351912345678" match.
    phone = models.CharField(max_length=32)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["organization", "phone"])]

    def __str__(self):
        return self.phone
