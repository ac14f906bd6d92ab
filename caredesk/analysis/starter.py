"""A starter taxonomy for a contact center: 10 topics with 20 subtopics, named and phrased in
the four languages. Seed data for a new workspace or the demo, and the benchmark's taxonomy;
a workspace edits its own copy (analysis.models.Topic)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _t(name: str, names: dict, phrases: dict, children: tuple = ()) -> dict[str, Any]:
    return {"name": name, "names": names, "phrases": phrases, "children": list(children)}


STARTER_TOPICS: list[dict[str, Any]] = [
    _t(
        "Delivery",
        {"pt": "Entrega", "it": "Consegna", "bg": "Доставка"},
        {
            "en": ["delivery", "shipping", "parcel", "package", "courier"],
            "pt": ["entrega", "encomenda", "frete", "transportadora", "entregador"],
            "it": ["consegna", "spedizione", "pacco", "corriere"],
            "bg": ["доставка", "пратка", "куриер", "колет"],
        },
        (
            _t(
                "Late delivery",
                {
                    "pt": "Atraso na entrega",
                    "it": "Consegna in ritardo",
                    "bg": "Закъсняла доставка",
                },
                {
                    "en": ["late delivery", "still not arrived", "never arrived", "delayed"],
                    "pt": ["atraso", "atrasado", "não chegou", "ainda não chegou"],
                    "it": ["ritardo", "non è arrivato", "non è ancora arrivato"],
                    "bg": ["закъснение", "закъсня", "не е пристигнала", "не пристигна"],
                },
            ),
            _t(
                "Damaged item",
                {"pt": "Produto danificado", "it": "Prodotto danneggiato", "bg": "Повредена стока"},
                {
                    "en": ["damaged", "arrived broken", "crushed box"],
                    "pt": ["danificado", "amassado", "chegou quebrado"],
                    "it": ["danneggiato", "arrivato rotto", "ammaccato"],
                    "bg": ["повреден", "смачкан", "пристигна счупен"],
                },
            ),
            _t(
                "Tracking",
                {"pt": "Rastreamento", "it": "Tracciamento", "bg": "Проследяване"},
                {
                    "en": ["tracking", "track my order", "tracking number"],
                    "pt": ["rastreio", "rastreamento", "código de rastreio"],
                    "it": ["tracciamento", "tracking", "numero di tracciamento"],
                    "bg": ["проследяване", "номер за проследяване"],
                },
            ),
        ),
    ),
    _t(
        "Billing",
        {"pt": "Cobrança", "it": "Fatturazione", "bg": "Плащания и сметки"},
        {
            "en": ["bill", "invoice", "charge", "payment"],
            "pt": ["fatura", "cobrança", "boleto", "pagamento"],
            "it": ["fattura", "bolletta", "addebito", "pagamento"],
            "bg": ["сметка", "фактура", "плащане", "такса"],
        },
        (
            _t(
                "Double charge",
                {"pt": "Cobrança duplicada", "it": "Doppio addebito", "bg": "Двойно таксуване"},
                {
                    "en": ["charged twice", "double charge", "double charged"],
                    "pt": ["cobrado duas vezes", "cobrança duplicada", "cobrança em dobro"],
                    "it": ["addebitato due volte", "doppio addebito"],
                    "bg": ["таксуван два пъти", "двойно таксуване"],
                },
            ),
            _t(
                "Refund",
                {"pt": "Reembolso", "it": "Rimborso", "bg": "Възстановяване на сума"},
                {
                    "en": ["refund", "money back", "reimbursement"],
                    "pt": ["reembolso", "estorno", "dinheiro de volta"],
                    "it": ["rimborso", "rivoglio i miei soldi", "soldi indietro"],
                    "bg": ["възстановяване на сума", "парите обратно", "връщане на пари"],
                },
            ),
            _t(
                "Price increase",
                {"pt": "Aumento de preço", "it": "Aumento di prezzo", "bg": "Поскъпване"},
                {
                    "en": ["price increase", "price went up", "more expensive"],
                    "pt": ["aumento", "preço subiu", "mais caro"],
                    "it": ["aumento", "prezzo è aumentato", "più caro"],
                    "bg": ["поскъпване", "по-скъпо", "вдигнахте цената"],
                },
            ),
        ),
    ),
    _t(
        "Cancellation",
        {"pt": "Cancelamento", "it": "Disdetta", "bg": "Прекратяване"},
        {
            "en": ["cancel", "cancellation", "terminate", "unsubscribe"],
            "pt": ["cancelar", "cancelamento", "rescisão"],
            "it": ["disdire", "disdetta", "recesso", "cancellare"],
            "bg": ["прекратяване", "прекратя", "откажа абонамента"],
        },
        (
            _t(
                "Cancellation fee",
                {"pt": "Multa de cancelamento", "it": "Penale", "bg": "Неустойка"},
                {
                    "en": ["cancellation fee", "early termination fee"],
                    "pt": ["multa de cancelamento", "multa rescisória"],
                    "it": ["penale", "costi di disattivazione"],
                    "bg": ["неустойка", "такса за прекратяване"],
                },
            ),
            _t(
                "Switching provider",
                {"pt": "Troca de operadora", "it": "Cambio operatore", "bg": "Смяна на оператор"},
                {
                    "en": ["another provider", "switch provider", "competitor"],
                    "pt": ["outra operadora", "concorrente", "mudar de operadora"],
                    "it": ["altro operatore", "concorrenza", "cambiare gestore"],
                    "bg": ["друг оператор", "конкуренцията", "сменя оператора"],
                },
            ),
        ),
    ),
    _t(
        "Account access",
        {"pt": "Acesso à conta", "it": "Accesso all'account", "bg": "Достъп до профила"},
        {
            "en": ["log in", "login", "account", "password"],
            "pt": ["login", "senha", "acessar a conta", "entrar na conta"],
            "it": ["accesso", "password", "accedere"],
            "bg": ["вход", "парола", "профил"],
        },
        (
            _t(
                "Password reset",
                {"pt": "Redefinir senha", "it": "Reimpostare password", "bg": "Нова парола"},
                {
                    "en": ["reset password", "forgot password", "reset link"],
                    "pt": ["redefinir senha", "esqueci a senha", "link de recuperação"],
                    "it": ["reimpostare la password", "password dimenticata"],
                    "bg": ["нова парола", "забравена парола", "смяна на парола"],
                },
            ),
            _t(
                "Blocked account",
                {"pt": "Conta bloqueada", "it": "Account bloccato", "bg": "Блокиран профил"},
                {
                    "en": ["account blocked", "account locked", "suspended"],
                    "pt": ["conta bloqueada", "bloqueado", "suspensa"],
                    "it": ["account bloccato", "conto bloccato", "sospeso"],
                    "bg": ["блокиран", "блокирана сметка", "спрян профил"],
                },
            ),
        ),
    ),
    _t(
        "Product quality",
        {"pt": "Qualidade do produto", "it": "Qualità del prodotto", "bg": "Качество на продукта"},
        {
            "en": ["quality", "defective", "faulty", "stopped working"],
            "pt": ["qualidade", "defeito", "parou de funcionar"],
            "it": ["qualità", "difettoso", "smesso di funzionare"],
            "bg": ["качество", "дефект", "спря да работи"],
        },
        (
            _t(
                "Broken product",
                {"pt": "Produto quebrado", "it": "Prodotto rotto", "bg": "Счупен продукт"},
                {
                    "en": ["broken", "broke", "cracked"],
                    "pt": ["quebrado", "quebrou", "rachado"],
                    "it": ["rotto", "si è rotto", "crepato"],
                    "bg": ["счупен", "счупи", "пукнат"],
                },
            ),
            _t(
                "Wrong item",
                {"pt": "Produto errado", "it": "Articolo sbagliato", "bg": "Грешен артикул"},
                {
                    "en": ["wrong item", "wrong size", "wrong colour", "wrong color"],
                    "pt": ["produto errado", "tamanho errado", "cor errada"],
                    "it": ["articolo sbagliato", "taglia sbagliata", "colore sbagliato"],
                    "bg": ["грешен артикул", "грешен размер", "грешен цвят"],
                },
            ),
        ),
    ),
    _t(
        "Returns",
        {"pt": "Devoluções", "it": "Resi", "bg": "Връщане на стока"},
        {
            "en": ["return", "send it back", "return label"],
            "pt": ["devolução", "devolver", "troca"],
            "it": ["reso", "restituire", "etichetta di reso"],
            "bg": ["връщане", "върна", "етикет за връщане"],
        },
        (
            _t(
                "Replacement",
                {"pt": "Substituição", "it": "Sostituzione", "bg": "Замяна"},
                {
                    "en": ["replacement", "exchange"],
                    "pt": ["substituição", "trocar o produto"],
                    "it": ["sostituzione", "prodotto sostitutivo"],
                    "bg": ["замяна", "заместващ продукт"],
                },
            ),
        ),
    ),
    _t(
        "Technical issue",
        {"pt": "Problema técnico", "it": "Problema tecnico", "bg": "Технически проблем"},
        {
            "en": ["error", "bug", "not working", "crash"],
            "pt": ["erro", "bug", "não funciona", "travando"],
            "it": ["errore", "bug", "non funziona", "si blocca"],
            "bg": ["грешка", "бъг", "не работи", "срива"],
        },
        (
            _t(
                "App",
                {"pt": "Aplicativo", "it": "App", "bg": "Приложение"},
                {
                    "en": ["app", "application", "update"],
                    "pt": ["aplicativo", "app", "atualização"],
                    "it": ["app", "applicazione", "aggiornamento"],
                    "bg": ["приложение", "приложението", "обновяване"],
                },
            ),
            _t(
                "Connection",
                {"pt": "Conexão", "it": "Connessione", "bg": "Връзка"},
                {
                    "en": ["connection", "internet", "wifi", "signal", "router"],
                    "pt": ["conexão", "internet", "sinal", "roteador"],
                    "it": ["connessione", "internet", "segnale", "modem"],
                    "bg": ["връзка", "интернет", "сигнал", "рутер"],
                },
            ),
        ),
    ),
    _t(
        "Customer service",
        {"pt": "Atendimento", "it": "Assistenza clienti", "bg": "Обслужване"},
        {
            "en": ["customer service", "support", "agent", "staff"],
            "pt": ["atendimento", "atendente", "suporte", "funcionário"],
            "it": ["assistenza", "operatore", "servizio clienti", "personale"],
            "bg": ["обслужване", "служител", "поддръжка", "персонал"],
        },
        (
            _t(
                "Waiting time",
                {"pt": "Tempo de espera", "it": "Tempo di attesa", "bg": "Време за изчакване"},
                {
                    "en": ["on hold", "waiting", "queue", "no answer"],
                    "pt": ["esperando", "na linha", "fila", "sem resposta"],
                    "it": ["in attesa", "attesa", "coda", "nessuna risposta"],
                    "bg": ["чакам", "на линията", "опашка", "без отговор"],
                },
            ),
            _t(
                "Rude staff",
                {"pt": "Falta de educação", "it": "Scortesia", "bg": "Грубо отношение"},
                {
                    "en": ["rude", "impolite", "hung up"],
                    "pt": ["grosseiro", "mal educado", "desligou na minha cara"],
                    "it": ["maleducato", "scortese", "chiuso il telefono"],
                    "bg": ["груб", "невъзпитан", "затвори телефона"],
                },
            ),
            _t(
                "Praise",
                {"pt": "Elogio", "it": "Complimenti", "bg": "Похвала"},
                {
                    "en": ["thank you", "great service", "very helpful"],
                    "pt": ["obrigado", "ótimo atendimento", "muito prestativo"],
                    "it": ["grazie", "ottimo servizio", "molto disponibile"],
                    "bg": ["благодаря", "страхотно обслужване", "много отзивчив"],
                },
            ),
        ),
    ),
    _t(
        "Plans and offers",
        {"pt": "Planos e ofertas", "it": "Piani e offerte", "bg": "Планове и оферти"},
        {
            "en": ["plan", "upgrade", "offer", "subscription"],
            "pt": ["plano", "assinatura", "oferta", "upgrade"],
            "it": ["piano", "abbonamento", "offerta", "tariffa"],
            "bg": ["план", "абонамент", "оферта", "тарифа"],
        },
        (
            _t(
                "Discounts",
                {"pt": "Descontos", "it": "Sconti", "bg": "Отстъпки"},
                {
                    "en": ["discount", "voucher", "promo code", "coupon"],
                    "pt": ["desconto", "cupom", "vale", "promoção"],
                    "it": ["sconto", "codice sconto", "buono", "promozione"],
                    "bg": ["отстъпка", "ваучер", "код за отстъпка", "промоция"],
                },
            ),
        ),
    ),
    _t(
        "Personal data",
        {"pt": "Dados pessoais", "it": "Dati personali", "bg": "Лични данни"},
        {
            "en": ["personal data", "change my address", "update my details", "privacy"],
            "pt": ["dados pessoais", "alterar o endereço", "atualizar cadastro", "privacidade"],
            "it": ["dati personali", "cambiare indirizzo", "privacy"],
            "bg": ["лични данни", "смяна на адрес", "поверителност"],
        },
        (
            _t(
                "Fraud",
                {"pt": "Fraude", "it": "Frode", "bg": "Измама"},
                {
                    "en": ["fraud", "didn't make", "unauthorised payment", "scam"],
                    "pt": ["fraude", "não fiz", "golpe", "clonado"],
                    "it": ["frode", "truffa", "non ho fatto io"],
                    "bg": ["измама", "не съм правил", "неразрешено плащане"],
                },
            ),
        ),
    ),
]


@dataclass(frozen=True)
class StarterTopic:
    """A flattened starter topic with made-up ids (for the engine outside a database)."""

    id: int
    parent_id: int | None
    name: str
    names: dict
    phrases: dict
    is_active: bool = True


def starter_topics() -> list[StarterTopic]:
    """The starter taxonomy as topic-like objects, parents before children."""
    flat: list[StarterTopic] = []

    def walk(items, parent_id):
        for item in items:
            topic = StarterTopic(
                len(flat) + 1, parent_id, item["name"], item["names"], item["phrases"]
            )
            flat.append(topic)
            walk(item["children"], topic.id)

    walk(STARTER_TOPICS, None)
    return flat
