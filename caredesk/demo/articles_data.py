"""The demo resource center's category tree and the shape of an article (the texts are in
articles_public.py and articles_internal.py).

An article is a dict:
- key: a stable name (idempotency, links from the demo's action plans);
- category: a key of CATEGORIES; tags: tag names; audience: public | internal;
  status: published | draft | archived; lang: the language it was first written in;
- texts: {language: (title, Markdown body)}, the original first;
- revisions: the original's later edits, oldest first, as (username, note, {now: before}):
  the text before an edit is the text after it with each `now` replaced by its `before`, so
  the version history holds what each editor actually changed;
- scenarios: which demo chat scenarios (caredesk.demo.texts LINES[...]["scenarios"] indexes:
  0 double charge, 1 late delivery, 2 refund after a return, 3 login, 4 cancel an order) it
  answers: it is suggested to and inserted by the agents in those chats;
- author: the username who wrote it; views: how popular it is on the help center (weight)."""

# key → (parent key, English name, names per language)
CATEGORIES = {
    "orders": (
        None,
        "Orders and delivery",
        {"pt-br": "Pedidos e entregas", "it": "Ordini e consegne", "bg": "Поръчки и доставка"},
    ),
    "delivery": ("orders", "Delivery", {"pt-br": "Entregas", "it": "Consegne", "bg": "Доставка"}),
    "pickup": (
        "orders",
        "Store pickup",
        {"pt-br": "Retirada na loja", "it": "Ritiro in negozio", "bg": "Вземане от магазин"},
    ),
    "returns": (
        None,
        "Returns and refunds",
        {
            "pt-br": "Devoluções e reembolsos",
            "it": "Resi e rimborsi",
            "bg": "Връщане и възстановяване",
        },
    ),
    "payments": (
        None,
        "Payments and invoices",
        {"pt-br": "Pagamentos e faturas", "it": "Pagamenti e fatture", "bg": "Плащания и фактури"},
    ),
    "account": (
        None,
        "Account and security",
        {"pt-br": "Conta e segurança", "it": "Account e sicurezza", "bg": "Профил и сигурност"},
    ),
    "warranty": (
        None,
        "Warranty and repairs",
        {"pt-br": "Garantia e reparos", "it": "Garanzia e riparazioni", "bg": "Гаранция и ремонт"},
    ),
    "handbook": (
        None,
        "Agent handbook",
        {"pt-br": "Manual do agente", "it": "Manuale dell'operatore", "bg": "Наръчник на агента"},
    ),
    "backoffice": (
        "handbook",
        "Back-office procedures",
        {
            "pt-br": "Procedimentos no back office",
            "it": "Procedure di back office",
            "bg": "Процедури в бек офиса",
        },
    ),
    "escalations": (
        "handbook",
        "Escalations",
        {"pt-br": "Escalonamentos", "it": "Escalation", "bg": "Ескалации"},
    ),
    "writing": (
        "handbook",
        "Writing to customers",
        {
            "pt-br": "Como escrever ao cliente",
            "it": "Scrivere ai clienti",
            "bg": "Писане до клиенти",
        },
    ),
}


def parent_of(key: str) -> str | None:
    return CATEGORIES[key][0]
