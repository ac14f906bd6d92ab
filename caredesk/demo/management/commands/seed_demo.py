"""`caredesk seed-demo`: a demo organization to click through. Running it again changes nothing."""

import datetime as dt
import io
import random
import unicodedata

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from caredesk import events
from caredesk.audit.models import AuditEntry
from caredesk.care.models import COACHING_ORIGINS, Case, CaseComment, Origin, Priority, Status
from caredesk.care.services import case_numbers_take
from caredesk.customers.models import Account, Contact, ContactEmail, ContactPhone
from caredesk.demo import written
from caredesk.demo.action_plans import seed_action_plans
from caredesk.demo.quality import quality_counts, seed_quality
from caredesk.demo.resources import resource_counts, seed_resources
from caredesk.demo.taxonomy import seed_business_hours, seed_topics
from caredesk.demo.voices import COUNTRY_LANGUAGE
from caredesk.feedback import services as feedback
from caredesk.feedback.models import Response
from caredesk.quality.models import Scorecard
from caredesk.routing import services as routing
from caredesk.webchat import services as webchat
from caredesk.workspaces import services as ws
from caredesk.workspaces.models import Organization, Tab, Workspace
from caredesk.workspaces.permissions import UserKind

PASSWORD = "demo"
# Tabs added since the first demos: an older demo gets them on the next run.
NEW_TABS = [Tab.CONVERSATIONS, Tab.INSIGHTS, Tab.ACTION_PLANS, Tab.RESOURCES]
# Survey answers over the last 90 days.
NPS_RESPONSES = 180
CSAT_RESPONSES = 60
LOGINS = [
    # The brand admin works at the organization level (Settings → Workspaces).
    ("brand", UserKind.BRAND_ADMIN, "Bruna", "Marques"),
    ("admin", UserKind.CX_ADMIN, "Ana", "Admin"),
    ("manager", UserKind.MANAGER, "Marco", "Rossi"),
    ("coach", UserKind.COACH, "Carla", "Coach"),
    ("agent", UserKind.AGENT, "Ivan", "Petrov"),
    ("agent2", UserKind.AGENT, "Sofia", "Dimitrova"),
]
TREE = {
    "Portugal": {
        "Lisbon": ["Lisbon Chiado", "Lisbon Belém"],
        "Porto": ["Porto Ribeira", "Porto Boavista"],
    },
    "Bulgaria": {
        "Sofia": ["Sofia Center", "Sofia Mladost"],
        "Plovdiv": ["Plovdiv Old Town", "Plovdiv Trakia"],
    },
    "Italy": {"Milan": ["Milan Duomo", "Milan Navigli"], "Rome": ["Rome Trastevere", "Rome Prati"]},
}
FIRST = [
    "Ana",
    "João",
    "Maria",
    "Pedro",
    "Ivan",
    "Elena",
    "Giulia",
    "Luca",
    "Sara",
    "Nikolai",
    "Marta",
    "Paolo",
]
LAST = [
    "Silva",
    "Costa",
    "Ferreira",
    "Petrov",
    "Ivanova",
    "Rossi",
    "Bianchi",
    "Romano",
    "Georgiev",
    "Santos",
]
COMPANIES = [
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Litware",
    "Adatum",
    "Proseware",
    "Wingtip",
]


