"""Domain errors raised by services. Every client (pages, API, commands) shows their message."""


class DomainError(Exception):
    """A request the domain refuses, with a message meant for the person who made it."""

    status_code = 400

    def __init__(self, message: str, *, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class ImmutableError(DomainError):
    """A write to something that is frozen, such as a published constitution version."""

    status_code = 409


class EditConflict(DomainError):
    """Someone else saved the same record since the editor loaded it."""

    status_code = 409

    def __init__(self, message: str, *, current: object):
        super().__init__(message)
        self.current = current


class ImportProblems(DomainError):
    """An import that was refused whole; `problems` lists every one with where it is."""

    status_code = 400
