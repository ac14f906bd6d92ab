"""The demo workspaces' topic taxonomy and business hours (part of `caredesk seed-demo`).

The phrases are words the demo's texts use (caredesk.demo.texts, caredesk.demo.voices), in
the analysis' language codes (en, pt, it, bg). Both functions leave what is already there
alone, so every run of seed-demo may call them."""

import datetime as dt

from caredesk.analysis.models import Topic
from caredesk.insights.models import BusinessHours, Holiday

# name → (names per language, phrases per language, children in the same shape)
TOPICS = {
    "Billing": (
        {"pt": "Cobrança", "it": "Fatturazione", "bg": "Плащания"},
        {
            "en": ["charged", "charge", "invoice"],
            "pt": ["cobrado", "cobrança", "fatura"],
            "it": ["addebitato", "addebito", "fattura"],
            "bg": ["таксуваха", "плащане", "фактура"],
        },
        {
            "Double charge": (
                {"pt": "Cobrança em dobro", "it": "Doppio addebito", "bg": "Двойно плащане"},
                {
                    "en": ["charged twice", "double charge"],
                    "pt": ["cobrado duas vezes", "cobrança em dobro"],
                    "it": ["addebitato due volte", "doppio addebito"],
                    "bg": ["два пъти", "двойното плащане"],
                },
                {},
            ),
        },
    ),
    "Delivery": (
        {"pt": "Entrega", "it": "Consegna", "bg": "Доставка"},
        {
            "en": ["delivery", "parcel", "carrier"],
            "pt": ["entrega", "pacote", "transportadora"],
            "it": ["consegna", "pacco", "corriere"],
            "bg": ["доставка", "пратка", "куриер"],
        },
        {
            "Late delivery": (
                {"pt": "Entrega atrasada", "it": "Consegna in ritardo", "bg": "Закъсняла доставка"},
                {
                    "en": ["late", "days late"],
                    "pt": ["atrasada", "atraso"],
                    "it": ["in ritardo", "ritardo"],
                    "bg": ["закъснява", "закъсня"],
                },
                {},
            ),
            "Damaged item": (
                {"pt": "Produto danificado", "it": "Articolo danneggiato", "bg": "Повредена стока"},
                {
                    "en": ["damaged", "broke"],
                    "pt": ["danificado", "quebrou"],
                    "it": ["danneggiato", "rotto"],
                    "bg": ["повредена", "счупи"],
                },
                {},
            ),
        },
    ),
    "Refunds and returns": (
        {"pt": "Reembolsos e devoluções", "it": "Rimborsi e resi", "bg": "Възстановявания"},
        {
            "en": ["refund", "refunded", "returned"],
            "pt": ["reembolso", "devolução", "estornei"],
            "it": ["rimborso", "reso", "rimborsato"],
            "bg": ["възстановяване", "възстановяването", "върнах"],
        },
        {},
    ),
    "Account": (
        {"pt": "Conta", "it": "Account", "bg": "Профил"},
        {
            "en": ["account", "password"],
            "pt": ["conta", "senha"],
            "it": ["account", "password"],
            "bg": ["профил", "профила", "парола"],
        },
        {
            "Login problems": (
                {"pt": "Problemas de login", "it": "Problemi di accesso", "bg": "Проблеми с входа"},
                {
                    "en": ["log in", "login", "logging me out"],
                    "pt": ["entrar", "login", "desconectando"],
                    "it": ["accedere", "accesso", "disconnettermi"],
                    "bg": ["вляза", "входа", "изхвърля"],
                },
                {},
            ),
        },
    ),
    "Cancellation": (
        {"pt": "Cancelamento", "it": "Disdetta", "bg": "Отказ"},
        {
            "en": ["cancel", "cancelled", "cancellation"],
            "pt": ["cancelar", "cancelado", "cancelamento"],
            "it": ["disdire", "disdico", "annullare", "annullamento"],
            "bg": ["откажа", "отказа", "отказана", "закрийте"],
        },
        {},
    ),
    "Store experience": (
        {"pt": "Experiência na loja", "it": "Esperienza in negozio", "bg": "Магазинът"},
        {
            "en": ["store", "queue", "staff"],
            "pt": ["loja", "fila", "funcionários"],
            "it": ["negozio", "coda", "personale"],
            "bg": ["магазина", "опашка", "опашката", "персонал", "персоналът"],
        },
        {},
    ),
    "Product quality": (
        {"pt": "Qualidade do produto", "it": "Qualità del prodotto", "bg": "Качество"},
        {
            "en": ["quality"],
            "pt": ["qualidade"],
            "it": ["qualità"],
            "bg": ["качество"],
        },
        {},
    ),
    "Reaching us": (
        {"pt": "Contato e espera", "it": "Contatto e attesa", "bg": "Връзка и чакане"},
        {
            "en": ["on hold", "nobody answers", "waiting"],
            "pt": ["ninguém atende", "espera", "esperando"],
            "it": ["nessuno risponde", "attesa", "aspetto"],
            "bg": ["никой не отговаря", "чакане", "чакам"],
        },
        {},
    ),
    "Prices and vouchers": (
        {"pt": "Preços e vales", "it": "Prezzi e buoni", "bg": "Цени и ваучери"},
        {
            "en": ["price", "expensive", "voucher"],
            "pt": ["preço", "caro", "vale"],
            "it": ["prezzo", "caro", "buono"],
            "bg": ["цена", "скъпо", "ваучер"],
        },
        {},
    ),
    "Praise": (
        {"pt": "Elogios", "it": "Complimenti", "bg": "Похвали"},
        {
            "en": ["helpful", "friendly", "thank you so much"],
            "pt": ["atencioso", "simpáticos", "muito obrigado"],
            "it": ["gentile", "disponibile", "grazie mille"],
            "bg": ["любезен", "отзивчив", "много благодаря"],
        },
        {},
    ),
}

# Monday to Friday 09:00–18:00; the weekend closed.
WEEK = {**{str(d): [["09:00", "18:00"]] for d in range(5)}, "5": [], "6": []}
HOLIDAYS = [(1, 1, "New Year's Day"), (11, 1, "All Saints' Day"), (12, 25, "Christmas Day")]


def seed_topics(workspace) -> int:
    """The demo taxonomy, where the workspace has no topic yet; returns how many it made."""
    if Topic.objects.filter(workspace=workspace).exists():
        return 0
    made = 0

    def make(name, spec, parent=None):
        nonlocal made
        names, phrases, children = spec
        topic = Topic.objects.create(
            workspace=workspace, parent=parent, name=name, names=names, phrases=phrases
        )
        made += 1
        for child, child_spec in children.items():
            make(child, child_spec, topic)

    for name, spec in TOPICS.items():
        make(name, spec)
    return made


def seed_business_hours(workspace, today: dt.date) -> None:
    """Office hours and the holidays of last year, this year and next, where none are set."""
    BusinessHours.objects.get_or_create(workspace=workspace, defaults={"week": WEEK})
    if Holiday.objects.filter(workspace=workspace).exists():
        return
    Holiday.objects.bulk_create(
        Holiday(workspace=workspace, date=dt.date(year, month, day), name=name)
        for year in (today.year - 1, today.year, today.year + 1)
        for month, day, name in HOLIDAYS
    )