def _ascii(text: str) -> str:
    """João → joao: the local part of an address is plain ASCII for most mail systems."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class Command(BaseCommand):
    help = (
        "Create the demo organization: workspaces, segments, users, tickets, quality and"
        " coaching. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=2000)

    def handle(self, *args, tickets, **options):
        # What is written here is analysed and measured once, in bulk, by _derived below:
        # no task per chat, response and ticket for the worker to do again.
        with events.recomputing():
            created, parts, texts = self._write(tickets)
        if texts:
            self._derived()
        org = Organization.objects.get(slug="acme")
        # The action plans are made from the insights: after the analysis and the measures.
        with events.recomputing(), transaction.atomic():
            if seed_action_plans(org.workspaces.get(slug="support"), timezone.now()):
                parts.append("action plans")
        if created:
            self.stdout.write("Demo data created:")
        elif parts:
            # A demo seeded before these parts existed gets them.
            self.stdout.write(f"Demo data already present; {', '.join(parts)} added. It holds:")
        else:
            self.stdout.write("Demo data already present; nothing changed. It holds:")
        self._counts(org)
        self.stdout.write("Demo logins (password for all: demo):")
        for username, kind, *_ in LOGINS:
            self.stdout.write(f"  {username:<8} {kind.label}")

    def _write(self, tickets) -> tuple[bool, list[str], bool]:
        """The demo's rows: whether the demo was created now, the parts added to an existing
        one, and whether texts to analyse were written."""
        if not Organization.objects.filter(slug="acme").exists():
            with transaction.atomic():
                self._seed(tickets)
                self._settings(Organization.objects.get(slug="acme"))
            return True, [], True
        support = Workspace.objects.get(organization__slug="acme", slug="support")
        if not Scorecard.objects.filter(workspace=support).exists():
            # A demo seeded before quality management existed gets its quality data.
            with transaction.atomic():
                seed_quality(workspace=support, org=support.organization, now=timezone.now())
                parts = self._settings(support.organization)
            return False, ["quality data", *parts], True
        with transaction.atomic():
            parts = self._settings(support.organization)
        return False, parts, "topics" in parts

    def _settings(self, org) -> list[str]:
        """The topic taxonomy, business hours and tabs of each demo workspace and the
        resource center of Support, where missing; the names of the parts added."""
        parts = set()
        today = timezone.now().date()
        for workspace in org.workspaces.all():
            if seed_topics(workspace) > 0:
                parts.add("topics")
            seed_business_hours(workspace, today)
            missing = [t for t in NEW_TABS if t not in workspace.enabled_tabs]
            if missing:
                workspace.enabled_tabs = [*workspace.enabled_tabs, *missing]
                workspace.save(update_fields=["enabled_tabs"])
                parts.add("tabs")
            if workspace.slug == "support" and seed_resources(workspace, timezone.now()):
                parts.add("resource center")
        return sorted(parts)

    def _derived(self):
        """What other parts compute from the demo's texts and tickets (the analysis, the
        insights' measures), when this installation has their commands."""
        commands = get_commands()
        for name in ("reanalyse", "insights_rebuild"):
            if name in commands:
                # Their progress lines are for a long history; the demo's summary follows.
                call_command(name, stdout=io.StringIO(), stderr=self.stderr)

    def _counts(self, org):
        """What the database holds, counted, not what was asked for: the worker adds a ticket
        per detractor of the survey once it runs, so the count grows after the first serve."""
        for workspace in org.workspaces.order_by("-name"):
            # Coaching cases are counted with the quality figures below.
            tickets = Case.objects.filter(workspace=workspace).exclude(origin__in=COACHING_ORIGINS)
            line = f"  {workspace.name}: {tickets.count():,} tickets"
            responses = Response.objects.filter(survey__workspace=workspace)
            if responses.exists():
                detractors = responses.filter(survey__kind="nps", score__lte=6).count()
                done = tickets.filter(origin__in=[Origin.ALERT, Origin.SURVEY_RESPONSE]).count()
                line += (
                    f", {responses.count():,} survey responses ({detractors:,} detractors,"
                    f" score 0–6)"
                )
                if detractors > done:
                    line += (
                        f"; the worker turns the detractors into {detractors - done:,} more"
                        " tickets once `caredesk serve` runs"
                    )
            self.stdout.write(line)
            for quality_line in quality_counts(workspace):
                self.stdout.write(quality_line)
            for line in resource_counts(workspace):
                self.stdout.write(line)
        self.stdout.write(
            f"  {Contact.objects.filter(organization=org).count():,} customers,"
            f" {Account.objects.filter(organization=org).count():,} accounts,"
            f" {org.users.count():,} users"
        )

    def _seed(self, n_tickets):
        rnd = random.Random(42)
        org = ws.organization_create(name="Acme Retail", slug="acme")
        every_tab = [
            Tab.HOME,
            Tab.DESK,
            Tab.TICKETS,
            Tab.FEEDBACK,
            Tab.CONVERSATIONS,
            Tab.INSIGHTS,
            Tab.ACTION_PLANS,
            Tab.RESOURCES,
        ]
        support = ws.workspace_create(
            organization=org, slug="support", name="Support", tabs=every_tab
        )
        sales = ws.workspace_create(organization=org, slug="sales", name="Sales", tabs=every_tab)

        users = {}
        for username, kind, first, last in LOGINS:
            u = ws.user_create(
                organization=org,
                username=username,
                password=PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@acme.example",
            )
            for workspace in (support, sales):
                ws.membership_set(workspace=workspace, user=u, kind=kind)
            users[username] = u

        stores, managers_by_segment, languages = [], {}, {}
        for country, regions in TREE.items():
            c = ws.segment_create(organization=org, name=country)
            for region, store_names in regions.items():
                r = ws.segment_create(organization=org, name=region, parent=c)
                region_mgr = self._manager(
                    org, support, sales, f"{region.lower()}.lead", region, "Lead"
                )
                ws.segment_set_managers(segment=r, managers=[region_mgr])
                for store_name in store_names:
                    s = ws.segment_create(organization=org, name=store_name, parent=r)
                    slug = store_name.lower().replace(" ", ".").replace("é", "e")
                    store_mgr = self._manager(
                        org, support, sales, slug, store_name.split()[-1], "Manager"
                    )
                    mgrs = [store_mgr]
                    if country == "Portugal":
                        mgrs.append(users["manager"])  # the demo manager runs the Portuguese stores
                    ws.segment_set_managers(segment=s, managers=mgrs)
                    stores.append(s)
                    languages[s.pk] = COUNTRY_LANGUAGE[country]
                    managers_by_segment[s.pk] = mgrs
            if country == "Portugal":
                ws.segment_set_managers(segment=c, managers=[users["manager"]])

        accounts = Account.objects.bulk_create(
            Account(organization=org, name=f"{n} Ltd") for n in COMPANIES
        )
        contacts = []
        for i in range(400):
            contacts.append(
                Contact(
                    organization=org,
                    name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                    account=rnd.choice(accounts) if i % 4 == 0 else None,
                )
            )
        contacts = Contact.objects.bulk_create(contacts)
        emails = {}
        for i, c in enumerate(contacts):
            first, last = (_ascii(part.lower()) for part in c.name.split()[:2])
            emails[c.pk] = f"{first}.{last}.{i}@example.com"
        ContactEmail.objects.bulk_create(
            ContactEmail(organization=org, contact=c, email=emails[c.pk]) for c in contacts
        )
        ContactPhone.objects.bulk_create(
            ContactPhone(organization=org, contact=c, phone=f"+3519{rnd.randrange(10**7, 10**8)}")
            for c in contacts[::3]
        )

        self._routing(support, users)

        now = timezone.now()
        for workspace, count in ((support, n_tickets), (sales, max(1, n_tickets // 5))):
            self._tickets(
                rnd,
                workspace,
                count,
                now,
                stores,
                managers_by_segment,
                contacts,
                emails,
                users["admin"],
                languages,
            )
        written.seed_emails(rnd, support, languages, emails)
        self._feedback(rnd, support, stores, contacts, emails, now, languages)
        seed_quality(workspace=support, org=org, now=now)

    def _feedback(self, rnd, support, stores, contacts, emails, now, languages):
        """An NPS survey with answers over the last 90 days (the worker turns its detractors
        into tickets through the default rule once `caredesk serve` runs) and a CSAT survey
        sent when a ticket is resolved, with some answers. Each customer writes in their
        store's language (some in English), a comment that fits their score."""
        nps = feedback.survey_create(workspace=support, kind="nps", name="Store visit")
        csat = feedback.survey_create(
            workspace=support, kind="csat", name="Support follow-up", send_on_case_resolve=True
        )
        plan = [(nps, i) for i in range(NPS_RESPONSES)] + [(csat, i) for i in range(CSAT_RESPONSES)]
        for survey, i in plan:
            contact = rnd.choice(contacts)
            store = rnd.choice(stores)
            lang = written.language(rnd, languages[store.pk])
            if survey.kind == "nps":
                score = rnd.choice([0, 2, 3, 5, 6, 7, 8, 8, 9, 9, 10, 10])
                band = written.nps_band(score)
            else:
                score = rnd.choice([1, 2, 3, 4, 4, 5, 5, 5])
                band = written.csat_band(score)
            feedback.response_submit(
                survey=survey,
                score=score,
                comment=written.verbatim(rnd, lang, band),
                customer_email=emails[contact.pk],
                segment_id=store.pk,
                transaction_data={"order_id": f"A-{10000 + i}", "channel": "store"},
                external_id=f"demo-{survey.kind}-{i}" if survey.kind == "csat" else f"demo-{i}",
                responded_at=now - dt.timedelta(minutes=rnd.randrange(60, 90 * 24 * 60)),
                language=lang,
            )

    def _routing(self, support, users):
        """Queues by pre-chat topic, and the two demo agents' skills: Ivan takes billing and
        technical chats, Sofia technical and general ones."""
        routing.queue_create(workspace=support, name="General", is_default=True)
        routing.queue_create(
            workspace=support, name="Billing", priority=2, required_skills=["billing"]
        )
        routing.queue_create(
            workspace=support, name="Technical", priority=1, required_skills=["technical"]
        )
        routing.agent_profile_set(
            workspace=support,
            user=users["agent"],
            capacity=3,
            skills={"billing": 4, "technical": 3},
        )
        webchat.widget_settings_set(
            workspace=support,
            title="Acme Retail support",
            greeting="Hi! Tell us who you are and what it is about; an agent will join you.",
            # The widget speaks the customer's language (the name and email labels are the
            # built-in ones, translated by caredesk).
            texts={
                "pt-br": {
                    "title": "Atendimento Acme Retail",
                    "greeting": "Olá! Diga quem você é e qual é o assunto; um agente vai "
                    "atendê-lo.",
                },
                "it": {
                    "title": "Assistenza Acme Retail",
                    "greeting": "Ciao! Dicci chi sei e di cosa si tratta; un operatore "
                    "ti risponderà.",
                },
                "bg": {
                    "title": "Поддръжка на Acme Retail",
                    "greeting": "Здравейте! Кажете ни кои сте и за какво става дума; "
                    "агент ще се включи.",
                },
            },
            pre_chat_fields=[
                {"key": "name", "label": "Your name", "type": "text", "required": True},
                {"key": "email", "label": "Email", "type": "email", "required": False},
                {
                    "key": "topic",
                    "label": "Topic",
                    "labels": {"pt-br": "Assunto", "it": "Argomento", "bg": "Тема"},
                    "type": "select",
                    "required": True,
                },
            ],
        )
        routing.agent_profile_set(
            workspace=support, user=users["agent2"], capacity=2, skills={"technical": 5}
        )

    def _manager(self, org, support, sales, username, first, last):
        u = ws.user_create(
            organization=org, username=username, password=PASSWORD, first_name=first, last_name=last
        )
        for workspace in (support, sales):
            ws.membership_set(workspace=workspace, user=u, kind=UserKind.MANAGER)
        return u

    def _tickets(
        self,
        rnd,
        workspace,
        count,
        now,
        stores,
        managers_by_segment,
        contacts,
        emails,
        creator,
        languages,
    ):
        statuses = (
            [Status.NEW] * 3
            + [Status.OPEN] * 3
            + [Status.ESCALATED]
            + [Status.RESOLVED] * 3
            + [Status.CLOSED] * 2
        )
        priorities = (
            [Priority.LOW] * 3 + [Priority.MEDIUM] * 4 + [Priority.HIGH] * 2 + [Priority.CRITICAL]
        )
        cases = []
        first = case_numbers_take(workspace, count)
        for number in range(first, first + count):
            reported = now - dt.timedelta(seconds=rnd.randrange(0, 90 * 86400))
            store = rnd.choice(stores)
            status = rnd.choice(statuses)
            mgrs = managers_by_segment[store.pk]
            owner = None if status == Status.NEW and rnd.random() < 0.5 else rnd.choice(mgrs)
            contact = rnd.choice(contacts)
            # Work still in progress was touched in the last few days, so the inactivity rule
            # leaves it open; finished work was last touched soon after it came in.
            if status in (Status.NEW, Status.OPEN, Status.ESCALATED):
                touched = max(reported, now - dt.timedelta(hours=rnd.randrange(0, 96)))
            else:
                touched = min(now, reported + dt.timedelta(hours=rnd.randrange(0, 72)))
            cases.append(
                Case(
                    workspace=workspace,
                    number=number,
                    contact=contact,
                    customer_email=emails[contact.pk],
                    source_segment=store,
                    segment=store,
                    segment_path=store.path,
                    owner=owner,
                    priority=rnd.choice(priorities),
                    status=status,
                    reported_at=reported,
                    customer_comment=written.ticket_comment(
                        rnd, written.language(rnd, languages[store.pk])
                    ),
                    created_by=creator,
                    last_activity_at=touched,
                    closed_at=touched if status == Status.CLOSED else None,
                )
            )
        cases = Case.objects.bulk_create(cases, batch_size=500)
        CaseComment.objects.bulk_create(
            (
                CaseComment(case=c, author=creator, body="Created from the demo data.")
                for c in cases
            ),
            batch_size=500,
        )
        AuditEntry.objects.bulk_create(
            (
                AuditEntry(
                    workspace=workspace,
                    object_type="case",
                    object_id=c.pk,
                    actor=creator,
                    action="created",
                    field="status",
                    new_value=c.status,
                )
                for c in cases
            ),
            batch_size=500,
        )
