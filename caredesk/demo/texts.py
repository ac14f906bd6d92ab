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
