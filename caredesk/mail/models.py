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
