"""Settings → Chat widget (manage_care): on/off, title and greeting (with their texts per
language), the pre-chat form's fields, the snippet that embeds the widget and a demo page to
try it. Forms parse; caredesk.webchat.services checks and writes, and its FieldErrors are
shown next to the fields with nothing saved."""

from django import forms
from django.contrib import messages
from django.forms import formset_factory
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.core.i18n import LANGUAGE_CHOICES
from caredesk.webchat import selectors, services
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.views import settings_sections
from caredesk.workspaces.web import render_ws, workspace_view

SECTION = "chat_widget"


def _suffix(lang: str) -> str:
    return lang.replace("-", "_")


TYPE_CHOICES = [
    ("text", gettext_lazy("Text")),
    ("email", gettext_lazy("Email address")),
    ("select", gettext_lazy("List of options")),
]


class WidgetForm(forms.Form):
    enabled = forms.BooleanField(required=False, label=gettext_lazy("Show the chat widget"))
    title = forms.CharField(max_length=services.MAX_TITLE, label=gettext_lazy("Title"))
    greeting = forms.CharField(
        max_length=services.MAX_GREETING,
        required=False,
        label=gettext_lazy("Greeting"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for lang, name in LANGUAGE_CHOICES:
            s = _suffix(lang)
            self.fields[f"title_{s}"] = forms.CharField(
                max_length=services.MAX_TITLE,
                required=False,
                label=_("Title in %(language)s") % {"language": name},
            )
            self.fields[f"greeting_{s}"] = forms.CharField(
                max_length=services.MAX_GREETING,
                required=False,
                label=_("Greeting in %(language)s") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def languages(self):
        return [
            (name, self[f"title_{_suffix(lang)}"], self[f"greeting_{_suffix(lang)}"])
            for lang, name in LANGUAGE_CHOICES
        ]

    def texts(self) -> dict:
        data = self.cleaned_data
        return {
            lang: {
                "title": data[f"title_{_suffix(lang)}"],
                "greeting": data[f"greeting_{_suffix(lang)}"],
            }
            for lang, _name in LANGUAGE_CHOICES
        }

    def show(self, exc: FieldErrors) -> None:
        # texts.it.title → title_it; anything else of the widget under its own field.
        for key, message in exc.errors.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "texts":
                name = f"{parts[2]}_{_suffix(parts[1])}"
            else:
                name = key
            if key != "pre_chat_fields":
                self.add_error(name if name in self.fields else None, message)


class FieldForm(forms.Form):
    """One field of the pre-chat form; a row with neither key nor label is left out."""

    key = forms.CharField(
        max_length=40,
        required=False,
        label=gettext_lazy("Key"),
        help_text=gettext_lazy("Lower-case letters, digits and _; “topic” routes to a queue."),
    )
    label = forms.CharField(
        max_length=services.MAX_LABEL, required=False, label=gettext_lazy("Label")
    )
    type = forms.ChoiceField(choices=TYPE_CHOICES, initial="text", label=gettext_lazy("Type"))
    required = forms.BooleanField(required=False, label=gettext_lazy("Required"))
    options = forms.CharField(
        required=False,
        label=gettext_lazy("Options"),
        help_text=gettext_lazy("One per line; a “topic” list without options offers the queues."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for lang, name in LANGUAGE_CHOICES:
            self.fields[f"label_{_suffix(lang)}"] = forms.CharField(
                max_length=services.MAX_LABEL,
                required=False,
                label=_("Label in %(language)s") % {"language": name},
            )

    def label_fields(self):
        return [self[f"label_{_suffix(lang)}"] for lang, _name in LANGUAGE_CHOICES]

    def value(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("DELETE"):
            return None
        if not data["key"].strip() and not data["label"].strip():
            return None
        field = {
            "key": data["key"].strip(),
            "label": data["label"],
            "labels": {
                lang: data[f"label_{_suffix(lang)}"]
                for lang, _name in LANGUAGE_CHOICES
                if data[f"label_{_suffix(lang)}"].strip()
            },
            "type": data["type"],
            "required": data["required"],
        }
        if data["type"] == "select":
            field["options"] = [o.strip() for o in data["options"].splitlines() if o.strip()]
        return field


FieldFormSet = formset_factory(FieldForm, extra=1, can_delete=True, max_num=services.MAX_FIELDS)


def _initial(settings) -> tuple[dict, list[dict]]:
    widget = {"enabled": settings.enabled, "title": settings.title, "greeting": settings.greeting}
    for lang, _name in LANGUAGE_CHOICES:
        own = settings.texts.get(lang, {})
        widget[f"title_{_suffix(lang)}"] = own.get("title", "")
        widget[f"greeting_{_suffix(lang)}"] = own.get("greeting", "")
    fields = []
    for f in settings.pre_chat_fields:
        row = {
            "key": f["key"],
            "label": f["label"],
            "type": f["type"],
            "required": f["required"],
            "options": "\n".join(f.get("options") or []),
        }
        for lang, _name in LANGUAGE_CHOICES:
            row[f"label_{_suffix(lang)}"] = (f.get("labels") or {}).get(lang, "")
        fields.append(row)
    return widget, fields


def _page(request, access, form, formset, *, fields_error: str = "", status: int = 200):
    key = selectors.chat_key(access.workspace)
    script = request.build_absolute_uri(static("caredesk/widget.js"))
    context = {
        "sections": settings_sections(access, SECTION),
        "form": form,
        "formset": formset,
        "fields_error": fields_error,
        "chat_key": key,
        "snippet": f'<script src="{script}" data-workspace="{key}" async></script>',
        "snippet_lang": (
            f'<script src="{script}" data-workspace="{key}" data-lang="it" async></script>'
        ),
        "demo_url": reverse("chat_widget_demo", args=[key]),
        "page_url": request.build_absolute_uri(reverse("chat_page", args=[key])),
        "languages": LANGUAGE_CHOICES,
    }
    return render_ws(
        request, access, "webchat/settings.html", context, active="settings", status=status
    )


@workspace_view(Perm.MANAGE_CARE)
def settings_chat_widget(request, access):
    settings = selectors.widget_settings(access.workspace)
    if request.method != "POST":
        widget, fields = _initial(settings)
        return _page(
            request, access, WidgetForm(initial=widget), FieldFormSet(initial=fields, prefix="f")
        )

    form = WidgetForm(request.POST)
    formset = FieldFormSet(request.POST, prefix="f")
    fields_error = ""
    if form.is_valid() and formset.is_valid():
        try:
            services.widget_settings_set(
                workspace=access.workspace,
                enabled=form.cleaned_data["enabled"],
                title=form.cleaned_data["title"],
                greeting=form.cleaned_data["greeting"],
                texts=form.texts(),
                pre_chat_fields=[v for v in (f.value() for f in formset.forms) if v is not None],
            )
        except FieldErrors as exc:
            form.show(exc)
            fields_error = exc.errors.get("pre_chat_fields", "")
        else:
            messages.success(request, _("Chat widget saved."))
            return redirect("settings_chat_widget", access.workspace.slug)
    elif not formset.is_valid():
        fields_error = _("Check the fields of the pre-chat form below.")
    return _page(request, access, form, formset, fields_error=fields_error, status=INVALID)
