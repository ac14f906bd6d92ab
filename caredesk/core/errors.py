from pydantic import ValidationError
from pydantic_core import PydanticCustomError


class FieldErrors(Exception):
    """Bad input, keyed by the field it concerns. Raised before anything is written."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

    @classmethod
    def one(cls, field: str, message: str) -> "FieldErrors":
        return cls({field: message})


def choice_errors(*checks) -> dict[str, str]:
    """Errors for (value, field, choices) triples whose value is not one of the TextChoices."""
    return {
        field: f"Unknown {field} {value!r}; one of: {', '.join(choices.values)}"
        for value, field, choices in checks
        if value not in choices.values
    }


# A schema (pydantic) refuses a value the way a service does: a 400 naming the field, with the
# service's message, not a 422 "mistyped field". The API answers a validation error made only
# of these with 400 (caredesk.api.errors); a page turns them into FieldErrors (schema_errors).
REFUSED = "refused"


def refused(message: str, field: str | None = None) -> PydanticCustomError:
    """Raise it in a validator. `field`: the error's key when it is not the validator's own
    place (e.g. "actions.assign.to" for the tag of a union)."""
    context = {"message": message}
    if field is not None:
        context["field"] = field
    # The message goes through the context: a template would read braces in it as fields.
    return PydanticCustomError(REFUSED, "{message}", context)


def schema_errors(exc: ValidationError, prefix: str = "", depth: int | None = None) -> dict:
    """A ValidationError as FieldErrors' dict: the first message for each key. A key is the
    error's `field` if it names one, else `prefix` and the names on its path (list positions
    left out) down to `depth` names, e.g. "criteria.scores" for criteria["scores"][1]["min"]."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        context = error.get("ctx") or {}
        if "field" in context:
            key = context["field"]
        else:
            names = [str(part) for part in error["loc"] if not isinstance(part, int)][:depth]
            key = ".".join(([prefix] if prefix else []) + names) or prefix or "body"
        errors.setdefault(key, context.get("message") or error["msg"])
    return errors


def show_errors(form, exc: FieldErrors) -> None:
    """A service's FieldErrors on the Django form that sent the values: each under its field,
    or above the form when the form has no such field."""
    for field, message in exc.errors.items():
        form.add_error(field if field in form.fields else None, message)
