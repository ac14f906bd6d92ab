"""Action plans over REST: /workspaces/{ws}/action-plans and their tasks (the plans branch
writes it)."""

from ninja import Router

router = Router(tags=["action plans"])
