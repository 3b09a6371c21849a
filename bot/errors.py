"""The exception tree. Callers catch the family they care about; the CLI maps each to one line.

KeneshError
├── KnowledgeError          the knowledge base cannot be read or is invalid
├── ModelError              no trained model, or it cannot be trained or loaded
├── RasaUnavailable         the Rasa or action server does not answer in time
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


class SetupError(KeneshError):
    """A server failed to start, or something it needs is missing."""
