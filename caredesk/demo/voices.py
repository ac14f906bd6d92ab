"""What the demo's customers write outside chats and calls, in the languages of the stores
they come from: survey verbatims that fit their score (an NPS 0–6 complains, a 9–10 praises),
the comment a ticket was opened with, and emails with the agent's reply.

Keys are the demo's language codes (as in caredesk.demo.texts.LINES): en, pt-br, it, bg. The
words the demo taxonomy (caredesk.demo.taxonomy) looks for occur in these texts on purpose,
so the Conversations tab shows topics on first start."""

# A store's country → the language its customers write in (some write in English).
COUNTRY_LANGUAGE = {"Portugal": "pt-br", "Italy": "it", "Bulgaria": "bg"}
ENGLISH_SHARE = 0.2

VERBATIMS = {
    "en": {
        "detractor": [
            "I was charged twice for the same order and nobody answers my emails.",
            "Delivery arrived two days late and nobody told me. Terrible service.",
            "Refund still not processed after three weeks. I want to cancel my account.",
            "The app keeps logging me out during checkout, I could not log in for days.",
            "Product broke after one week, poor quality. I want a refund.",
            "Waited 40 minutes on hold and nobody answers. Awful.",
            "The parcel arrived damaged and the carrier refused to take it back.",
            "Very disappointed, the store staff were rude and the queue was endless.",
            "I asked three times for a manager and still no answer. I will cancel.",
            "Too expensive for this quality, the price went up again.",
        ],
        "passive": [
            "Delivery was fine, but the app could be easier to use.",
            "Good products, a bit expensive. The queue at the store was long.",
            "The refund came in the end, it just took a while.",
            "OK overall, the staff were friendly but the wait was long.",
            "Decent service, the login problem was fixed after a second try.",
        ],
        "promoter": [
            "Great service, the staff were really helpful and friendly!",
            "Fast delivery and excellent quality, thank you so much.",
            "The agent solved my billing problem in minutes, brilliant.",
            "Love the store in Chiado, friendly staff and no queue.",
            "Refund processed the same day, excellent support.",
            "Always a pleasure, great prices and a helpful team.",
            "Very helpful on the phone, thank you so much for the voucher!",
        ],
    },
    "pt-br": {
        "detractor": [
            "Fui cobrado duas vezes pelo mesmo pedido e ninguém atende.",
            "A entrega chegou com dois dias de atraso e ninguém me avisou. Péssimo.",
            "O reembolso ainda não foi feito depois de três semanas. Quero cancelar a conta.",
            "O aplicativo fica me desconectando, não consigo entrar na minha conta.",
            "O produto quebrou depois de uma semana, qualidade horrível. Quero o reembolso.",
            "Esperei 40 minutos na linha e ninguém atende. Uma vergonha.",
            "O pacote chegou danificado e a transportadora não quis levar de volta.",
            "Muito decepcionado, os funcionários da loja foram grosseiros e a fila enorme.",
            "Pedi três vezes para falar com o gerente e nada. Vou cancelar.",
            "Caro demais para essa qualidade, o preço subiu de novo.",
        ],
        "passive": [
            "A entrega foi normal, mas o aplicativo podia ser mais simples.",
            "Bons produtos, um pouco caros. A fila na loja estava grande.",
            "O reembolso chegou no fim, só demorou.",
            "No geral ok, os funcionários foram simpáticos mas a espera foi longa.",
            "Atendimento razoável, o problema de login foi resolvido na segunda tentativa.",
        ],
        "promoter": [
            "Ótimo atendimento, funcionários muito atenciosos e simpáticos!",
            "Entrega rápida e excelente qualidade, muito obrigado.",
            "O atendente resolveu a cobrança em minutos, excelente.",
            "Adoro a loja do Chiado, equipe simpática e sem fila.",
            "Reembolso feito no mesmo dia, atendimento excelente.",
            "Sempre um prazer, bons preços e uma equipe prestativa.",
            "Muito atencioso ao telefone, obrigado pelo vale!",
        ],
    },
    "it": {
        "detractor": [
            "Mi avete addebitato due volte lo stesso ordine e nessuno risponde.",
            "La consegna è arrivata in ritardo di due giorni e nessuno mi ha avvisato. Pessimo.",
            "Il rimborso non è ancora arrivato dopo tre settimane. Voglio disdire l'account.",
            "L'app continua a disconnettermi, non riesco ad accedere al mio account.",
            "Il prodotto si è rotto dopo una settimana, qualità scadente. Voglio il rimborso.",
            "Ho aspettato 40 minuti in attesa e nessuno risponde. Vergognoso.",
            "Il pacco è arrivato danneggiato e il corriere non l'ha ripreso.",
            "Molto deluso, il personale del negozio è stato scortese e la coda infinita.",
            "Ho chiesto tre volte di parlare con un responsabile e niente. Disdico.",
            "Troppo caro per questa qualità, il prezzo è aumentato di nuovo.",
        ],
        "passive": [
            "La consegna è andata bene, ma l'app potrebbe essere più semplice.",
            "Buoni prodotti, un po' cari. La coda in negozio era lunga.",
            "Il rimborso è arrivato alla fine, ci è voluto un po'.",
            "Nel complesso ok, il personale gentile ma l'attesa lunga.",
            "Servizio discreto, il problema di accesso è stato risolto al secondo tentativo.",
        ],
        "promoter": [
            "Servizio ottimo, il personale è stato davvero gentile e disponibile!",
            "Consegna veloce e qualità eccellente, grazie mille.",
            "L'operatore ha risolto l'addebito in pochi minuti, bravissimo.",
            "Adoro il negozio del Duomo, personale gentile e nessuna coda.",
            "Rimborso fatto in giornata, assistenza eccellente.",
            "Sempre un piacere, prezzi buoni e un team disponibile.",
            "Molto gentile al telefono, grazie mille per il buono!",
        ],
    },
    "bg": {
        "detractor": [
            "Таксуваха ме два пъти за една и съща поръчка и никой не отговаря.",
            "Доставката закъсня с два дни и никой не ме уведоми. Ужасно обслужване.",
            "Възстановяването още не е направено след три седмици. Искам да откажа профила си.",
            "Приложението постоянно ме изхвърля, не мога да вляза в профила си.",
            "Продуктът се счупи след седмица, лошо качество. Искам възстановяване.",
            "Чаках 40 минути на линия и никой не отговаря. Срамота.",
            "Пратката пристигна повредена и куриерът отказа да я вземе обратно.",
            "Много съм разочарован, персоналът в магазина беше груб, а опашката безкрайна.",
            "Три пъти поисках да говоря с управител и нищо. Ще се откажа.",
            "Твърде скъпо за това качество, цената пак се вдигна.",
        ],
        "passive": [
            "Доставката беше наред, но приложението може да е по-лесно.",
            "Добри продукти, малко скъпи. Опашката в магазина беше дълга.",
            "Възстановяването дойде накрая, просто отне време.",
            "Като цяло добре, персоналът беше любезен, но чакането дълго.",
            "Прилично обслужване, проблемът с входа се оправи от втория опит.",
        ],
        "promoter": [
            "Страхотно обслужване, персоналът беше много любезен и отзивчив!",
            "Бърза доставка и отлично качество, много благодаря.",
            "Операторът оправи плащането за минути, браво.",
            "Обичам магазина в центъра, любезен персонал и без опашка.",
            "Възстановяването стана още същия ден, отлична поддръжка.",
            "Винаги е удоволствие, добри цени и отзивчив екип.",
            "Много любезни по телефона, благодаря за ваучера!",
        ],
    },
}

