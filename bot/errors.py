"""The exception tree. Callers catch the family they care about; the CLI maps each to one line.

KeneshError
├── KnowledgeError          the knowledge base cannot be read or is invalid
├── ModelError              no trained model, or it cannot be trained or loaded
├── RasaUnavailable         the Rasa or action server does not answer in time
├── DeskUnavailable         the desk's /internal/ API does not answer, or answers nonsense
├── DeskRefused             the desk answered with a 4xx and an error code (a closed case, a wrong secret)
└── SetupError              a server failed to start, or a port is taken
"""


class KeneshError(Exception):
    """Base of every error Kenesh raises on purpose."""


class KnowledgeError(KeneshError):
    """The knowledge base cannot be read or is invalid."""


class ModelError(KeneshError):
    """There is no trained model, or it cannot be trained or loaded."""


class RasaUnavailable(KeneshError):
    """The Rasa server (or the action server behind it) did not answer in time."""


class DeskUnavailable(KeneshError):
    """The desk's /internal/ API did not answer in time, or answered something that is not its JSON."""


class DeskRefused(KeneshError):
    """The desk answered with a 4xx: `code` is its error code ("case_not_open", "not_linked", "forbidden")."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"the desk refused the request ({status} {code})")
        self.status, self.code = status, code


class SetupError(KeneshError):
    """A server failed to start, or something it needs is missing."""
