from django.contrib import admin

from caredesk.customers.models import Account, Contact, ContactEmail, ContactPhone


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name"]
    list_select_related = ["organization"]


class ContactEmailInline(admin.TabularInline):
    model = ContactEmail
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
