"""Custom actions (rasa_sdk). They render answers from bot.knowledge; no prose lives here.

rasa_sdk imports this package before its server answers the health check, so loading the
knowledge base, the risk rules and the language model here (about 7 s) keeps that cost off the
first user's message, which would otherwise wait past the bot's reply timeout.
"""

from .common import warm_up

warm_up()
