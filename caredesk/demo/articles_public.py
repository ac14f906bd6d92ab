# ruff: noqa: E501 (Markdown bodies: a paragraph's lines are the article's, not the code's)
"""The demo help center's public articles: what Acme Retail's customers read before (or
instead of) starting a chat. Shape: caredesk.demo.articles_data."""

PUBLIC = [
    {
        "key": "track-order",
        "category": "delivery",
        "tags": ["delivery", "tracking"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [1],
        "views": 9,
        "texts": {
            "en": (
                "Track your order",
                """As soon as your order leaves our warehouse we send you an email with the
carrier's name and a tracking number.

## Where to find the tracking link

1. Sign in and open **My orders**.
2. Choose the order: its status and the tracking link are at the top.
3. Follow the link to the carrier's page for the latest scan.

## What the statuses mean

- **Being prepared**: we are picking and packing your items.
- **Shipped**: the carrier has the parcel; the first scan can take up to 24 hours.
- **Out for delivery**: it arrives today, usually between 9:00 and 19:00.
- **Delivered**: the carrier left it at your address or with a neighbour (see the carrier's page).

No tracking update for more than two working days? See *My delivery is late*.""",
            ),
            "pt-br": (
                "Acompanhe o seu pedido",
                """Assim que o pedido sai do nosso armazém, enviamos um e-mail com o nome da
transportadora e o código de rastreamento.

## Onde encontrar o link de rastreamento

1. Entre na sua conta e abra **Meus pedidos**.
2. Escolha o pedido: o status e o link de rastreamento ficam no topo.
3. Siga o link para a página da transportadora e veja a última atualização.

## O que significa cada status

- **Em preparação**: estamos separando e embalando os itens.
- **Enviado**: a transportadora já está com o pacote; a primeira leitura pode levar até 24 horas.
- **Saiu para entrega**: chega hoje, normalmente entre 9h e 19h.
- **Entregue**: o pacote foi deixado no seu endereço ou com um vizinho (confira na página da transportadora).

Sem atualização há mais de dois dias úteis? Veja *Minha entrega está atrasada*.""",
            ),
            "it": (
                "Segui il tuo ordine",
                """Appena l'ordine lascia il nostro magazzino ti inviamo un'email con il nome del
corriere e il numero di tracciamento.

## Dove trovare il link di tracciamento

1. Accedi e apri **I miei ordini**.
2. Scegli l'ordine: stato e link di tracciamento sono in alto.
3. Segui il link alla pagina del corriere per l'ultima scansione.

## Cosa significano gli stati

- **In preparazione**: stiamo prelevando e imballando gli articoli.
- **Spedito**: il pacco è al corriere; la prima scansione può richiedere fino a 24 ore.
- **In consegna**: arriva oggi, di solito tra le 9:00 e le 19:00.
- **Consegnato**: il corriere l'ha lasciato al tuo indirizzo o a un vicino (vedi la pagina del corriere).

Nessun aggiornamento da più di due giorni lavorativi? Leggi *La mia consegna è in ritardo*.""",
            ),
            "bg": (
                "Проследете поръчката си",
                """Щом поръчката напусне склада ни, ви изпращаме имейл с името на куриера и
номер за проследяване.

## Къде е линкът за проследяване

1. Влезте в профила си и отворете **Моите поръчки**.
2. Изберете поръчката: статусът и линкът за проследяване са най-горе.
3. Отворете линка към страницата на куриера за последното сканиране.

## Какво означават статусите

- **Подготвя се**: събираме и опаковаме артикулите.
- **Изпратена**: пратката е при куриера; първото сканиране може да отнеме до 24 часа.
- **За доставка днес**: пристига днес, обикновено между 9:00 и 19:00.
- **Доставена**: куриерът я е оставил на адреса ви или при съсед (вижте страницата на куриера).

Няма промяна повече от два работни дни? Вижте *Доставката ми закъснява*.""",
            ),
        },
    },
    {
        "key": "late-delivery",
        "category": "delivery",
        "tags": ["delivery", "late delivery"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [1],
        "views": 8,
        "revisions": [
            (
                "admin",
                "The delivery fee is refunded for any delay over two days",
                {
                    "we refund the delivery fee automatically": "we may refund the delivery fee",
                },
            )
        ],
        "texts": {
            "en": (
                "My delivery is late",
                """Most parcels arrive on the date shown at checkout. When one does not:

## First, check the tracking

Open **My orders** and follow the tracking link. If the carrier shows a *failed delivery
attempt*, the parcel waits at their depot for five working days and you can book a new
slot on the carrier's page.

## No update for two working days

Start a chat with us and have your order number ready (it starts with **A-**). We ask the
carrier for a trace and write to you as soon as they answer, usually the same day.

## More than two days late

If the parcel is more than two working days past its promised date, we refund the delivery fee automatically. If it is lost, we send a replacement or refund the order, whichever you
prefer.""",
            ),
            "pt-br": (
                "Minha entrega está atrasada",
                """A maioria dos pacotes chega na data mostrada no checkout. Quando isso não acontece:

## Primeiro, confira o rastreamento

Abra **Meus pedidos** e siga o link de rastreamento. Se a transportadora mostrar uma
*tentativa de entrega sem sucesso*, o pacote fica no depósito por cinco dias úteis e você
pode agendar uma nova entrega na página dela.

## Sem atualização há dois dias úteis

Abra um chat com a gente e tenha o número do pedido em mãos (começa com **A-**). Pedimos
uma investigação à transportadora e escrevemos assim que ela responder, geralmente no mesmo dia.

## Mais de dois dias de atraso

Se o pacote passou mais de dois dias úteis da data prometida, reembolsamos o frete
automaticamente. Se ele se perdeu, enviamos outro ou devolvemos o valor do pedido, como
você preferir.""",
            ),
            "it": (
                "La mia consegna è in ritardo",
                """Quasi tutti i pacchi arrivano nella data indicata al momento dell'ordine. Se il tuo no:

## Controlla prima il tracciamento

Apri **I miei ordini** e segui il link di tracciamento. Se il corriere indica un *tentativo
di consegna fallito*, il pacco resta in deposito per cinque giorni lavorativi e puoi
prenotare una nuova consegna sulla pagina del corriere.

## Nessun aggiornamento da due giorni lavorativi

Apri una chat con noi con il numero d'ordine a portata di mano (inizia con **A-**). Chiediamo
una verifica al corriere e ti scriviamo appena risponde, di solito in giornata.

## Più di due giorni di ritardo

Se il pacco ha superato di oltre due giorni lavorativi la data promessa, ti rimborsiamo
automaticamente le spese di spedizione. Se è andato perso, ti mandiamo un sostituto o ti
rimborsiamo l'ordine, come preferisci.""",
            ),
            "bg": (
                "Доставката ми закъснява",
                """Повечето пратки пристигат на датата, показана при поръчката. Ако вашата не е:

## Първо проверете проследяването

Отворете **Моите поръчки** и линка за проследяване. Ако куриерът показва *неуспешен опит
за доставка*, пратката чака в офиса му пет работни дни и можете да изберете нов час на
страницата на куриера.

## Няма промяна от два работни дни

Пишете ни в чата и пригответе номера на поръчката (започва с **A-**). Ще поискаме проверка
от куриера и ще ви пишем веднага щом отговори, обикновено в същия ден.

## Закъснение над два дни

Ако пратката закъснява с повече от два работни дни, автоматично ви връщаме цената на
доставката. Ако е изгубена, изпращаме нова или връщаме парите за поръчката — както
предпочетете.""",
            ),
        },
    },
    {
        "key": "delivery-times",
        "category": "delivery",
        "tags": ["delivery", "shipping costs"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "views": 6,
        "texts": {
            "en": (
                "Delivery times and costs",
                """| Where | Standard | Express |
|---|---|---|
| Portugal (mainland) | 2–3 working days, 3.90 € | next working day, 7.90 € |
| Italy | 2–4 working days, 4.90 € | next working day, 9.90 € |
| Bulgaria | 2–4 working days, 3.50 € | next working day, 6.90 € |

- Standard delivery is **free over 50 €**.
- Orders placed before **14:00** on a working day leave the warehouse the same day.
- Madeira, the Azores and the Italian islands add one or two days.
- Large items (furniture, appliances) are delivered by appointment: the carrier calls you
  to agree a two-hour slot.""",
            ),
            "pt-br": (
                "Prazos e custos de entrega",
                """| Destino | Normal | Expressa |
|---|---|---|
| Portugal (continente) | 2–3 dias úteis, 3,90 € | próximo dia útil, 7,90 € |
| Itália | 2–4 dias úteis, 4,90 € | próximo dia útil, 9,90 € |
| Bulgária | 2–4 dias úteis, 3,50 € | próximo dia útil, 6,90 € |

- A entrega normal é **grátis acima de 50 €**.
- Pedidos feitos até **14h** em dia útil saem do armazém no mesmo dia.
- Madeira, Açores e as ilhas italianas levam um ou dois dias a mais.
- Itens grandes (móveis, eletrodomésticos) são entregues com agendamento: a transportadora
  liga para combinar uma janela de duas horas.""",
            ),
            "it": (
                "Tempi e costi di consegna",
                """| Destinazione | Standard | Express |
|---|---|---|
| Portogallo (continente) | 2–3 giorni lavorativi, 3,90 € | giorno lavorativo successivo, 7,90 € |
| Italia | 2–4 giorni lavorativi, 4,90 € | giorno lavorativo successivo, 9,90 € |
| Bulgaria | 2–4 giorni lavorativi, 3,50 € | giorno lavorativo successivo, 6,90 € |

- La consegna standard è **gratuita sopra i 50 €**.
- Gli ordini effettuati entro le **14:00** di un giorno lavorativo partono in giornata.
- Per Madeira, Azzorre e isole italiane servono uno o due giorni in più.
- Gli articoli voluminosi (mobili, elettrodomestici) si consegnano su appuntamento: il
  corriere ti chiama per concordare una fascia di due ore.""",
            ),
            "bg": (
                "Срокове и цени на доставка",
                """| Къде | Стандартна | Експресна |
|---|---|---|
| Португалия (континентална) | 2–3 работни дни, 3,90 € | следващия работен ден, 7,90 € |
| Италия | 2–4 работни дни, 4,90 € | следващия работен ден, 9,90 € |
| България | 2–4 работни дни, 3,50 € | следващия работен ден, 6,90 € |

- Стандартната доставка е **безплатна над 50 €**.
- Поръчките до **14:00** в работен ден излизат от склада същия ден.
- За Мадейра, Азорските и италианските острови — един-два дни повече.
- Едрогабаритни артикули (мебели, уреди) се доставят с уговорен час: куриерът ви се обажда
  за двучасов прозорец.""",
            ),
        },
    },
    {
        "key": "change-cancel-order",
        "category": "orders",
        "tags": ["orders", "cancellation"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [4],
        "views": 7,
        "texts": {
            "en": (
                "Change or cancel an order",
                """You can change or cancel an order **until it is shipped**.

## Cancel

1. Open **My orders** and choose the order.
2. Select **Cancel order** and tell us why (it helps us improve).
3. You get a confirmation email; the money is back on your card in 3–5 working days.

## Change the size, colour or address

Cancel and order again, or start a chat: an agent can change the address or swap a size
while the order is *Being prepared*.

## Already shipped?

Then it can no longer be stopped. Refuse the parcel at the door or return it for free
within 30 days (see *How to return an item*).""",
            ),
            "pt-br": (
                "Alterar ou cancelar um pedido",
                """Você pode alterar ou cancelar um pedido **até ele ser enviado**.

## Cancelar

1. Abra **Meus pedidos** e escolha o pedido.
2. Selecione **Cancelar pedido** e conte o motivo (isso nos ajuda a melhorar).
3. Você recebe um e-mail de confirmação; o valor volta para o cartão em 3 a 5 dias úteis.

## Trocar tamanho, cor ou endereço

Cancele e faça um novo pedido, ou abra um chat: um agente pode mudar o endereço ou trocar o
tamanho enquanto o pedido estiver *Em preparação*.

## Já foi enviado?

Aí não dá mais para parar. Recuse o pacote na entrega ou devolva grátis em até 30 dias (veja
*Como devolver um item*).""",
            ),
            "it": (
                "Modificare o annullare un ordine",
                """Puoi modificare o annullare un ordine **finché non è spedito**.

## Annullare

1. Apri **I miei ordini** e scegli l'ordine.
2. Seleziona **Annulla ordine** e dicci il motivo (ci aiuta a migliorare).
3. Ricevi un'email di conferma; l'importo torna sulla carta in 3–5 giorni lavorativi.

## Cambiare taglia, colore o indirizzo

Annulla e ordina di nuovo, oppure apri una chat: un operatore può cambiare l'indirizzo o la
taglia finché l'ordine è *In preparazione*.

## Già spedito?

Allora non si può più fermare. Rifiuta il pacco alla consegna o rendilo gratuitamente entro
30 giorni (vedi *Come rendere un articolo*).""",
            ),
            "bg": (
                "Промяна или отказ от поръчка",
                """Можете да промените или откажете поръчка, **докато не е изпратена**.

## Отказ

1. Отворете **Моите поръчки** и изберете поръчката.
2. Натиснете **Откажи поръчката** и ни кажете защо (помага ни да се подобрим).
3. Получавате имейл за потвърждение; парите се връщат по картата до 3–5 работни дни.

## Смяна на размер, цвят или адрес

Откажете и поръчайте отново или ни пишете в чата: агент може да смени адреса или размера,
докато поръчката е *Подготвя се*.

## Вече е изпратена?

Тогава не може да бъде спряна. Откажете пратката пред куриера или я върнете безплатно до
30 дни (вижте *Как да върна артикул*).""",
            ),
        },
    },
    {
        "key": "return-item",
        "category": "returns",
        "tags": ["returns"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [2, 4],
        "views": 10,
        "texts": {
            "en": (
                "How to return an item",
                """You have **30 days** from delivery to return most items, for free.

## Steps

1. Open **My orders**, choose the order and select **Return items**.
2. Pick the items and a reason, then choose how to send them back:
   - at any Acme store (bring the QR code from the email), or
   - at a carrier drop-off point, with the prepaid label we email you.
3. Keep the receipt or the drop-off scan until the refund arrives.

## What cannot be returned

- Underwear and swimwear without their hygiene seal.
- Gift cards and personalised items.
- Software and games once opened.

Once we receive the return, the refund takes 3–5 working days (see *When will I get my
refund?*).""",
            ),
            "pt-br": (
                "Como devolver um item",
                """Você tem **30 dias** a partir da entrega para devolver a maioria dos itens, de graça.

## Passo a passo

1. Abra **Meus pedidos**, escolha o pedido e selecione **Devolver itens**.
2. Escolha os itens e o motivo, e depois como vai enviá-los:
   - em qualquer loja Acme (leve o QR code do e-mail), ou
   - num ponto de coleta da transportadora, com a etiqueta pré-paga que enviamos por e-mail.
3. Guarde o comprovante até o reembolso chegar.

## O que não pode ser devolvido

- Roupa íntima e moda praia sem o lacre de higiene.
- Cartões-presente e itens personalizados.
- Software e jogos depois de abertos.

Quando a devolução chega, o reembolso leva de 3 a 5 dias úteis (veja *Quando recebo meu
reembolso?*).""",
            ),
            "it": (
                "Come rendere un articolo",
                """Hai **30 giorni** dalla consegna per rendere gratuitamente la maggior parte degli articoli.

## Passaggi

1. Apri **I miei ordini**, scegli l'ordine e seleziona **Rendi articoli**.
2. Scegli gli articoli e il motivo, poi come spedirli:
   - in qualsiasi negozio Acme (porta il codice QR dell'email), oppure
   - in un punto di ritiro del corriere, con l'etichetta prepagata che ti inviamo via email.
3. Conserva la ricevuta fino all'arrivo del rimborso.

## Cosa non si può rendere

- Intimo e costumi senza sigillo igienico.
- Carte regalo e articoli personalizzati.
- Software e giochi aperti.

Quando riceviamo il reso, il rimborso richiede 3–5 giorni lavorativi (vedi *Quando arriva il
mio rimborso?*).""",
            ),
            "bg": (
                "Как да върна артикул",
                """Имате **30 дни** от доставката, за да върнете безплатно повечето артикули.

## Стъпки

1. Отворете **Моите поръчки**, изберете поръчката и натиснете **Върни артикули**.
2. Изберете артикулите и причината, после как да ги изпратите:
   - във всеки магазин на Acme (носете QR кода от имейла), или
   - в офис на куриера, с предплатения етикет, който ви изпращаме по имейл.
3. Пазете разписката, докато получите парите.

## Какво не може да се върне

- Бельо и бански без хигиенна лепенка.
- Подаръчни карти и персонализирани артикули.
- Софтуер и игри след отваряне.

След като получим пратката, възстановяването отнема 3–5 работни дни (вижте *Кога ще получа
парите си?*).""",
            ),
        },
    },
    {
        "key": "refund-timing",
        "category": "returns",
        "tags": ["refunds", "returns"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [2, 0],
        "views": 10,
        "revisions": [
            (
                "manager",
                "Added what to do when the refund is late",
                {
                    "\n\n## It has been longer\n\nIf 5 working days have passed since the "
                    "confirmation email, start a chat with your order number: we check the "
                    "refund with our finance team while you wait.": "",
                },
            ),
            (
                "coach",
                "Refunds now take 3–5 working days",
                {"3–5 working days": "5–7 working days"},
            ),
        ],
        "texts": {
            "en": (
                "When will I get my refund?",
                """We refund to the payment method you used, as soon as we have checked the
returned items.

## How long it takes

- **Card or PayPal**: 3–5 working days after the confirmation email.
- **Gift card or voucher**: back on the card the same day.
- **Cash on delivery**: by bank transfer, 3–5 working days after you send us your IBAN.

Your bank may take one or two more days to show it on the statement.

## It has been longer

If 5 working days have passed since the confirmation email, start a chat with your order number: we check the refund with our finance team while you wait.""",
            ),
            "pt-br": (
                "Quando recebo meu reembolso?",
                """Reembolsamos no mesmo meio de pagamento que você usou, assim que conferimos os
itens devolvidos.

## Quanto tempo leva

- **Cartão ou PayPal**: 3 a 5 dias úteis depois do e-mail de confirmação.
- **Cartão-presente ou vale**: o saldo volta no mesmo dia.
- **Pagamento na entrega**: por transferência, 3 a 5 dias úteis depois que você nos envia o IBAN.

O banco pode levar mais um ou dois dias para mostrar o valor no extrato.

## Já passou do prazo

Se já se passaram 5 dias úteis desde o e-mail de confirmação, abra um chat com o número do
pedido: verificamos o reembolso com o financeiro enquanto você espera.""",
            ),
            "it": (
                "Quando arriva il mio rimborso?",
                """Rimborsiamo sullo stesso metodo di pagamento che hai usato, appena abbiamo
controllato gli articoli resi.

## Quanto ci vuole

- **Carta o PayPal**: 3–5 giorni lavorativi dopo l'email di conferma.
- **Carta regalo o buono**: l'importo torna disponibile in giornata.
- **Contrassegno**: con bonifico, 3–5 giorni lavorativi dopo che ci hai inviato l'IBAN.

La banca può impiegare uno o due giorni in più per mostrarlo nell'estratto conto.

## È passato più tempo

Se sono passati 5 giorni lavorativi dall'email di conferma, apri una chat con il numero
d'ordine: verifichiamo il rimborso con l'amministrazione mentre aspetti.""",
            ),
            "bg": (
                "Кога ще получа парите си?",
                """Връщаме парите по същия начин, по който сте платили, веднага щом проверим
върнатите артикули.

## Колко време отнема

- **Карта или PayPal**: 3–5 работни дни след имейла за потвърждение.
- **Подаръчна карта или ваучер**: сумата се връща в същия ден.
- **Наложен платеж**: с банков превод, 3–5 работни дни след като ни изпратите IBAN.

Банката ви може да покаже сумата в извлечението с ден-два по-късно.

## Минало е повече време

Ако са минали 5 работни дни от имейла за потвърждение, пишете ни в чата с номера на
поръчката: проверяваме с финансовия отдел, докато чакате.""",
            ),
        },
    },
    {
        "key": "charged-twice",
        "category": "payments",
        "tags": ["payments", "double charge", "refunds"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [0],
        "views": 7,
        "texts": {
            "en": (
                "I was charged twice",
                """Seeing two charges for one order is usually one of these:

## A pending authorisation

When you pay, your bank *reserves* the amount. If the first attempt failed and you paid
again, the reservation of the failed attempt can show for up to **7 days** before your bank
drops it. It is never taken from your account.

## Two real charges

If both charges are *settled* (no longer pending) on your statement:

1. Take a screenshot of the statement showing both charges, with the dates.
2. Start a chat with the order number.
3. We refund the duplicate the same day; it shows on your card in 2–3 working days.""",
            ),
            "pt-br": (
                "Fui cobrado duas vezes",
                """Ver duas cobranças para um pedido costuma ser um destes casos:

## Uma pré-autorização pendente

Quando você paga, o banco *reserva* o valor. Se a primeira tentativa falhou e você pagou de
novo, a reserva da tentativa que falhou pode aparecer por até **7 dias** até o banco
liberá-la. Esse valor nunca é debitado.

## Duas cobranças reais

Se as duas cobranças estão *confirmadas* (não mais pendentes) no extrato:

1. Tire um print do extrato mostrando as duas cobranças, com as datas.
2. Abra um chat com o número do pedido.
3. Estornamos a cobrança duplicada no mesmo dia; ela aparece no cartão em 2 a 3 dias úteis.""",
            ),
            "it": (
                "Mi avete addebitato due volte",
                """Due addebiti per un solo ordine di solito sono uno di questi casi:

## Una preautorizzazione in sospeso

Quando paghi, la banca *blocca* l'importo. Se il primo tentativo non è andato a buon fine e
hai pagato di nuovo, il blocco del tentativo fallito può restare visibile fino a **7 giorni**
prima che la banca lo sblocchi. Non viene mai addebitato.

## Due addebiti reali

Se entrambi gli addebiti sono *contabilizzati* (non più in sospeso) nell'estratto conto:

1. Fai uno screenshot dell'estratto con i due addebiti e le date.
2. Apri una chat con il numero d'ordine.
3. Rimborsiamo il doppio addebito in giornata; lo vedi sulla carta in 2–3 giorni lavorativi.""",
            ),
            "bg": (
                "Таксуваха ме два пъти",
                """Две плащания за една поръчка обикновено са един от тези случаи:

## Блокирана сума

Когато плащате, банката *блокира* сумата. Ако първият опит е неуспешен и сте платили пак,
блокировката от неуспешния опит може да се вижда до **7 дни**, докато банката я освободи.
Тази сума никога не се изтегля.

## Две реални плащания

Ако и двете плащания са *осчетоводени* (вече не са блокирани) в извлечението:

1. Направете снимка на извлечението с двете плащания и датите.
2. Пишете ни в чата с номера на поръчката.
3. Връщаме двойното плащане в същия ден; виждате го по картата до 2–3 работни дни.""",
            ),
        },
    },
    {
        "key": "payment-methods",
        "category": "payments",
        "tags": ["payments"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "views": 4,
        "texts": {
            "en": (
                "Payment methods we accept",
                """- **Cards**: Visa, Mastercard, American Express (3-D Secure may ask your bank's
  app to confirm).
- **PayPal**, **Apple Pay** and **Google Pay**.
- **MB WAY** and **Multibanco reference** (Portugal).
- **Cash on delivery** (Bulgaria and Italy, 1.50 € fee, up to 500 €).
- **Gift cards and vouchers**, also together with another method.

We never ask for your card details by chat, email or phone. If someone does, please tell us.""",
            ),
            "pt-br": (
                "Formas de pagamento aceitas",
                """- **Cartões**: Visa, Mastercard, American Express (o 3-D Secure pode pedir
  confirmação no app do banco).
- **PayPal**, **Apple Pay** e **Google Pay**.
- **MB WAY** e **referência Multibanco** (Portugal).
- **Pagamento na entrega** (Bulgária e Itália, taxa de 1,50 €, até 500 €).
- **Cartões-presente e vales**, inclusive junto com outra forma de pagamento.

Nunca pedimos os dados do seu cartão por chat, e-mail ou telefone. Se alguém pedir, avise a gente.""",
            ),
            "it": (
                "Metodi di pagamento accettati",
                """- **Carte**: Visa, Mastercard, American Express (il 3-D Secure può chiedere una
  conferma nell'app della banca).
- **PayPal**, **Apple Pay** e **Google Pay**.
- **MB WAY** e **riferimento Multibanco** (Portogallo).
- **Contrassegno** (Bulgaria e Italia, supplemento di 1,50 €, fino a 500 €).
- **Carte regalo e buoni**, anche insieme a un altro metodo.

Non chiediamo mai i dati della carta via chat, email o telefono. Se qualcuno lo fa, avvisaci.""",
            ),
        },
    },
    {
        "key": "reset-password",
        "category": "account",
        "tags": ["account", "password"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [3],
        "views": 9,
        "revisions": [
            (
                "manager",
                "The link is valid for 60 minutes, not 24 hours",
                {"**60 minutes**": "**24 hours**"},
            )
        ],
        "texts": {
            "en": (
                "Reset your password",
                """1. On the sign-in page, select **Forgot your password?**
2. Enter the email address of your account.
3. Open the email *Reset your Acme password* and follow the link. It is valid for **60 minutes**.
4. Choose a new password of at least 10 characters.

## The email does not arrive

- Check the spam and *Promotions* folders.
- Make sure it is the address you registered with (it is on your order confirmations).
- Wait five minutes before asking again: each new request cancels the previous link.

Still nothing? Start a chat: after checking your identity, an agent can send the link again.""",
            ),
            "pt-br": (
                "Redefinir a senha",
                """1. Na página de login, selecione **Esqueceu a senha?**
2. Informe o e-mail da sua conta.
3. Abra o e-mail *Redefina sua senha Acme* e siga o link. Ele vale por **60 minutos**.
4. Escolha uma nova senha com pelo menos 10 caracteres.

## O e-mail não chega

- Confira as pastas de spam e *Promoções*.
- Verifique se é o endereço do cadastro (ele aparece nas confirmações de pedido).
- Espere cinco minutos antes de pedir de novo: cada novo pedido cancela o link anterior.

Ainda nada? Abra um chat: depois de confirmar sua identidade, um agente pode reenviar o link.""",
            ),
            "it": (
                "Reimpostare la password",
                """1. Nella pagina di accesso, seleziona **Password dimenticata?**
2. Inserisci l'indirizzo email del tuo account.
3. Apri l'email *Reimposta la password Acme* e segui il link. È valido per **60 minuti**.
4. Scegli una nuova password di almeno 10 caratteri.

## L'email non arriva

- Controlla le cartelle spam e *Promozioni*.
- Verifica che sia l'indirizzo con cui ti sei registrato (è nelle conferme d'ordine).
- Aspetta cinque minuti prima di richiederla: ogni nuova richiesta annulla il link precedente.

Ancora niente? Apri una chat: dopo aver verificato la tua identità, un operatore può
rinviarti il link.""",
            ),
            "bg": (
                "Смяна на забравена парола",
                """1. На страницата за вход изберете **Забравена парола?**
2. Въведете имейла на профила си.
3. Отворете имейла *Нова парола за Acme* и последвайте линка. Той важи **60 минути**.
4. Изберете нова парола с поне 10 знака.

## Имейлът не пристига

- Проверете папките „Спам“ и „Промоции“.
- Уверете се, че това е адресът, с който сте се регистрирали (вижда се в потвържденията на поръчки).
- Изчакайте пет минути, преди да поискате пак: всяка нова заявка отменя предишния линк.

Пак нищо? Пишете ни в чата: след проверка на самоличността агент може да изпрати линка отново.""",
            ),
        },
    },
    {
        "key": "cant-log-in",
        "category": "account",
        "tags": ["account", "login"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [3],
        "views": 6,
        "texts": {
            "en": (
                "I can't sign in to my account",
                """## Check the basics

- Sign in with your **email address**, not your name or order number.
- Passwords are case-sensitive: check Caps Lock.
- If you created the account with Google or Apple, use that button instead.

## Account locked

After **5 wrong passwords** the account locks for 30 minutes. Wait, then reset your
password (see *Reset your password*).

## Keeps signing you out

Allow cookies for acme.example and make sure your device's date and time are set
automatically. Private browsing signs you out when the window closes.""",
            ),
            "pt-br": (
                "Não consigo entrar na minha conta",
                """## Confira o básico

- Entre com o seu **e-mail**, não com o nome ou o número do pedido.
- A senha diferencia maiúsculas e minúsculas: confira o Caps Lock.
- Se você criou a conta com Google ou Apple, use esse botão.

## Conta bloqueada

Depois de **5 senhas erradas** a conta fica bloqueada por 30 minutos. Espere e redefina a
senha (veja *Redefinir a senha*).

## Fica me desconectando

Permita cookies para acme.example e deixe a data e a hora do aparelho no automático. A
navegação anônima desconecta quando a janela é fechada.""",
            ),
            "it": (
                "Non riesco ad accedere al mio account",
                """## Controlla le basi

- Accedi con il tuo **indirizzo email**, non con il nome o il numero d'ordine.
- La password distingue maiuscole e minuscole: controlla il Bloc Maiusc.
- Se hai creato l'account con Google o Apple, usa quel pulsante.

## Account bloccato

Dopo **5 password errate** l'account si blocca per 30 minuti. Aspetta, poi reimposta la
password (vedi *Reimpostare la password*).

## Continua a disconnettermi

Consenti i cookie per acme.example e imposta data e ora del dispositivo in automatico. La
navigazione privata ti disconnette quando chiudi la finestra.""",
            ),
            "bg": (
                "Не мога да вляза в профила си",
                """## Проверете основното

- Влизайте с **имейла си**, не с името или номера на поръчка.
- Паролата различава главни и малки букви: проверете Caps Lock.
- Ако сте създали профила с Google или Apple, използвайте съответния бутон.

## Блокиран профил

След **5 грешни пароли** профилът се блокира за 30 минути. Изчакайте и сменете паролата
(вижте *Смяна на забравена парола*).

## Постоянно ме изхвърля

Разрешете бисквитките за acme.example и настройте датата и часа на устройството да са
автоматични. При частно сърфиране излизате, щом затворите прозореца.""",
            ),
        },
    },
    {
        "key": "store-pickup",
        "category": "pickup",
        "tags": ["store pickup", "stores"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "views": 5,
        "texts": {
            "en": (
                "Store pickup: how it works",
                """Choose **Pick up in store** at checkout: it is free.

1. We email you when the order is ready, usually within **2 hours** for items in stock at
   the store, or in 2–3 days for items sent from the warehouse.
2. Come within **7 days** with the pickup code from the email (on your phone is fine) and
   an ID document.
3. Someone else can collect it: forward them the email; they bring their own ID.

Orders not collected after 7 days are refunded automatically.""",
            ),
            "pt-br": (
                "Retirada na loja: como funciona",
                """Escolha **Retirar na loja** no checkout: é grátis.

1. Avisamos por e-mail quando o pedido estiver pronto, normalmente em até **2 horas** para
   itens com estoque na loja, ou em 2 a 3 dias para itens enviados do armazém.
2. Venha em até **7 dias** com o código de retirada do e-mail (pode ser no celular) e um
   documento com foto.
3. Outra pessoa pode retirar: encaminhe o e-mail para ela; ela traz o próprio documento.

Pedidos não retirados em 7 dias são reembolsados automaticamente.""",
            ),
            "it": (
                "Ritiro in negozio: come funziona",
                """Scegli **Ritiro in negozio** al momento dell'ordine: è gratuito.

1. Ti avvisiamo via email quando l'ordine è pronto, di solito entro **2 ore** per gli
   articoli disponibili in negozio, o in 2–3 giorni per quelli spediti dal magazzino.
2. Vieni entro **7 giorni** con il codice di ritiro dell'email (va bene sul telefono) e un
   documento d'identità.
3. Può ritirarlo un'altra persona: inoltrale l'email; porta il proprio documento.

Gli ordini non ritirati entro 7 giorni vengono rimborsati automaticamente.""",
            ),
            "bg": (
                "Вземане от магазин: как работи",
                """Изберете **Вземане от магазин** при поръчката: безплатно е.

1. Пишем ви, когато поръчката е готова — обикновено до **2 часа** за наличните в магазина
   артикули или след 2–3 дни за изпратените от склада.
2. Елате до **7 дни** с кода за получаване от имейла (може и от телефона) и документ за
   самоличност.
3. Може да я вземе и друг човек: препратете му имейла; той носи своя документ.

Поръчките, невзети до 7 дни, се възстановяват автоматично.""",
            ),
        },
    },
    {
        "key": "warranty",
        "category": "warranty",
        "tags": ["warranty"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "views": 4,
        "texts": {
            "en": (
                "Warranty: what is covered",
                """Everything we sell has the **legal guarantee of 3 years** in the EU, counted
from delivery.

## Covered

- Faults in materials or manufacture (a zip that breaks, a screen that stops working).
- Items that do not do what the description says.

## Not covered

- Damage from a fall, water or misuse.
- Normal wear (soles, batteries that hold less charge after years).

## How to claim

Start a chat or bring the item to a store with the order number. We repair it, replace it
or refund it; if a repair takes more than 30 days you can choose a refund instead.""",
            ),
            "pt-br": (
                "Garantia: o que está coberto",
                """Tudo o que vendemos tem a **garantia legal de 3 anos** na UE, contada a partir
da entrega.

## Coberto

- Defeitos de material ou fabricação (um zíper que quebra, uma tela que para de funcionar).
- Itens que não fazem o que a descrição diz.

## Não coberto

- Danos por queda, água ou mau uso.
- Desgaste normal (solas, baterias que seguram menos carga depois de anos).

## Como acionar

Abra um chat ou leve o item a uma loja com o número do pedido. Consertamos, trocamos ou
reembolsamos; se o reparo levar mais de 30 dias, você pode escolher o reembolso.""",
            ),
            "it": (
                "Garanzia: cosa copre",
                """Tutto ciò che vendiamo ha la **garanzia legale di 3 anni** nell'UE, dalla
consegna.

## Coperto

- Difetti di materiali o di fabbricazione (una zip che si rompe, uno schermo che smette di funzionare).
- Articoli che non fanno quanto indicato nella descrizione.

## Non coperto

- Danni da cadute, acqua o uso improprio.
- Usura normale (suole, batterie che dopo anni durano meno).

## Come richiederla

Apri una chat o porta l'articolo in negozio con il numero d'ordine. Lo ripariamo, lo
sostituiamo o lo rimborsiamo; se la riparazione richiede più di 30 giorni puoi scegliere il
rimborso.""",
            ),
            "bg": (
                "Гаранция: какво покрива",
                """Всичко, което продаваме, има **законова гаранция от 3 години** в ЕС, считано от
доставката.

## Покрива

- Дефекти в материалите или изработката (цип, който се скъсва, екран, който спира да работи).
- Артикули, които не отговарят на описанието.

## Не покрива

- Повреди от падане, вода или неправилна употреба.
- Нормално износване (подметки, батерии, които след години държат по-малко).

## Как да предявите рекламация

Пишете ни в чата или донесете артикула в магазин с номера на поръчката. Ремонтираме,
заменяме или връщаме парите; ако ремонтът отнеме над 30 дни, можете да изберете
възстановяване.""",
            ),
        },
    },
    {
        "key": "damaged-item",
        "category": "warranty",
        "tags": ["damaged item", "delivery"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [1],
        "views": 5,
        "texts": {
            "en": (
                "My item arrived damaged",
                """We're sorry! Please:

1. Take two or three photos: the item, the damage and the outside of the box.
2. Keep the packaging for a few days in case the carrier collects it.
3. Start a chat with the order number and the photos, within **14 days** of delivery.

We send a replacement straight away (no need to return the damaged one first), or refund
you if the item is out of stock.""",
            ),
            "pt-br": (
                "Meu item chegou danificado",
                """Sentimos muito! Por favor:

1. Tire duas ou três fotos: o item, o dano e a caixa por fora.
2. Guarde a embalagem por alguns dias, caso a transportadora venha buscar.
3. Abra um chat com o número do pedido e as fotos, em até **14 dias** após a entrega.

Enviamos outro na hora (não precisa devolver o danificado antes) ou reembolsamos se o item
estiver sem estoque.""",
            ),
            "it": (
                "Il mio articolo è arrivato danneggiato",
                """Ci dispiace! Per favore:

1. Scatta due o tre foto: l'articolo, il danno e l'esterno della scatola.
2. Conserva l'imballo per qualche giorno, nel caso il corriere venga a ritirarlo.
3. Apri una chat con il numero d'ordine e le foto, entro **14 giorni** dalla consegna.

Ti spediamo subito un sostituto (senza dover prima rendere quello danneggiato) o ti
rimborsiamo se l'articolo non è disponibile.""",
            ),
            "bg": (
                "Артикулът пристигна повреден",
                """Съжаляваме! Моля:

1. Направете две-три снимки: артикула, повредата и кутията отвън.
2. Запазете опаковката няколко дни, ако куриерът дойде да я вземе.
3. Пишете ни в чата с номера на поръчката и снимките до **14 дни** след доставката.

Изпращаме нов веднага (без да връщате повредения преди това) или връщаме парите, ако
артикулът е изчерпан.""",
            ),
        },
    },
    {
        "key": "exchange-size",
        "category": "returns",
        "tags": ["returns", "exchange"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [4],
        "views": 5,
        "texts": {
            "en": (
                "Exchange an item for another size",
                """The quickest way is an **exchange in store**: bring the item with its labels
and the order email to any Acme store; if your size is there, you leave with it.

Online, return the item (see *How to return an item*) and place a new order: that way the
new size is reserved for you straight away instead of waiting for the return to arrive.""",
            ),
            "pt-br": (
                "Trocar um item por outro tamanho",
                """O jeito mais rápido é a **troca na loja**: leve o item com as etiquetas e o
e-mail do pedido a qualquer loja Acme; se o seu tamanho estiver lá, você já sai com ele.

Pela internet, devolva o item (veja *Como devolver um item*) e faça um novo pedido: assim o
novo tamanho fica reservado na hora, sem esperar a devolução chegar.""",
            ),
        },
    },
    {
        "key": "gift-cards",
        "category": "payments",
        "tags": ["vouchers", "gift cards"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "views": 3,
        "texts": {
            "en": (
                "Gift cards and vouchers",
                """- Gift cards are valid for **2 years** and can be used online and in stores.
- Enter the code at checkout under **Gift card or voucher**; what is left stays on the card.
- Vouchers from customer service are valid for 6 months, one per order.
- Check a balance under **My account → Gift cards**.

A lost gift card bought online can be sent again to the email it was bought with.""",
            ),
            "it": (
                "Carte regalo e buoni",
                """- Le carte regalo valgono **2 anni** e si usano online e in negozio.
- Inserisci il codice al pagamento in **Carta regalo o buono**; il resto rimane sulla carta.
- I buoni del servizio clienti valgono 6 mesi, uno per ordine.
- Controlla il saldo in **Il mio account → Carte regalo**.

Una carta regalo persa, acquistata online, può essere rinviata all'email usata per l'acquisto.""",
            ),
        },
    },
    {
        "key": "invoices",
        "category": "payments",
        "tags": ["invoices", "payments"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [0],
        "views": 3,
        "texts": {
            "en": (
                "Invoices for your order",
                """Every order has an invoice in PDF under **My orders → Invoice**, available once
the order ships.

Need a company name or VAT number on it? Add them under **My account → Billing details**
*before* ordering; an invoice that was already issued can be corrected once by chat within
30 days.""",
            ),
            "pt-br": (
                "Faturas do seu pedido",
                """Todo pedido tem uma fatura em PDF em **Meus pedidos → Fatura**, disponível
quando o pedido é enviado.

Precisa do nome da empresa ou do NIF nela? Cadastre em **Minha conta → Dados de faturamento**
*antes* de fazer o pedido; uma fatura já emitida pode ser corrigida uma vez pelo chat em até
30 dias.""",
            ),
        },
    },
    {
        "key": "delete-account",
        "category": "account",
        "tags": ["account", "privacy"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "views": 2,
        "texts": {
            "en": (
                "Delete your account and data",
                """Go to **My account → Privacy → Delete my account**. We ask you to confirm by
email, then delete your profile, addresses and saved cards within 30 days.

We keep invoices for the period the tax law requires (10 years), without using them for
anything else. Open orders and returns must be finished first.""",
            ),
            "bg": (
                "Изтриване на профила и данните",
                """Отворете **Моят профил → Поверителност → Изтрий профила ми**. Ще ви помолим да
потвърдите по имейл, след което до 30 дни изтриваме профила, адресите и запазените карти.

Фактурите пазим толкова, колкото изисква данъчният закон (10 години), без да ги използваме
за друго. Отворените поръчки и връщания трябва първо да приключат.""",
            ),
        },
    },
    {
        "key": "update-details",
        "category": "account",
        "tags": ["account"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [],
        "views": 2,
        "texts": {
            "en": (
                "Update your address and contact details",
                """Under **My account → Addresses** you can add several delivery addresses and
choose the default one. The email and phone number are under **My account → Profile**;
changing the email asks you to confirm the new one.

An address change applies to new orders only: for an order already placed, see *Change or
cancel an order*.""",
            ),
        },
    },
    {
        "key": "business-orders",
        "category": "orders",
        "tags": ["orders", "business"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "views": 1,
        "texts": {
            "en": (
                "Ordering for a business",
                """Companies can open a **business account**: invoices with your VAT number,
payment by bank transfer at 30 days, and one account for several buyers.

## How to apply

1. Fill in the form at *acme.example/business* with the company's details.
2. We check them within 2 working days and email you the sign-in.
3. Add your colleagues under **Company → Buyers**.

Orders over 2,000 € get a quote from our sales team first.""",
            ),
        },
    },
    {
        "key": "missing-item",
        "category": "delivery",
        "tags": ["delivery", "missing item"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [1],
        "views": 3,
        "texts": {
            "en": (
                "An item is missing from my parcel",
                """Large orders can arrive in **several parcels**: the order email lists which
item travels in which one. If everything should be in this parcel and something is missing,
start a chat within 14 days with a photo of the contents and the packing slip. We send the
missing item at no cost.""",
            ),
            "it": (
                "Manca un articolo nel pacco",
                """Gli ordini grandi possono arrivare in **più pacchi**: l'email dell'ordine indica
quale articolo viaggia in quale pacco. Se tutto doveva essere in questo pacco e manca
qualcosa, apri una chat entro 14 giorni con una foto del contenuto e della distinta di
imballaggio. Ti spediamo l'articolo mancante senza costi.""",
            ),
        },
    },
    {
        "key": "two-step",
        "category": "account",
        "tags": ["account", "security"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "admin",
        "scenarios": [3],
        "views": 2,
        "texts": {
            "en": (
                "Two-step sign-in",
                """Turn it on under **My account → Security**: after the password we ask for a
6-digit code from an authenticator app or a text message.

Lost your phone? Use one of the **backup codes** you saved when you turned it on. Without
them, our agents can switch two-step sign-in off after a full identity check (order email,
postcode and the last order number).""",
            ),
        },
    },
    {
        "key": "repairs",
        "category": "warranty",
        "tags": ["warranty", "repairs"],
        "audience": "public",
        "status": "published",
        "lang": "en",
        "author": "manager",
        "scenarios": [],
        "views": 1,
        "texts": {
            "en": (
                "Repairs outside the warranty",
                """We repair electronics and small appliances after the warranty too:

1. Bring the item to a store or request a collection by chat.
2. We send you a **free quote** within 5 working days.
3. Accept it and we repair it within 15 working days; decline it and we send the item back
   for 9.90 €.

Repairs carry their own 6-month guarantee.""",
            ),
        },
    },
    {
        "key": "price-drop",
        "category": "payments",
        "tags": ["prices"],
        "audience": "public",
        "status": "draft",
        "lang": "en",
        "author": "manager",
        "scenarios": [],
        "views": 0,
        "texts": {
            "en": (
                "Price dropped after I ordered",
                """If the price of an item falls within **14 days** of your order, we refund the
difference as a voucher. Start a chat with the order number and a link to the product.

*To confirm with Finance: does this apply to items bought in the sales?*""",
            ),
        },
    },
    {
        "key": "large-returns",
        "category": "returns",
        "tags": ["returns", "large items"],
        "audience": "public",
        "status": "draft",
        "lang": "en",
        "author": "admin",
        "scenarios": [],
        "views": 0,
        "texts": {
            "en": (
                "Returning large items",
                """Furniture and appliances are collected from your home: request the return in
**My orders** and the carrier calls you to agree a slot. The item must be packed (the
original box is not needed); the collection is free within 30 days.""",
            ),
        },
    },
    {
        "key": "mbway",
        "category": "payments",
        "tags": ["payments", "MB WAY"],
        "audience": "public",
        "status": "published",
        "lang": "pt-br",
        "author": "lisbon.lead",
        "scenarios": [],
        "views": 3,
        "texts": {
            "pt-br": (
                "Pagar com MB WAY ou referência Multibanco",
                """## MB WAY

1. No checkout, escolha **MB WAY** e informe o número de celular associado.
2. Aprove o pagamento no app MB WAY em até **4 minutos**.
3. O pedido é confirmado na hora.

## Referência Multibanco

Você recebe entidade, referência e valor por e-mail. Pague em qualquer caixa Multibanco ou
no app do banco em até **48 horas**; depois disso o pedido é cancelado automaticamente e os
itens voltam ao estoque.""",
            ),
            "en": (
                "Paying with MB WAY or a Multibanco reference",
                """## MB WAY

1. At checkout, choose **MB WAY** and enter the mobile number linked to it.
2. Approve the payment in the MB WAY app within **4 minutes**.
3. The order is confirmed straight away.

## Multibanco reference

You receive the entity, reference and amount by email. Pay at any Multibanco ATM or in your
banking app within **48 hours**; after that the order is cancelled automatically and the
items go back into stock.""",
            ),
        },
    },
    {
        "key": "pickup-portugal",
        "category": "pickup",
        "tags": ["store pickup", "stores", "Portugal"],
        "audience": "public",
        "status": "published",
        "lang": "pt-br",
        "author": "porto.lead",
        "scenarios": [],
        "views": 2,
        "texts": {
            "pt-br": (
                "Lojas em Lisboa e Porto: horários de retirada",
                """| Loja | Segunda a sábado | Domingo |
|---|---|---|
| Lisboa Chiado | 10h–21h | 11h–19h |
| Lisboa Belém | 10h–20h | fechada |
| Porto Ribeira | 10h–21h | 11h–19h |
| Porto Boavista | 10h–20h | fechada |

O balcão de retirada fica no térreo, ao lado dos caixas. Em dias de grande movimento (Black
Friday, Natal), use a fila **Retiradas**, que é mais rápida.""",
            ),
            "en": (
                "Stores in Lisbon and Porto: pickup hours",
                """| Store | Monday to Saturday | Sunday |
|---|---|---|
| Lisbon Chiado | 10:00–21:00 | 11:00–19:00 |
| Lisbon Belém | 10:00–20:00 | closed |
| Porto Ribeira | 10:00–21:00 | 11:00–19:00 |
| Porto Boavista | 10:00–20:00 | closed |

The pickup desk is on the ground floor, next to the tills. On busy days (Black Friday,
Christmas), use the **Pickups** queue: it is faster.""",
            ),
        },
    },
    {
        "key": "e-invoice-it",
        "category": "payments",
        "tags": ["invoices", "Italy"],
        "audience": "public",
        "status": "published",
        "lang": "it",
        "author": "milan.lead",
        "scenarios": [0],
        "views": 2,
        "texts": {
            "it": (
                "Fattura elettronica per privati e aziende",
                """Per gli ordini spediti in Italia emettiamo la **fattura elettronica** tramite lo
SdI.

- **Privati**: inserisci il codice fiscale in **Il mio account → Dati di fatturazione**; la
  fattura arriva nel tuo cassetto fiscale e in PDF in **I miei ordini**.
- **Aziende**: inserisci partita IVA e codice destinatario (o PEC) *prima* dell'ordine.

Una fattura già emessa non si può modificare: possiamo emettere una nota di credito e una
nuova fattura entro lo stesso mese.""",
            ),
            "en": (
                "E-invoices in Italy, for people and companies",
                """For orders shipped to Italy we issue an **electronic invoice** through the SdI.

- **People**: enter your tax code under **My account → Billing details**; the invoice reaches
  your tax inbox and is in PDF under **My orders**.
- **Companies**: enter the VAT number and recipient code (or PEC) *before* ordering.

An invoice already issued cannot be edited: we can issue a credit note and a new invoice
within the same month.""",
            ),
        },
    },
    {
        "key": "pickup-italy",
        "category": "pickup",
        "tags": ["store pickup", "stores", "Italy"],
        "audience": "public",
        "status": "published",
        "lang": "it",
        "author": "rome.lead",
        "scenarios": [],
        "views": 1,
        "texts": {
            "it": (
                "Negozi di Milano e Roma: orari di ritiro",
                """| Negozio | Lunedì–sabato | Domenica |
|---|---|---|
| Milano Duomo | 9:30–21:00 | 10:00–20:00 |
| Milano Navigli | 10:00–20:00 | chiuso |
| Roma Trastevere | 10:00–20:00 | 11:00–19:00 |
| Roma Prati | 9:30–20:30 | chiuso |

Il banco ritiri è al piano terra. Porta il codice di ritiro e un documento: senza documento
non possiamo consegnare l'ordine.""",
            ),
        },
    },
    {
        "key": "cod-bg",
        "category": "payments",
        "tags": ["payments", "cash on delivery", "Bulgaria"],
        "audience": "public",
        "status": "published",
        "lang": "bg",
        "author": "sofia.lead",
        "scenarios": [],
        "views": 3,
        "texts": {
            "bg": (
                "Наложен платеж: как работи",
                """Изберете **Наложен платеж** при поръчката и платете на куриера при доставка —
в брой или с карта.

- Такса: **1,50 €**, до 500 € на поръчка.
- Проверете пратката пред куриера, преди да платите: при повреда откажете да я приемете.
- При връщане на артикул, платен с наложен платеж, парите се възстановяват по банков път:
  изпратете ни IBAN в чата.""",
            ),
            "en": (
                "Cash on delivery: how it works",
                """Choose **Cash on delivery** at checkout and pay the courier on delivery, in cash
or by card.

- Fee: **1.50 €**, up to 500 € per order.
- Check the parcel in front of the courier before paying: if it is damaged, refuse it.
- When you return an item paid on delivery, the refund is a bank transfer: send us your IBAN
  in the chat.""",
            ),
        },
    },
    {
        "key": "returns-bg-stores",
        "category": "returns",
        "tags": ["returns", "stores", "Bulgaria"],
        "audience": "public",
        "status": "published",
        "lang": "bg",
        "author": "plovdiv.lead",
        "scenarios": [2],
        "views": 2,
        "texts": {
            "bg": (
                "Връщане в магазин в София и Пловдив",
                """Можете да върнете онлайн поръчка във всеки наш магазин в София (Център,
Младост) и Пловдив (Стария град, Тракия).

1. Носете артикула с етикетите и QR кода от имейла.
2. Служителят сканира кода и ви дава разписка.
3. При плащане с карта парите се връщат до 3–5 работни дни; при наложен платеж — с превод.""",
            ),
            "en": (
                "Returning in a store in Sofia and Plovdiv",
                """You can return an online order at any of our stores in Sofia (Center, Mladost)
and Plovdiv (Old Town, Trakia).

1. Bring the item with its labels and the QR code from the email.
2. The staff scan the code and give you a receipt.
3. Card payments are refunded within 3–5 working days; cash on delivery by bank transfer.""",
            ),
        },
    },
]
