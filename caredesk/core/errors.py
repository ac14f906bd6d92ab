class FieldErrors(Exception):
    """Bad input, keyed by the field it concerns. Raised before anything is written."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

    @classmethod
    def one(cls, field: str, message: str) -> "FieldErrors":
        return cls({field: message})
