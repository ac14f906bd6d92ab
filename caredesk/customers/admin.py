from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from caredesk.core.errors import FieldErrors
from caredesk.customers.models import Account, Contact, ContactEmail, ContactPhone
from caredesk.customers.services import normalize_email


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name"]
    list_select_related = ["organization"]


class ContactEmailFormSet(BaseInlineFormSet):
    """Normalizes e-mails and refuses one already used by another contact of the organization,
    as the service does, instead of failing on the unique constraint at save time."""

    def clean(self):
        super().clean()
        org_id = self.instance.organization_id
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            try:
                email = normalize_email(form.cleaned_data.get("email", ""))
            except FieldErrors as e:
                form.add_error("email", e.errors["email"])
                continue
            form.cleaned_data["email"] = form.instance.email = email
            taken = ContactEmail.objects.filter(organization_id=org_id, email=email)
            if self.instance.pk:
                taken = taken.exclude(contact=self.instance)
            if org_id and taken.exists():
                form.add_error("email", "Already used by another contact of this organization.")


class ContactEmailInline(admin.TabularInline):
    model = ContactEmail
    formset = ContactEmailFormSet
    fields = ["email"]
    extra = 0


class ContactPhoneInline(admin.TabularInline):
    model = ContactPhone
    fields = ["phone"]
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["__str__", "account", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "emails__email", "phones__phone"]
    raw_id_fields = ["account"]
    list_select_related = ["organization", "account"]
    inlines = [ContactEmailInline, ContactPhoneInline]

    def save_formset(self, request, form, formset, change):
        # The e-mail and phone rows carry the contact's organization.
        for obj in formset.save(commit=False):
            obj.organization_id = form.instance.organization_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
