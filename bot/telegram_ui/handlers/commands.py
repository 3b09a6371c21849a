"""/start, /language, /help, /topics, /privacy and /forget (/human and /bot are in handoff.py)."""

from __future__ import annotations

from telegram import Update

from bot.language.i18n import gettext_for
from bot.telegram_ui.context import KeneshContext, script_for
from bot.telegram_ui.conversation import relay, send_text
from bot.telegram_ui.keyboards import forget_keyboard, language_keyboard

MENU_PAYLOAD = "/help"  # Rasa's menu of topics
PRIVACY_PAYLOAD = "/bot_privacy"  # the knowledge-base entry on what is stored


def greeting(script: str) -> str:
    _ = gettext_for(script)
    return "\n\n".join(
        [
            _(
                "Hello! I am Kenesh. I give legal information to migrants from Kyrgyzstan, Uzbekistan and "
                "Tajikistan in Russia: summonses, the army, contracts, citizenship."
            ),
            _("I do not need your name or phone number. /privacy tells what I keep. /forget erases it."),
            _("Choose your language:"),
        ]
    )


def help_text(script: str) -> str:
    _ = gettext_for(script)
    return "\n".join(
        [
            _("Write your question in your own words, in your language."),
            _("/topics - the topics I know"),
            _("/language - change the language"),
            _("/human - talk to a person"),
            _("/bot - back to the bot from a person"),
            _("/privacy - what I keep about you"),
            _("/forget - erase everything about you"),
        ]
    )


async def start(update: Update, context: KeneshContext) -> None:
    """Greets the user and offers the languages, the one Telegram suggests ticked."""
    script = script_for(update, context)
    await send_text(update, context, greeting(script), language_keyboard(script))


async def language(update: Update, context: KeneshContext) -> None:
    """Offers the languages again."""
    script = script_for(update, context)
    await send_text(update, context, gettext_for(script)("Choose your language:"), language_keyboard(script))


async def help_command(update: Update, context: KeneshContext) -> None:
    """Lists the commands."""
    await send_text(update, context, help_text(script_for(update, context)))


async def topics(update: Update, context: KeneshContext) -> None:
    """Shows Rasa's menu of topics."""
    await relay(update, context, MENU_PAYLOAD)


async def privacy(update: Update, context: KeneshContext) -> None:
    """Shows the knowledge-base answer on what is stored, for how long, and who can see it."""
    await relay(update, context, PRIVACY_PAYLOAD)


async def forget(update: Update, context: KeneshContext) -> None:
    """Asks before erasing everything stored about the user."""
    _ = gettext_for(script_for(update, context))
    text = _(
        "Erase everything I keep about you? I will also delete our messages in this chat "
        "(Telegram allows this for 48 hours). This cannot be undone."
    )
    await send_text(update, context, text, forget_keyboard(_("Yes, erase"), _("No")))
