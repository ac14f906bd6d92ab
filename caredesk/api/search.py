"""Search over REST (issue 14). Filled by its owner; registered in v1.py."""

from ninja import Router

router = Router()
