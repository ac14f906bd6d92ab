"""What the public survey page shows: the survey's texts in the customer's language."""

from dataclasses import dataclass, field

from django.utils.translation.trans_real import parse_accept_lang_header

from caredesk.feedback.models import Survey, SurveyKind, SurveyTranslation

# The fixed texts of NPS/CSAT pages, in the languages the demo and the tests use; a language
# missing here falls back to English for these (the survey's own texts are translated).
UI_TEXTS = {
    "en": {
        "nps": "How likely are you to recommend us to a friend or colleague?",
        "nps_low": "Not at all likely",
        "nps_high": "Extremely likely",
        "csat": "How satisfied are you?",
        "csat_low": "Very unsatisfied",
        "csat_high": "Very satisfied",
        "comment": "Tell us why (optional)",
        "email": "Your email, if you want us to get back to you (optional)",
        "send": "Send",
        "thanks": "Thank you!",
        "received": "Your answer has been received.",
        "answered": "This survey was already answered. Thank you!",
        "required": "required",
        "busy_title": "Please try again later",
        "busy": (
            "We received many answers from your connection in a short time. "
            "Please wait a minute and send yours again."
        ),
    },
    "pt": {
        "nps": "Qual a probabilidade de nos recomendar a um amigo ou colega?",
        "nps_low": "Nada provável",
        "nps_high": "Extremamente provável",
        "csat": "Quão satisfeito está?",
        "csat_low": "Muito insatisfeito",
        "csat_high": "Muito satisfeito",
        "comment": "Diga-nos porquê (opcional)",
        "email": "O seu email, se quiser que o contactemos (opcional)",
        "send": "Enviar",
        "thanks": "Obrigado!",
        "received": "A sua resposta foi recebida.",
        "answered": "Este inquérito já foi respondido. Obrigado!",
        "required": "obrigatório",
        "busy_title": "Tente novamente mais tarde",
        "busy": (
            "Recebemos muitas respostas da sua ligação em pouco tempo. "
            "Aguarde um minuto e envie a sua novamente."
        ),
    },
    "it": {
        "nps": "Quanto è probabile che ci raccomandi a un amico o collega?",
        "nps_low": "Per niente probabile",
        "nps_high": "Estremamente probabile",
        "csat": "Quanto è soddisfatto?",
        "csat_low": "Molto insoddisfatto",
        "csat_high": "Molto soddisfatto",
        "comment": "Ci dica perché (facoltativo)",
        "email": "La sua email, se vuole essere ricontattato (facoltativo)",
        "send": "Invia",
        "thanks": "Grazie!",
        "received": "La sua risposta è stata ricevuta.",
        "answered": "Questo sondaggio ha già una risposta. Grazie!",
        "required": "obbligatorio",
        "busy_title": "Riprovi più tardi",
        "busy": (
            "Abbiamo ricevuto molte risposte dalla sua connessione in poco tempo. "
            "Attenda un minuto e invii di nuovo la sua."
        ),
    },
    "bg": {
        "nps": "Колко вероятно е да ни препоръчате на приятел или колега?",
        "nps_low": "Изобщо не е вероятно",
        "nps_high": "Много вероятно",
        "csat": "Колко сте доволни?",
        "csat_low": "Много недоволен",
        "csat_high": "Много доволен",
        "comment": "Кажете ни защо (по желание)",
        "email": "Вашият имейл, ако искате да се свържем с вас (по желание)",
        "send": "Изпрати",
        "thanks": "Благодарим!",
        "received": "Отговорът ви е получен.",
        "answered": "Тази анкета вече е попълнена. Благодарим!",
        "required": "задължително",
        "busy_title": "Моля, опитайте по-късно",
        "busy": (
            "Получихме много отговори от вашата връзка за кратко време. "
            "Моля, изчакайте минута и изпратете своя отново."
        ),
    },
}


@dataclass
class PageTexts:
    language: str
    title: str
    intro: str
    thank_you: str
    ui: dict
    questions: list[dict] = field(default_factory=list)


def _primary(code: str) -> str:
    return code.split("-")[0]


def pick_language(survey: Survey, available: list[str], query: str, accept: str) -> str:
    """?lang= first, then Accept-Language in its order of preference, then the default; a
    regional code (pt-BR) also matches its language (pt)."""
    candidates = [query.strip().lower()] if query else []
    candidates += [lang.lower() for lang, _q in parse_accept_lang_header(accept or "")]
    for code in candidates:
        if not code or code == "*":
            continue
        if code in available:
            return code
        if _primary(code) in available:
            return _primary(code)
    return survey.default_language


def page_texts(survey: Survey, query_lang: str = "", accept: str = "") -> PageTexts:
    translations = {t.language: t for t in SurveyTranslation.objects.filter(survey=survey)}
    available = [survey.default_language, *translations]
    language = pick_language(survey, available, query_lang, accept)
    tr = translations.get(language)
    labels = tr.labels if tr else {}
    ui = {**UI_TEXTS["en"], **UI_TEXTS.get(_primary(language), {})}
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
        ui=ui,
        questions=questions,
    )


def score_texts(survey: Survey, ui: dict) -> dict:
    if survey.kind == SurveyKind.NPS:
        return {"question": ui["nps"], "low": ui["nps_low"], "high": ui["nps_high"]}
    return {"question": ui["csat"], "low": ui["csat_low"], "high": ui["csat_high"]}
