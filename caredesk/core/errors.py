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
