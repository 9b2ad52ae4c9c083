"""What the records app refuses or cannot do; every ``message`` is translated and safe to show."""


class RecordError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class RecordUnavailable(RecordError):
    """The department's system did not answer, or answered something unusable."""
