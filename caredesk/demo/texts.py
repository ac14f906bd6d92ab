"""What the demo's customers and agents say in their chats and calls, in the workspace's
languages. A transcript is put together from these lines so that it shows what its evaluation
says: a greeting by name or not, an identity check or not, a problem resolved, partly or not.

Placeholders: {customer} (first name), {agent} (first name), {order} (order number)."""

LINES = {
    "en": {
        "greet_named": "Hi {customer}, I'm {agent} from Acme Retail. How can I help you today?",
        "greet_plain": "Hello. What's the problem?",
        "verify_ask": "Before I open your account, could you confirm the email address on the "
        "order and your postcode?",
        "verify_reply": "Sure, it's the address I'm writing from, and the postcode is 1200-195.",
        "verify_thanks": "Thank you, that matches.",
        "curt": "As I said, that's how it works.",
        "kind": "I'm sorry about that, I understand it's frustrating. Let me sort it out.",
        "next_steps": "You'll get a confirmation email within the hour; if anything is missing, "
        "just reply to it and it comes straight back to me.",
        "extra_mile": "I've also added a 10 € voucher to your account for the trouble.",
        "bye_happy": "Great, thank you so much!",
        "bye_unhappy": "OK... not really what I hoped for.",
        "call_greeting": "Acme Retail, this is {agent} speaking.",
        "call_disclosure": "Just so you know, this call is recorded for quality purposes.",
        "hold": "Let me put you on hold for a moment while I check.",
        "scenarios": [
            {
                "open": "Hi, I was charged twice for order {order}.",
                "ask": "Can you tell me the date of the two charges?",
                "detail": "Both on Monday, 49.90 each.",
                "outcomes": [
                    "I can see the order but I can't do anything about the charge from here.",
                    "I've reported the double charge to billing; they will confirm the refund "
                    "in 3–5 working days.",
                    "I've refunded the second charge of 49.90 right now; it shows on your card "
                    "in 2–3 days.",
                ],
            },
            {
                "open": "My delivery for order {order} is two days late and nobody told me.",
                "ask": "Which address was it going to?",
                "detail": "Rua Garrett 12, Lisbon.",
                "outcomes": [
                    "The carrier has it; you'll have to wait for their email.",
                    "I've asked the carrier for an update and will write to you as soon as "
                    "they answer.",
                    "The parcel was held at the depot; I've rebooked it for tomorrow morning "
                    "and refunded the delivery fee.",
                ],
            },
            {
                "open": "I returned order {order} three weeks ago and I still have no refund.",
                "ask": "Do you have the return label number?",
                "detail": "Yes, RT-88213.",
                "outcomes": [
                    "Refunds take time, please wait a bit longer.",
                    "The return arrived; I've pushed the refund to the finance team and "
                    "marked it urgent.",
                    "The return was checked in but the refund was stuck; I've released it "
                    "now, 89.00 back on your card.",
                ],
            },
        ],
    },
    "pt-br": {
        "greet_named": "Olá {customer}, aqui é {agent} da Acme Retail. Como posso ajudar?",
        "greet_plain": "Olá. Qual é o problema?",
        "verify_ask": "Antes de abrir sua conta, pode confirmar o e-mail do pedido e o seu "
        "código postal?",
        "verify_reply": "Claro, é o e-mail de onde estou escrevendo, e o código é 1200-195.",
        "verify_thanks": "Obrigado, está tudo certo.",
        "curt": "Como eu disse, é assim que funciona.",
        "kind": "Sinto muito pelo transtorno, entendo a frustração. Vou resolver isso.",
        "next_steps": "Você vai receber um e-mail de confirmação em até uma hora; se faltar "
        "algo, é só responder e volta direto para mim.",
        "extra_mile": "Também adicionei um vale de 10 € na sua conta pelo incômodo.",
        "bye_happy": "Perfeito, muito obrigado!",
        "bye_unhappy": "Tá... não era bem o que eu esperava.",
        "call_greeting": "Acme Retail, {agent} falando.",
        "call_disclosure": "Só para avisar: esta ligação é gravada para fins de qualidade.",
        "hold": "Vou colocar você em espera um momento enquanto verifico.",
        "scenarios": [
            {
                "open": "Oi, fui cobrado duas vezes pelo pedido {order}.",
                "ask": "Pode me dizer a data das duas cobranças?",
                "detail": "As duas na segunda-feira, 49,90 cada.",
                "outcomes": [
                    "Vejo o pedido, mas daqui não consigo fazer nada sobre a cobrança.",
                    "Registrei a cobrança em dobro com o financeiro; eles confirmam o "
                    "reembolso em 3 a 5 dias úteis.",
                    "Estornei agora a segunda cobrança de 49,90; aparece no seu cartão em "
                    "2 a 3 dias.",
                ],
            },
            {
                "open": "A entrega do pedido {order} está dois dias atrasada e ninguém me avisou.",
                "ask": "Para qual endereço era a entrega?",
                "detail": "Rua Garrett 12, Lisboa.",
                "outcomes": [
                    "A transportadora está com ele; tem que esperar o e-mail deles.",
                    "Pedi uma atualização à transportadora e escrevo assim que responderem.",
                    "O pacote ficou retido no depósito; reagendei para amanhã de manhã e "
                    "devolvi a taxa de entrega.",
                ],
            },
            {
                "open": "Devolvi o pedido {order} há três semanas e ainda não recebi o reembolso.",
                "ask": "Tem o número da etiqueta de devolução?",
                "detail": "Sim, RT-88213.",
                "outcomes": [
                    "Reembolsos demoram, aguarde mais um pouco.",
                    "A devolução chegou; encaminhei o reembolso ao financeiro como urgente.",
                    "A devolução foi registrada mas o reembolso travou; liberei agora, 89,00 "
                    "de volta no seu cartão.",
                ],
            },
        ],
    },
    "it": {
        "greet_named": "Ciao {customer}, sono {agent} di Acme Retail. Come posso aiutarti?",
        "greet_plain": "Salve. Qual è il problema?",
        "verify_ask": "Prima di aprire il tuo account, puoi confermarmi l'e-mail dell'ordine "
        "e il CAP?",
        "verify_reply": "Certo, è l'indirizzo da cui scrivo, e il CAP è 20121.",
        "verify_thanks": "Grazie, corrisponde.",
        "curt": "Come ho detto, funziona così.",
        "kind": "Mi dispiace per il disagio, capisco che sia frustrante. Lo sistemo subito.",
        "next_steps": "Riceverai un'e-mail di conferma entro un'ora; se manca qualcosa, "
        "rispondi pure e torna direttamente a me.",
        "extra_mile": "Ti ho anche aggiunto un buono da 10 € sull'account per il disturbo.",
        "bye_happy": "Perfetto, grazie mille!",
        "bye_unhappy": "Va bene... non proprio quello che speravo.",
        "call_greeting": "Acme Retail, sono {agent}.",
        "call_disclosure": "Ti informo che questa chiamata è registrata per motivi di qualità.",
        "hold": "Ti metto in attesa un attimo mentre controllo.",
        "scenarios": [
            {
                "open": "Buongiorno, mi avete addebitato due volte l'ordine {order}.",
                "ask": "Mi dici la data dei due addebiti?",
                "detail": "Tutti e due lunedì, 49,90 ciascuno.",
                "outcomes": [
                    "Vedo l'ordine ma da qui non posso fare nulla per l'addebito.",
                    "Ho segnalato il doppio addebito all'amministrazione; confermeranno il "
                    "rimborso in 3–5 giorni lavorativi.",
                    "Ho stornato subito il secondo addebito di 49,90; lo vedrai sulla carta "
                    "in 2–3 giorni.",
                ],
            },
            {
                "open": "La consegna dell'ordine {order} è in ritardo di due giorni e nessuno "
                "mi ha avvisato.",
                "ask": "A quale indirizzo doveva arrivare?",
                "detail": "Via Torino 5, Milano.",
                "outcomes": [
                    "Ce l'ha il corriere; devi aspettare la loro e-mail.",
                    "Ho chiesto un aggiornamento al corriere e ti scrivo appena rispondono.",
                    "Il pacco era fermo in deposito; l'ho riprogrammato per domattina e ti ho "
                    "rimborsato la spedizione.",
                ],
            },
            {
                "open": "Ho reso l'ordine {order} tre settimane fa e non ho ancora il rimborso.",
                "ask": "Hai il numero dell'etichetta di reso?",
                "detail": "Sì, RT-88213.",
                "outcomes": [
                    "I rimborsi richiedono tempo, aspetta ancora un po'.",
                    "Il reso è arrivato; ho passato il rimborso all'amministrazione come urgente.",
                    "Il reso era registrato ma il rimborso era bloccato; l'ho sbloccato ora, "
                    "89,00 di nuovo sulla tua carta.",
                ],
            },
        ],
    },
    "bg": {
        "greet_named": "Здравейте, {customer}, аз съм {agent} от Acme Retail. С какво да помогна?",
        "greet_plain": "Здравейте. Какъв е проблемът?",
        "verify_ask": "Преди да отворя профила ви, ще потвърдите ли имейла от поръчката и "
        "пощенския си код?",
        "verify_reply": "Разбира се, имейлът е този, от който пиша, а кодът е 1000.",
        "verify_thanks": "Благодаря, съвпада.",
        "curt": "Както казах, така работи.",
        "kind": "Съжалявам за неудобството, разбирам, че е неприятно. Ще го оправя.",
        "next_steps": "До час ще получите имейл с потвърждение; ако нещо липсва, просто "
        "отговорете и писмото идва директно при мен.",
        "extra_mile": "Добавих и ваучер за 10 € в профила ви за неудобството.",
        "bye_happy": "Чудесно, много благодаря!",
        "bye_unhappy": "Добре... не точно това очаквах.",
        "call_greeting": "Acme Retail, на телефона е {agent}.",
        "call_disclosure": "За сведение: разговорът се записва за целите на качеството.",
        "hold": "Ще ви задържа за момент, докато проверя.",
        "scenarios": [
            {
                "open": "Здравейте, таксуваха ме два пъти за поръчка {order}.",
                "ask": "Кажете ми датата на двете плащания?",
                "detail": "И двете в понеделник, по 49,90.",
                "outcomes": [
                    "Виждам поръчката, но оттук не мога да направя нищо за плащането.",
                    "Подадох двойното плащане към счетоводството; ще потвърдят "
                    "възстановяването до 3–5 работни дни.",
                    "Възстанових второто плащане от 49,90 веднага; ще се появи по картата ви "
                    "до 2–3 дни.",
                ],
            },
            {
                "open": "Доставката на поръчка {order} закъснява с два дни и никой не ме уведоми.",
                "ask": "На кой адрес трябваше да пристигне?",
                "detail": "ул. Витоша 20, София.",
                "outcomes": [
                    "Пратката е при куриера; трябва да изчакате техния имейл.",
                    "Поисках информация от куриера и ще ви пиша веднага щом отговорят.",
                    "Пратката беше задържана в склада; насрочих я за утре сутрин и ви "
                    "възстанових таксата за доставка.",
                ],
            },
            {
                "open": "Върнах поръчка {order} преди три седмици и още нямам възстановени пари.",
                "ask": "Имате ли номера на етикета за връщане?",
                "detail": "Да, RT-88213.",
                "outcomes": [
                    "Възстановяванията отнемат време, изчакайте още малко.",
                    "Връщането е получено; пратих възстановяването към финансите като спешно.",
                    "Връщането беше прието, но възстановяването беше блокирало; пуснах го "
                    "сега, 89,00 обратно по картата ви.",
                ],
            },
        ],
    },
}

