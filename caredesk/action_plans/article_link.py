"""An article written for a plan's task ("write an article" from a task of kind article):
the resource center calls this once the article exists (caredesk.resources.hooks), with the
request's `plan_task`, and the task is linked to it in the same transaction."""

from django.db.models import Q
from django.utils.translation import gettext as _

from caredesk.action_plans.models import PlanTask, TaskKind
from caredesk.core.errors import FieldErrors
from caredesk.workspaces.permissions import Perm


def link_written_article(article, params, *, access) -> None:
    value = params.get("plan_task")
    if not value:
        return
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = 0
    tasks = PlanTask.objects.filter(
        pk=pk if 0 < pk <= 2**63 - 1 else 0,
        kind=TaskKind.ARTICLE,
        plan__workspace_id=article.workspace_id,
    )
    if not access.has(Perm.MANAGE_ACTION_PLANS):
        user = access.user
        tasks = tasks.filter(Q(owner=user) | Q(plan__owner=user) | Q(plan__collaborators=user))
    task = tasks.first()
    if task is None:
        raise FieldErrors.one("plan_task", _("No such article task of an action plan."))
    PlanTask.objects.filter(pk=task.pk).update(article=article)
