from django import forms
from django.contrib import admin

from caredesk.core.errors import FieldErrors
from caredesk.webchat.models import WidgetSettings
from caredesk.webchat.services import fields_clean, texts_clean


class WidgetSettingsForm(forms.ModelForm):
    class Meta:
        model = WidgetSettings
        fields = ("workspace", "enabled", "title", "greeting", "texts", "pre_chat_fields")

    def clean_pre_chat_fields(self):
        # The same checks as services.widget_settings_set, so the widget never gets a bad form.
        try:
            return fields_clean(self.cleaned_data["pre_chat_fields"])
        except FieldErrors as exc:
            raise forms.ValidationError(exc.errors["pre_chat_fields"]) from exc

    def clean_texts(self):
        try:
            return texts_clean(self.cleaned_data["texts"])
        except FieldErrors as exc:
            raise forms.ValidationError(next(iter(exc.errors.values()))) from exc


@admin.register(WidgetSettings)
class WidgetSettingsAdmin(admin.ModelAdmin):
    form = WidgetSettingsForm
    list_display = ("workspace", "enabled", "title")
    list_select_related = ("workspace",)