# What a customer adds when it goes badly (angry, asks for a manager, repeats themselves,
# threatens to cancel) or well (praise), and two more reasons to get in touch: a login
# problem and a cancellation. {open} is the customer's first message.
MOODS = {
    "en": {
        "angry": "This is ridiculous, I've been waiting for days and nobody helps me!",
        "manager": "I want to speak to a manager, please.",
        "repeat": "As I already said: {open}",
        "cancel_threat": "If this is not fixed today I will cancel my account.",
        "praise": "You were really helpful, thank you so much!",
        "scenarios": [
            {
                "open": "I can't log in to my account, the password reset link never arrives.",
                "ask": "Which email address do you log in with?",
                "detail": "The one on order {order}.",
                "outcomes": [
                    "Login problems usually fix themselves, please try again later.",
                    "I've asked the technical team to check your login; they will write to "
                    "you today.",
                    "I've reset your login and sent a new link; you can log in now.",
                ],
            },
            {
                "open": "I want to cancel order {order}, I ordered the wrong size.",
                "ask": "Has the order shipped yet?",
                "detail": "No, it says preparing.",
                "outcomes": [
                    "Once an order is placed we can't cancel it.",
                    "I've asked the warehouse to stop the order; you'll get the cancellation "
                    "confirmation by email.",
                    "Done: the order is cancelled and the full amount refunded to your card.",
                ],
            },
        ],
    },
    "pt-br": {
        "angry": "Isso é um absurdo, estou esperando há dias e ninguém me ajuda!",
        "manager": "Quero falar com o gerente, por favor.",
        "repeat": "Como eu já disse: {open}",
        "cancel_threat": "Se isso não for resolvido hoje vou cancelar a minha conta.",
        "praise": "Você foi muito atencioso, muito obrigado!",
        "scenarios": [
            {
                "open": "Não consigo entrar na minha conta, o link para trocar a senha nunca "
                "chega.",
                "ask": "Com qual e-mail você faz login?",
                "detail": "O do pedido {order}.",
                "outcomes": [
                    "Problemas de login costumam se resolver sozinhos, tente mais tarde.",
                    "Pedi à equipe técnica para verificar o seu login; eles escrevem hoje.",
                    "Redefini o seu login e enviei um novo link; já pode entrar.",
                ],
            },
            {
                "open": "Quero cancelar o pedido {order}, pedi o tamanho errado.",
                "ask": "O pedido já foi enviado?",
                "detail": "Não, está em preparação.",
                "outcomes": [
                    "Depois de feito o pedido não conseguimos cancelar.",
                    "Pedi ao armazém para parar o pedido; a confirmação do cancelamento "
                    "chega por e-mail.",
                    "Pronto: o pedido foi cancelado e o valor total estornado no seu cartão.",
                ],
            },
        ],
    },
    "it": {
        "angry": "È assurdo, aspetto da giorni e nessuno mi aiuta!",
        "manager": "Voglio parlare con un responsabile, per favore.",
        "repeat": "Come ho già detto: {open}",
        "cancel_threat": "Se non lo risolvete oggi disdico l'account.",
        "praise": "Sei stato davvero gentile, grazie mille!",
        "scenarios": [
            {
                "open": "Non riesco ad accedere al mio account, il link per la password non "
                "arriva mai.",
                "ask": "Con quale e-mail fai l'accesso?",
                "detail": "Quella dell'ordine {order}.",
                "outcomes": [
                    "I problemi di accesso di solito si risolvono da soli, riprova più tardi.",
                    "Ho chiesto al team tecnico di controllare il tuo accesso; ti scrivono oggi.",
                    "Ho reimpostato il tuo accesso e ti ho mandato un nuovo link; ora puoi "
                    "accedere.",
                ],
            },
            {
                "open": "Voglio annullare l'ordine {order}, ho sbagliato taglia.",
                "ask": "L'ordine è già stato spedito?",
                "detail": "No, risulta in preparazione.",
                "outcomes": [
                    "Una volta fatto l'ordine non possiamo annullarlo.",
                    "Ho chiesto al magazzino di fermare l'ordine; riceverai la conferma "
                    "dell'annullamento per e-mail.",
                    "Fatto: l'ordine è annullato e l'importo rimborsato sulla tua carta.",
                ],
            },
        ],
    },
    "bg": {
        "angry": "Това е абсурдно, чакам от дни и никой не ми помага!",
        "manager": "Искам да говоря с управител, моля.",
        "repeat": "Както вече казах: {open}",
        "cancel_threat": "Ако това не се оправи днес, ще откажа профила си.",
        "praise": "Бяхте много отзивчив, много благодаря!",
        "scenarios": [
            {
                "open": "Не мога да вляза в профила си, линкът за нова парола не пристига.",
                "ask": "С кой имейл влизате?",
                "detail": "С този от поръчка {order}.",
                "outcomes": [
                    "Проблемите с входа обикновено се оправят сами, опитайте по-късно.",
                    "Помолих техническия екип да провери входа ви; ще ви пишат днес.",
                    "Нулирах входа ви и изпратих нов линк; вече можете да влезете.",
                ],
            },
            {
                "open": "Искам да откажа поръчка {order}, поръчах грешен размер.",
                "ask": "Изпратена ли е вече поръчката?",
                "detail": "Не, пише, че се подготвя.",
                "outcomes": [
                    "След като поръчката е направена, не можем да я откажем.",
                    "Помолих склада да спре поръчката; потвърждението за отказа ще дойде по имейл.",
                    "Готово: поръчката е отказана и цялата сума е възстановена по картата ви.",
                ],
            },
        ],
    },
}

for _lang, _moods in MOODS.items():
    LINES[_lang]["scenarios"] = LINES[_lang]["scenarios"] + _moods["scenarios"]
