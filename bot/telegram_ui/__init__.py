"""The Telegram front end (python-telegram-bot): `python -m bot telegram`, or `make run` with a token.

app.py builds the Application; handlers/ answer updates; conversation.py relays text to Rasa.
Named telegram_ui so it never shadows the `telegram` library (and `tg` is Tajik's code).
"""
