# ruff: noqa: E501 (Markdown bodies: a paragraph's lines are the article's, not the code's)
"""The demo resource center's internal articles: the agents' procedures, escalation rules
and writing guides. Shape: caredesk.demo.articles_data."""

INTERNAL = [
    {
        "key": "partial-refund",
        "category": "backoffice",
        "tags": ["refunds", "back office"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "coach",
        "scenarios": [0, 2],
        "views": 0,
        "revisions": [
            (
                "admin",
                "Limits per role",
                {
                    "\n\n## Limits\n\n- Agents: up to **150 €** per order.\n- Team leads: up to "
                    "**1,000 €**.\n- Above that: escalate to Finance (see *Escalation rules*).": "",
                },
            ),
            (
                "manager",
                "The reason code is mandatory",
                {
                    "4. Pick the **reason code** (it is mandatory: Finance reports on it).": "4. Pick a reason code if one fits."
                },
            ),
        ],
        "texts": {
            "en": (
                "How to issue a partial refund in the back office",
                """Use a partial refund when the customer keeps the order but part of the money
is owed: one item missing, a delivery fee, a price difference, a duplicate charge.

## Steps

1. Open the order in the **back office** (search by order number, *A-…*).
2. Check the customer's identity first (see *Verify the customer's identity*).
3. Select **Payments → Refund → Partial** and enter the amount, with the cents.
4. Pick the **reason code** (it is mandatory: Finance reports on it).
5. Add an internal note with the chat or ticket number.
6. Tell the customer the amount and when it arrives: 2–3 working days on a card.

## Limits

- Agents: up to **150 €** per order.
- Team leads: up to **1,000 €**.
- Above that: escalate to Finance (see *Escalation rules*).""",
            ),
            "pt-br": (
                "Como fazer um reembolso parcial no back office",
                """Use o reembolso parcial quando o cliente fica com o pedido mas tem direito a
parte do valor: um item faltando, o frete, uma diferença de preço, uma cobrança em dobro.

## Passo a passo

1. Abra o pedido no **back office** (busque pelo número, *A-…*).
2. Confirme antes a identidade do cliente (veja *Verificar a identidade do cliente*).
3. Selecione **Pagamentos → Reembolso → Parcial** e informe o valor, com os centavos.
4. Escolha o **código do motivo** (é obrigatório: o financeiro faz relatórios com ele).
5. Deixe uma nota interna com o número do chat ou do ticket.
6. Diga ao cliente o valor e quando ele chega: 2 a 3 dias úteis no cartão.

## Limites

- Agentes: até **150 €** por pedido.
- Líderes de equipe: até **1.000 €**.
- Acima disso: escalone para o financeiro (veja *Regras de escalonamento*).""",
            ),
            "it": (
                "Come fare un rimborso parziale nel back office",
                """Usa il rimborso parziale quando il cliente tiene l'ordine ma gli spetta una
parte dell'importo: un articolo mancante, le spese di spedizione, una differenza di prezzo,
un doppio addebito.

## Passaggi

1. Apri l'ordine nel **back office** (cerca per numero d'ordine, *A-…*).
2. Verifica prima l'identità del cliente (vedi *Verificare l'identità del cliente*).
3. Seleziona **Pagamenti → Rimborso → Parziale** e inserisci l'importo, con i centesimi.
4. Scegli il **codice motivo** (è obbligatorio: l'amministrazione fa i report su questo).
5. Aggiungi una nota interna con il numero della chat o del ticket.
6. Comunica al cliente l'importo e i tempi: 2–3 giorni lavorativi sulla carta.

## Limiti

- Operatori: fino a **150 €** per ordine.
- Team leader: fino a **1.000 €**.
- Oltre: escalation all'amministrazione (vedi *Regole di escalation*).""",
            ),
            "bg": (
                "Как се прави частично възстановяване в бек офиса",
                """Използвайте частично възстановяване, когато клиентът задържа поръчката, но му се
дължи част от сумата: липсващ артикул, такса за доставка, разлика в цената, двойно плащане.

## Стъпки

1. Отворете поръчката в **бек офиса** (търсене по номер, *A-…*).
2. Първо проверете самоличността на клиента (вижте *Проверка на самоличността на клиента*).
3. Изберете **Плащания → Възстановяване → Частично** и въведете сумата със стотинките.
4. Изберете **код на причината** (задължителен е: финансовият отдел прави отчети по него).
5. Добавете вътрешна бележка с номера на чата или тикета.
6. Кажете на клиента сумата и кога ще я получи: 2–3 работни дни по картата.

## Лимити

- Агенти: до **150 €** на поръчка.
- Тийм лидери: до **1000 €**.
- Над това: ескалация към финансовия отдел (вижте *Правила за ескалация*).""",
            ),
        },
    },
    {
        "key": "refund-double-charge",
        "category": "backoffice",
        "tags": ["refunds", "double charge", "back office"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "coach",
        "scenarios": [0],
        "texts": {
            "en": (
                "Refund a double charge",
                """1. Ask for the dates and amounts of both charges.
2. In the back office, open **Payments** on the order: a duplicate shows two *captured*
   lines with the same amount.
3. Only one captured line and one *authorised*? That is a pending authorisation: tell the
   customer it disappears within 7 days, nothing to refund (public article *I was charged
   twice*).
4. Two captured lines: refund the second one in full with reason **Duplicate capture**.
5. Tag the chat `double charge` so billing can find the pattern.""",
            ),
        },
    },
    {
        "key": "rebook-delivery",
        "category": "backoffice",
        "tags": ["delivery", "late delivery", "carriers"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [1],
        "revisions": [
            (
                "coach",
                "Delivery fee refund is automatic now",
                {
                    "The delivery fee is refunded automatically after two days late: do not "
                    "refund it again.": "Refund the delivery fee by hand (partial refund, "
                    "reason *Late delivery*).",
                },
            )
        ],
        "texts": {
            "en": (
                "Rebook a late delivery with the carrier",
                """1. Open the carrier portal from the order's tracking link (logins in the team
   vault).
2. If the last scan is *Held at depot* or *Failed attempt*, choose **Rebook** and the
   customer's preferred day; the carrier confirms by text message.
3. No scan for 2 working days: open a **trace** in the portal and set a follow-up on the
   ticket for the next day.
4. After 5 working days without a scan, declare it lost and send a replacement.

The delivery fee is refunded automatically after two days late: do not refund it again.""",
            ),
        },
    },
    {
        "key": "release-return-refund",
        "category": "backoffice",
        "tags": ["refunds", "returns", "back office"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "coach",
        "scenarios": [2],
        "texts": {
            "en": (
                "Release a return refund that is stuck",
                """A return that was checked in but not refunded shows **Return received** with no
refund line.

1. Search the return label (*RT-…*) in **Returns**.
2. If the inspection is *Passed*, select **Release refund**; the amount is prefilled.
3. If the inspection is *Pending* for more than 3 days, release it anyway for orders under
   150 € and leave a note for the warehouse.
4. Above 150 €, escalate to the returns team lead with the label number.

Tell the customer: 2–3 working days on a card.""",
            ),
        },
    },
    {
        "key": "verify-identity",
        "category": "writing",
        "tags": ["identity", "data protection", "compliance"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "coach",
        "scenarios": [0, 2, 3],
        "revisions": [
            (
                "admin",
                "Postcode added as a second check",
                {
                    "the **email address on the order** and the **postcode**": "the **email "
                    "address on the order**",
                },
            ),
            (
                "coach",
                "Added the verification macro",
                {"\n\nUse the macro **/verify** so you never forget it.": ""},
            ),
        ],
        "texts": {
            "en": (
                "Verify the customer's identity",
                """**Before you open an account or discuss an order**, ask for the **email address on the order** and the **postcode**. It is on the chat scorecard as an
auto-fail criterion.

- Both match: go ahead.
- One does not match: ask for the last order number as well.
- Still no match: give only general information (the public articles) and never read out
  addresses, card digits or order contents.

Use the macro **/verify** so you never forget it.""",
            ),
            "pt-br": (
                "Verificar a identidade do cliente",
                """**Antes de abrir uma conta ou falar de um pedido**, peça o **e-mail do pedido** e
o **código postal**. Isso está no scorecard do chat como critério eliminatório.

- Os dois conferem: pode seguir.
- Um não confere: peça também o número do último pedido.
- Continua sem conferir: dê só informações gerais (os artigos públicos) e nunca leia em voz
  alta endereços, dígitos do cartão ou o conteúdo do pedido.

Use a macro **/verify** para nunca esquecer.""",
            ),
            "it": (
                "Verificare l'identità del cliente",
                """**Prima di aprire un account o parlare di un ordine**, chiedi l'**email
dell'ordine** e il **CAP**. È nella scheda di valutazione delle chat come criterio
eliminatorio.

- Corrispondono entrambi: procedi.
- Uno non corrisponde: chiedi anche il numero dell'ultimo ordine.
- Ancora nessuna corrispondenza: dai solo informazioni generali (gli articoli pubblici) e non
  leggere mai indirizzi, cifre della carta o il contenuto dell'ordine.

Usa la macro **/verify** per non dimenticarlo mai.""",
            ),
            "bg": (
                "Проверка на самоличността на клиента",
                """**Преди да отворите профил или да обсъждате поръчка**, поискайте **имейла от
поръчката** и **пощенския код**. Това е критерий с автоматичен неуспех в картата за
оценка на чатовете.

- И двете съвпадат: продължете.
- Едното не съвпада: поискайте и номера на последната поръчка.
- Пак няма съвпадение: давайте само обща информация (публичните статии) и никога не
  прочитайте адреси, цифри от карта или съдържание на поръчка.

Използвайте макроса **/verify**, за да не го забравяте.""",
            ),
        },
    },
    {
        "key": "unlock-account",
        "category": "backoffice",
        "tags": ["account", "login", "password"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [3],
        "texts": {
            "en": (
                "Unlock an account and resend the password link",
                """After verifying the customer's identity:

1. In the back office, open **Customers** and search by email.
2. *Locked* badge: select **Unlock** (it also resets the 5-attempt counter).
3. Select **Send password link**: it goes to the email on file, never to another address.
4. Link not arriving? Check **Email log** on the customer: a *bounced* status means the
   address is wrong; correct it only with the order email and postcode confirmed.

Never set a password for the customer or read one out.""",
            ),
        },
    },
    {
        "key": "cancel-before-shipping",
        "category": "backoffice",
        "tags": ["orders", "cancellation"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "coach",
        "scenarios": [4],
        "texts": {
            "en": (
                "Cancel an order before it ships",
                """1. Open the order: **Cancel** is available while the status is *Being prepared*.
2. If it shows *Picking*, call the warehouse desk (ext. 4410) before 14:00 to pull it.
3. Cancel with reason **Customer request**; the card authorisation is released at once.
4. Wrong size? Offer to place the new order in the same chat so the size is reserved.

Already *Shipped*: explain the free return instead (public article *How to return an item*).""",
            ),
            "pt-br": (
                "Cancelar um pedido antes do envio",
                """1. Abra o pedido: **Cancelar** fica disponível enquanto o status é *Em preparação*.
2. Se aparecer *Em separação*, ligue para o balcão do armazém (ramal 4410) antes das 14h para
   retirá-lo.
3. Cancele com o motivo **Pedido do cliente**; a autorização do cartão é liberada na hora.
4. Tamanho errado? Ofereça fazer o novo pedido no mesmo chat, para reservar o tamanho.

Já *Enviado*: explique a devolução grátis (artigo público *Como devolver um item*).""",
            ),
        },
    },
    {
        "key": "escalation-rules",
        "category": "escalations",
        "tags": ["escalation"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [],
        "revisions": [
            (
                "admin",
                "Legal threats go to the team lead at once",
                {
                    "\n- **Legal threats** or press: your team lead at once, no reply of your "
                    "own beyond acknowledging.": "",
                },
            ),
            (
                "manager",
                "Finance threshold raised to 1,000 €",
                {"over **1,000 €**": "over **500 €**"},
            ),
        ],
        "texts": {
            "en": (
                "Escalation rules: when and to whom",
                """Escalate by setting the ticket's status to **Escalated** and the right queue;
always leave a comment saying what you tried.

- Refunds or goodwill over **1,000 €**: Finance queue.
- A parcel lost with no carrier answer after 5 working days: Logistics.
- Suspected fraud (different names, several cards, rushed orders): Fraud, and stop the
  order.
- The customer asks for a manager twice: your team lead (see *When a customer asks for a
  manager*).
- **Legal threats** or press: your team lead at once, no reply of your own beyond acknowledging.

Do not escalate what you can solve: a refund within your limit is yours.""",
            ),
            "pt-br": (
                "Regras de escalonamento: quando e para quem",
                """Escalone mudando o status do ticket para **Escalonado** e a fila certa; deixe
sempre um comentário dizendo o que você já tentou.

- Reembolsos ou cortesias acima de **1.000 €**: fila do Financeiro.
- Pacote perdido sem resposta da transportadora após 5 dias úteis: Logística.
- Suspeita de fraude (nomes diferentes, vários cartões, pedidos apressados): Fraude, e
  bloqueie o pedido.
- O cliente pede um gerente duas vezes: seu líder de equipe (veja *Quando o cliente pede um
  gerente*).
- **Ameaças judiciais** ou imprensa: seu líder de equipe na hora, sem responder nada além de
  confirmar o recebimento.

Não escalone o que você pode resolver: um reembolso dentro do seu limite é seu.""",
            ),
        },
    },
    {
        "key": "asks-for-manager",
        "category": "escalations",
        "tags": ["escalation", "difficult customers"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "coach",
        "scenarios": [],
        "texts": {
            "en": (
                "When a customer asks for a manager",
                """1. Acknowledge it without arguing: *"I understand, I'd like to try to fix this
   for you first."*
2. Summarise the problem in one sentence and say what you **can** do now.
3. If they ask again, transfer to your team lead with a comment (the customer must not
   repeat the story).
4. No lead available: promise a call back **with a time**, and set the follow-up.

Most requests for a manager come after a curt answer: the empathy openers in *Writing with
empathy* prevent them.""",
            ),
        },
    },
    {
        "key": "retention-offers",
        "category": "escalations",
        "tags": ["cancellation", "retention", "vouchers"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [4],
        "texts": {
            "en": (
                "Customers who threaten to leave",
                """Someone writing *"I'll never order again"* is telling you they are still
deciding. Fix the problem first, then:

- a first problem this year: apologise and offer free express delivery on the next order;
- a second problem: a **10 € voucher** (limit: one per customer per quarter);
- three or more: escalate to the team lead for a call.

Record the offer in the ticket comment so the next agent does not give it twice.""",
            ),
        },
    },
    {
        "key": "goodwill-vouchers",
        "category": "backoffice",
        "tags": ["vouchers", "back office"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [1, 2],
        "texts": {
            "en": (
                "Goodwill vouchers: limits and how to issue them",
                """**Customers → Vouchers → New**: choose the amount, a 6-month validity and the
reason.

| Situation | Voucher |
|---|---|
| Delivery more than 5 days late | 10 € |
| Refund later than promised | 10 € |
| A mistake of ours that cost the customer a trip | 15 € |
| Anything above | team lead approval |

One voucher per ticket. Never promise one before it is issued.""",
            ),
        },
    },
    {
        "key": "writing-empathy",
        "category": "writing",
        "tags": ["tone", "empathy"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "coach",
        "scenarios": [],
        "texts": {
            "en": (
                "Writing with empathy: openers that work",
                """Acknowledge the problem **before** solving it, in the customer's words.

- *"Three weeks without your refund is far too long, I'm sorry. Let me look at it now."*
- *"I can see the parcel has not moved since Monday: I understand why you're worried."*
- *"Thank you for the photos, that helps a lot."*

Avoid: *"As I said"*, *"That's how it works"*, *"You should have…"*. Short is fine, cold is
not. The tone criterion of the chat scorecard checks exactly this.""",
            ),
            "pt-br": (
                "Escrever com empatia: aberturas que funcionam",
                """Reconheça o problema **antes** de resolvê-lo, com as palavras do cliente.

- *"Três semanas sem o seu reembolso é tempo demais, sinto muito. Vou ver isso agora."*
- *"Vejo que o pacote não se move desde segunda: entendo a sua preocupação."*
- *"Obrigado pelas fotos, ajudam muito."*

Evite: *"Como eu disse"*, *"É assim que funciona"*, *"Você deveria ter…"*. Curto tudo bem,
frio não. O critério de tom do scorecard do chat avalia exatamente isso.""",
            ),
            "it": (
                "Scrivere con empatia: aperture che funzionano",
                """Riconosci il problema **prima** di risolverlo, con le parole del cliente.

- *"Tre settimane senza rimborso sono davvero troppe, mi dispiace. Lo controllo subito."*
- *"Vedo che il pacco è fermo da lunedì: capisco la sua preoccupazione."*
- *"Grazie per le foto, sono molto utili."*

Evita: *"Come ho già detto"*, *"Funziona così"*, *"Avrebbe dovuto…"*. Brevi va bene, freddi
no. Il criterio sul tono della scheda di valutazione chat controlla proprio questo.""",
            ),
        },
    },
    {
        "key": "closing-chat",
        "category": "writing",
        "tags": ["tone", "templates"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "coach",
        "scenarios": [],
        "texts": {
            "en": (
                "Closing a chat: the next steps",
                """Every chat ends with three things:

1. **What happens next** (*"the refund is released"*, *"the carrier will call you"*).
2. **When** (a day or a number of working days, never *"soon"*).
3. **How to reach us again** (*"reply to the confirmation email, it comes back to me"*).

Then ask if there is anything else, and wait one minute before ending the chat.""",
            ),
        },
    },
    {
        "key": "recording-notice",
        "category": "writing",
        "tags": ["calls", "compliance"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "texts": {
            "en": (
                "Call script: greeting and recording notice",
                """Within the first **30 seconds** of every call (legal requirement, auto-fail on
the call scorecard):

> "Acme Retail, this is *your name* speaking. Just so you know, this call is recorded for
> quality purposes. How can I help?"

If the caller objects to the recording, offer to continue by chat or email instead.""",
            ),
            "pt-br": (
                "Roteiro de chamada: saudação e aviso de gravação",
                """Nos primeiros **30 segundos** de toda chamada (exigência legal, eliminatório no
scorecard de chamadas):

> "Acme Retail, aqui é *seu nome*. Só para avisar, esta chamada é gravada para fins de
> qualidade. Como posso ajudar?"

Se a pessoa não quiser ser gravada, ofereça continuar por chat ou e-mail.""",
            ),
            "it": (
                "Script di chiamata: saluto e avviso di registrazione",
                """Entro i primi **30 secondi** di ogni chiamata (obbligo di legge, criterio
eliminatorio nella scheda delle chiamate):

> "Acme Retail, sono *il tuo nome*. La informo che la chiamata è registrata per finalità di
> qualità. Come posso aiutarla?"

Se chi chiama non vuole essere registrato, proponi di continuare via chat o email.""",
            ),
            "bg": (
                "Сценарий за разговор: поздрав и известие за запис",
                """В първите **30 секунди** на всеки разговор (законово изискване, автоматичен
неуспех в картата за разговори):

> „Acme Retail, казвам се *вашето име*. Само да ви уведомя, че разговорът се записва с цел
> качество. С какво мога да помогна?“

Ако обаждащият се възрази срещу записа, предложете да продължите по чат или имейл.""",
            ),
        },
    },
    {
        "key": "data-protection-chat",
        "category": "writing",
        "tags": ["data protection", "compliance"],
        "audience": "internal",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "texts": {
            "en": (
                "Data protection: what never goes in a chat",
                """- Full card numbers, CVV codes, passwords: never ask, never repeat. If a customer
  sends one, tell them, and mask it with **Redact** on the message.
- Addresses and phone numbers: only after the identity check.
- Another customer's data, even a family member's, without their consent.

Screenshots from customers may contain any of these: redact before adding them to a ticket.""",
            ),
        },
    },
    {
        "key": "carrier-contacts-2025",
        "category": "backoffice",
        "tags": ["carriers", "delivery"],
        "audience": "internal",
        "status": "archived",
        "lang": "en",
        "author": "manager",
        "scenarios": [],
        "texts": {
            "en": (
                "Carrier contacts and cut-off times (2025)",
                """*Archived: replaced by the carrier portal, see "Rebook a late delivery with the
carrier".*

| Carrier | Country | Phone | Cut-off |
|---|---|---|---|
| CTT | Portugal | +351 210 000 000 | 13:00 |
| BRT | Italy | +39 02 0000 0000 | 12:30 |
| Speedy | Bulgaria | +359 2 000 0000 | 13:30 |""",
            ),
        },
    },
    {
        "key": "chargebacks",
        "category": "backoffice",
        "tags": ["payments", "chargebacks"],
        "audience": "internal",
        "status": "draft",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "texts": {
            "en": (
                "Handling a chargeback",
                """When the bank notifies a chargeback, the order shows **Disputed**.

1. Do not refund: the bank has already taken the money back.
2. Add the chat transcripts and the delivery proof to the dispute in **Payments → Disputes**.
3. Finance answers the bank within 7 days.

*Draft: waiting for Finance to confirm the evidence list.*""",
            ),
        },
    },
    {
        "key": "peak-season",
        "category": "escalations",
        "tags": ["peak season", "staffing"],
        "audience": "internal",
        "status": "draft",
        "lang": "en",
        "author": "manager",
        "scenarios": [],
        "texts": {
            "en": (
                "Peak season playbook",
                """From Black Friday to 6 January:

- The chat greeting promises an answer **within 10 minutes**; update it if the queue is longer.
- Team leads take the Escalated queue every morning before 10:00.
- Delivery questions: answer with the public article *My delivery is late* first.

*To complete: the rota and the overflow rules for calls.*""",
            ),
        },
    },
]