# What a customer wrote when a store opened a ticket for them.
TICKET_COMMENTS = {
    "en": VERBATIMS["en"]["detractor"]
    + [
        "Please change the delivery address of my order.",
        "How do I reset my password? The link does not arrive.",
        "I want to cancel my order before it ships.",
    ],
    "pt-br": VERBATIMS["pt-br"]["detractor"]
    + [
        "Por favor alterem o endereço de entrega do meu pedido.",
        "Como recupero a senha? O link não chega.",
        "Quero cancelar o pedido antes do envio.",
    ],
    "it": VERBATIMS["it"]["detractor"]
    + [
        "Per favore cambiate l'indirizzo di consegna del mio ordine.",
        "Come reimposto la password? Il link non arriva.",
        "Voglio annullare l'ordine prima della spedizione.",
    ],
    "bg": VERBATIMS["bg"]["detractor"]
    + [
        "Моля, сменете адреса за доставка на поръчката ми.",
        "Как да сменя паролата си? Линкът не пристига.",
        "Искам да откажа поръчката преди изпращане.",
    ],
}

# (subject, the customer's email, the agent's reply); {customer} {agent} {order} as in LINES.
EMAILS = {
    "en": [
        (
            "Charged twice for order {order}",
            "Hello,\n\nI was charged twice for order {order}, 49.90 each. Please refund the "
            "second charge. This is the second time I write about it.\n\n{customer}",
            "Dear {customer},\n\nI'm sorry about the double charge. I've refunded the second "
            "charge; it shows on your card in 2–3 days.\n\nKind regards,\n{agent}",
        ),
        (
            "Where is my parcel?",
            "Hi,\n\nMy delivery for order {order} is four days late and the carrier's tracking "
            "has not moved. Nobody told me anything. Very frustrating.\n\n{customer}",
            "Hello {customer},\n\nThe parcel was held at the depot; it is rebooked for "
            "tomorrow and the delivery fee is refunded.\n\nBest,\n{agent}",
        ),
        (
            "Cannot log in",
            "Hello,\n\nI can't log in to my account since yesterday, the password reset link "
            "never arrives. I need my invoices.\n\n{customer}",
            "Hi {customer},\n\nI've reset your login; the new link is in your inbox now. Your "
            "invoices are under Orders.\n\nRegards,\n{agent}",
        ),
        (
            "Cancel my account",
            "Hello,\n\nPlease cancel my account and my newsletter. After the refund problems "
            "I do not want to shop with you again. I want to speak to a manager.\n\n{customer}",
            "Dear {customer},\n\nI'm sorry to read this. Our store manager will call you "
            "today; your account stays open until you confirm.\n\nKind regards,\n{agent}",
        ),
        (
            "Thank you!",
            "Hi,\n\nJust wanted to say thank you: the staff at the store were really helpful "
            "and the new sofa is great quality.\n\n{customer}",
            "Dear {customer},\n\nThank you so much for the kind words, I've passed them on to "
            "the store team!\n\n{agent}",
        ),
    ],
    "pt-br": [
        (
            "Cobrado duas vezes pelo pedido {order}",
            "Olá,\n\nFui cobrado duas vezes pelo pedido {order}, 49,90 cada. Por favor estornem "
            "a segunda cobrança. É a segunda vez que escrevo sobre isso.\n\n{customer}",
            "Prezado(a) {customer},\n\nSinto muito pela cobrança em dobro. Estornei a segunda "
            "cobrança; aparece no seu cartão em 2 a 3 dias.\n\nAtenciosamente,\n{agent}",
        ),
        (
            "Onde está meu pacote?",
            "Oi,\n\nA entrega do pedido {order} está quatro dias atrasada e o rastreio da "
            "transportadora não anda. Ninguém me avisou nada. Muito frustrante.\n\n{customer}",
            "Olá {customer},\n\nO pacote ficou retido no depósito; reagendei para amanhã e "
            "devolvi a taxa de entrega.\n\nAbraço,\n{agent}",
        ),
        (
            "Não consigo entrar",
            "Olá,\n\nNão consigo entrar na minha conta desde ontem, o link para trocar a senha "
            "nunca chega. Preciso das minhas faturas.\n\n{customer}",
            "Oi {customer},\n\nRedefini o seu acesso; o novo link já está no seu e-mail. As "
            "faturas estão em Pedidos.\n\nAtenciosamente,\n{agent}",
        ),
        (
            "Cancelar minha conta",
            "Olá,\n\nPor favor cancelem a minha conta e a newsletter. Depois dos problemas com "
            "o reembolso não quero comprar mais. Quero falar com o gerente.\n\n{customer}",
            "Prezado(a) {customer},\n\nLamento muito. O gerente da loja vai ligar hoje; a sua "
            "conta fica aberta até você confirmar.\n\nAtenciosamente,\n{agent}",
        ),
        (
            "Obrigado!",
            "Oi,\n\nSó queria agradecer: os funcionários da loja foram muito atenciosos e o "
            "sofá novo tem ótima qualidade.\n\n{customer}",
            "Olá {customer},\n\nMuito obrigado pelas palavras, já passei para a equipe da "
            "loja!\n\n{agent}",
        ),
    ],
    "it": [
        (
            "Addebitato due volte l'ordine {order}",
            "Buongiorno,\n\nMi avete addebitato due volte l'ordine {order}, 49,90 ciascuno. "
            "Vi prego di stornare il secondo addebito. È la seconda volta che scrivo.\n\n"
            "{customer}",
            "Gentile {customer},\n\nMi dispiace per il doppio addebito. Ho stornato il "
            "secondo addebito; lo vedrai sulla carta in 2–3 giorni.\n\nCordiali saluti,\n"
            "{agent}",
        ),
        (
            "Dov'è il mio pacco?",
            "Ciao,\n\nLa consegna dell'ordine {order} è in ritardo di quattro giorni e il "
            "tracking del corriere è fermo. Nessuno mi ha detto niente. Che frustrazione.\n\n"
            "{customer}",
            "Ciao {customer},\n\nIl pacco era fermo in deposito; l'ho riprogrammato per "
            "domani e ti ho rimborsato la spedizione.\n\nA presto,\n{agent}",
        ),
        (
            "Non riesco ad accedere",
            "Buongiorno,\n\nDa ieri non riesco ad accedere al mio account, il link per la "
            "password non arriva mai. Mi servono le fatture.\n\n{customer}",
            "Ciao {customer},\n\nHo reimpostato il tuo accesso; il nuovo link è già nella tua "
            "casella. Le fatture sono in Ordini.\n\nCordiali saluti,\n{agent}",
        ),
        (
            "Disdire il mio account",
            "Buongiorno,\n\nVi prego di disdire il mio account e la newsletter. Dopo i "
            "problemi con il rimborso non voglio più comprare da voi. Voglio parlare con un "
            "responsabile.\n\n{customer}",
            "Gentile {customer},\n\nMi dispiace molto. Il responsabile del negozio ti "
            "chiamerà oggi; l'account resta aperto finché non confermi.\n\nCordiali saluti,\n"
            "{agent}",
        ),
        (
            "Grazie!",
            "Ciao,\n\nVolevo solo ringraziarvi: il personale del negozio è stato molto gentile "
            "e il divano nuovo è di ottima qualità.\n\n{customer}",
            "Ciao {customer},\n\nGrazie mille per le belle parole, le ho girate al team del "
            "negozio!\n\n{agent}",
        ),
    ],
    "bg": [
        (
            "Таксуван два пъти за поръчка {order}",
            "Здравейте,\n\nТаксуваха ме два пъти за поръчка {order}, по 49,90. Моля, "
            "възстановете второто плащане. Пиша за втори път.\n\n{customer}",
            "Здравейте, {customer},\n\nСъжалявам за двойното плащане. Възстанових второто "
            "плащане; ще се появи по картата ви до 2–3 дни.\n\nПоздрави,\n{agent}",
        ),
        (
            "Къде е пратката ми?",
            "Здравейте,\n\nДоставката на поръчка {order} закъснява с четири дни, а "
            "проследяването на куриера не мърда. Никой не ми каза нищо. Много е "
            "неприятно.\n\n{customer}",
            "Здравейте, {customer},\n\nПратката беше задържана в склада; насрочих я за утре и "
            "ви възстанових таксата за доставка.\n\nПоздрави,\n{agent}",
        ),
        (
            "Не мога да вляза",
            "Здравейте,\n\nОт вчера не мога да вляза в профила си, линкът за нова парола не "
            "пристига. Трябват ми фактурите.\n\n{customer}",
            "Здравейте, {customer},\n\nНулирах входа ви; новият линк вече е в пощата ви. "
            "Фактурите са в Поръчки.\n\nПоздрави,\n{agent}",
        ),
        (
            "Искам да откажа профила си",
            "Здравейте,\n\nМоля, закрийте профила ми и бюлетина. След проблемите с "
            "възстановяването не искам да пазарувам повече при вас. Искам да говоря с "
            "управител.\n\n{customer}",
            "Здравейте, {customer},\n\nСъжалявам много. Управителят на магазина ще ви се обади "
            "днес; профилът остава активен, докато не потвърдите.\n\nПоздрави,\n{agent}",
        ),
        (
            "Благодаря!",
            "Здравейте,\n\nИсках само да благодаря: персоналът в магазина беше много любезен, "
            "а новият диван е с отлично качество.\n\n{customer}",
            "Здравейте, {customer},\n\nМного благодаря за хубавите думи, предадох ги на екипа "
            "на магазина!\n\n{agent}",
        ),
    ],
}
