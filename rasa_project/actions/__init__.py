"""Custom actions (rasa_sdk). They render answers from bot.knowledge; no prose lives here."""
