"""The one error hierarchy: every refusal Refuge makes is a RefugeError with a message for a person.

The CLI prints `error: <message>` and exits 2; the API maps each family to one HTTP status.
"""

from __future__ import annotations


class RefugeError(Exception):
    """Base of every error a user may see."""

    #: Where to look next, on the command line (the API and the web app say the message alone).
    cli_hint: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def for_cli(self) -> str:
        return f"{self.message} ({self.cli_hint})" if self.cli_hint else self.message

    def __str__(self) -> str:
        return self.message


class NotFound(RefugeError):
    """Something named in a request does not exist."""


class UnknownShelter(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"unknown shelter {code!r}")
        self.code = code


class UnknownItem(NotFound):
    cli_hint = "see `refuge items` for the catalogue"

    def __init__(self, sku: str) -> None:
        super().__init__(f"unknown item {sku!r}")
        self.sku = sku


class UnknownPerson(NotFound):
    cli_hint = "see `refuge people` for the roster"

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown person {name!r}")
        self.name = name


class UnknownDefence(NotFound):
    def __init__(self, shelter: str, defence: str) -> None:
        super().__init__(f"shelter {shelter} has no defence {defence!r}")


class InvalidInput(RefugeError):
    """A value is malformed or breaks a rule of the domain."""


class Conflict(RefugeError):
    """The request contradicts what is already recorded."""


class IdempotencyConflict(Conflict):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"idempotency key {key!r} was already used for a different movement; "
            "use a new key for a new movement"
        )
        self.key = key


class InsufficientStock(Conflict):
    def __init__(self, shelter: str, sku: str, on_hand: object, asked: object) -> None:
        super().__init__(
            f"shelter {shelter} has only {on_hand} of {sku} on hand, {asked} asked; "
            f"if the shelf holds more than the ledger says, record a stocktake "
            f"(`refuge count {shelter} {sku} QTY`) first"
        )
        self.shelter, self.sku, self.on_hand, self.asked = shelter, sku, on_hand, asked


class DatabaseNotReady(RefugeError):
    """The database is missing its tables or is at an older schema."""


class Unauthenticated(RefugeError):
    """The request does not say who is asking, or says it with a token or password that is not valid."""


class Forbidden(RefugeError):
    """The one asking is known, and their role does not allow what they asked for."""
