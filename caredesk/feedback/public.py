"""What the public survey page shows: the survey's texts in the customer's language.

The page's language is settled by caredesk.core.i18n.activate_for_customer (`?lang=`, what we
know of the customer, their browser, the workspace); the fixed texts come from the catalogues
and the survey's own texts from its SurveyTranslation in that language, else its defaults."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from caredesk.core.i18n import supported
from caredesk.customers.models import ContactEmail
from caredesk.feedback.models import Invitation, Survey, SurveyKind, SurveyTranslation


@dataclass
class PageTexts:
    language: str
    title: str
    intro: str
    thank_you: str
    questions: list[dict] = field(default_factory=list)


def known_languages(survey: Survey, invitation: Invitation | None) -> list[str]:
    """What we know of the customer's language, best first: the language their earlier
    answer used, then their customer record's (the invited case's customer, else whoever owns
    the invited email address)."""
    if invitation is None:
        return []
    known = []
    if invitation.response_id:
        known.append(invitation.response.language)
    case = invitation.case
    if case is not None and case.contact_id:
        known.append(case.contact.language)
    if invitation.email:
        row = (
            ContactEmail.objects.select_related("contact")
            .filter(organization_id=survey.workspace.organization_id, email=invitation.email)
            .first()
        )
        if row is not None:
            known.append(row.contact.language)
    return [code for code in known if code]


def translation_for(
    survey: Survey, translations: dict[str, SurveyTranslation], language: str
) -> SurveyTranslation | None:
    """The survey's translation into `language` (one of ours: "pt-br" also takes a "pt" or
    "pt-BR" translation); None when the defaults are in that language or nothing matches."""
    if supported(survey.default_language) == language:
        return None
    if language in translations:
        return translations[language]
    return next((t for code, t in translations.items() if supported(code) == language), None)


def page_texts(survey: Survey, language: str) -> PageTexts:
    translations = {t.language.lower(): t for t in SurveyTranslation.objects.filter(survey=survey)}
    tr = translation_for(survey, translations, language)
    labels = tr.labels if tr else {}
    questions = []
    for q in survey.questions.all():
        questions.append(
            {
                "key": q.key,
                "kind": q.kind,
                "label": labels.get(q.key) or q.label,
                "required": q.required,
                "options": [
                    {
                        "value": o["value"],
                        "label": labels.get(f"{q.key}.{o['value']}") or o["label"],
                    }
                    for o in q.options
                ],
                "scale": [str(n) for n in range(q.scale_min, q.scale_max + 1)],
            }
        )
    return PageTexts(
        language=language,
        title=(tr.title if tr and tr.title else survey.name),
        intro=(tr.intro if tr and tr.intro else survey.intro),
        thank_you=(tr.thank_you if tr and tr.thank_you else survey.thank_you),
        questions=questions,
    )


def score_texts(survey: Survey) -> dict:
    """The score question of an NPS or CSAT survey and the words at both ends of its scale,
    in the active language."""
    if survey.kind == SurveyKind.NPS:
        return {
            "question": _("How likely are you to recommend us to a friend or colleague?"),
            "low": _("Not at all likely"),
            "high": _("Extremely likely"),
        }
    return {
        "question": _("How satisfied are you?"),
        "low": _("Very unsatisfied"),
        "high": _("Very satisfied"),
    }
