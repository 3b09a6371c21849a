"""Build the Telegram Application (one ApplicationBuilder chain), register handlers, run it.

Polling by default; webhook mode when TELEGRAM_WEBHOOK_URL is set. TELEGRAM_API_BASE_URL points
the bot at another Bot API server (a local one, or the fake one in the tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import secrets
import signal
import time

from aiohttp import web
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.errors import DeskRefused, DeskUnavailable, SetupError
from bot.handoff_client import DeskClient
from bot.language.codes import LANGUAGES
from bot.language.detect import load_identifier
from bot.language.i18n import gettext_for
from bot.nlu.swap import SWAP_WAIT
from bot.privacy import Pseudonymizer, ReplyAddresses, conversation_store, pseudonym_key
from bot.rasa_client import RasaClient
from bot.risk.live import serving
from bot.settings import Settings
from bot.state import desk_internal_secret
from bot.telegram_ui import handoff, radar, staff_group
from bot.telegram_ui.context import KeneshContext, Services, UserState, services_of
from bot.telegram_ui.delivery import ConfirmingBot, UpdateLedger, ledger_path
from bot.telegram_ui.handlers import callbacks, commands, errors, gate, messages, unsupported
from bot.telegram_ui.keyboards import PayloadRegistry
from bot.telegram_ui.ordering import PerUserUpdateProcessor
from bot.telegram_ui.outbox import OutboxDrain
from bot.telegram_ui.rate_limit import PatientRateLimiter
from bot.telegram_ui.throttle import Throttle
from bot.telegram_ui.tolerant_bot import TolerantBot, install_log_filter
from bot.telegram_ui.webhook import webhook_app

logger = logging.getLogger(__name__)

TELEGRAM_429_RETRIES = 3
COMMAND_LANGUAGES = LANGUAGES + ("en",)


def build_application(settings: Settings) -> Application:
    """The ApplicationBuilder chain: the one place the bot is configured."""
    if not settings.telegram_token:
        raise SetupError(
            "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather in Telegram "
            "(README, 'Telegram'), or run `make run` without it for the terminal chat."
        )
    install_log_filter()
    # Polling confirms only finished updates (delivery.py); a webhook gets each update once from Telegram.
    ledger = None if settings.telegram_webhook_url else UpdateLedger(ledger_path(settings))
    bot_class = TolerantBot if ledger is None else functools.partial(ConfirmingBot, ledger=ledger)
    bot = bot_class(
        token=settings.telegram_token,
        base_url=settings.telegram_api_base_url,
        defaults=Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)),
        rate_limiter=PatientRateLimiter(
            overall_max_rate=settings.telegram_rate_limit, max_retries=TELEGRAM_429_RETRIES
        ),
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=KeneshContext, user_data=UserState))
        .concurrent_updates(PerUserUpdateProcessor(on_finished=ledger.finish if ledger else None))
        .job_queue(None)  # PTB's job queue needs a newer APScheduler than Rasa allows (../shared/stack.md)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_webhook_url:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data["settings"] = settings
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, gate.admit, block=True), group=-2)
    application.add_handler(TypeHandler(Update, messages.track_and_throttle, block=True), group=-1)
    staff_chat_id = application.bot_data["settings"].staff_chat_id
    if staff_chat_id is not None:  # before on_group: the staff group is the one group the bot listens to
        application.add_handler(
            MessageHandler(filters.Chat(staff_chat_id) & filters.UpdateType.MESSAGES, staff_group.on_staff_message)
        )
    application.add_handler(MessageHandler(~private & filters.UpdateType.MESSAGES, unsupported.on_group))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, unsupported.on_edited))
    for name, callback in (
        ("start", commands.start),
        ("language", commands.language),
        ("help", commands.help_command),
        ("topics", commands.topics),
        ("privacy", commands.privacy),
        ("forget", commands.forget),
        ("human", handoff.human),
        ("bot", handoff.back_to_bot),
    ):
        application.add_handler(CommandHandler(name, callback, filters=private))
    application.add_handler(CallbackQueryHandler(callbacks.on_button))
    application.add_handler(MessageHandler(private & filters.COMMAND, messages.unknown_command))
    application.add_handler(MessageHandler(private & filters.TEXT, messages.on_text))
    application.add_handler(MessageHandler(private, unsupported.on_unsupported))
    application.add_error_handler(errors.on_error)


def command_menu(script: str) -> list[BotCommand]:
    _ = gettext_for(script)
    return [
        BotCommand("start", _("Start, choose a language")),
        BotCommand("topics", _("The topics I know")),
        BotCommand("language", _("Change the language")),
        BotCommand("human", _("Talk to a person")),
        BotCommand("bot", _("Back to the bot from a person")),
        BotCommand("privacy", _("What I keep about you")),
        BotCommand("forget", _("Erase everything about you")),
        BotCommand("help", _("How to use me")),
    ]


def build_services(settings: Settings, rasa: RasaClient | None = None, desk: DeskClient | None = None) -> Services:
    """Everything the handlers share (tests pass their own Rasa and desk clients)."""
    key = pseudonym_key(settings)
    return Services(
        settings=settings,
        live=serving(settings.knowledge_dir),  # read now; then watched for published changes
        rasa=rasa or RasaClient(settings.rasa_base_url, settings.reply_timeout + SWAP_WAIT),  # see relay()
        pseudonym=Pseudonymizer(key),
        conversations=conversation_store(settings),
        throttle=Throttle(settings.user_burst, settings.user_messages_per_minute),
        language_model=load_identifier(settings.language_model_path),  # now, not on the first message
        registry=PayloadRegistry(),  # filled from the knowledge on first use
        desk=desk or DeskClient(settings.desk_internal_url, desk_internal_secret(settings), settings.request_timeout),
        desk_pseudonym=Pseudonymizer(key, namespace="desk"),
        reply_addresses=ReplyAddresses(key),
        message_keys=Pseudonymizer(key, namespace="message"),
    )


async def post_init(application: Application) -> None:
    """Load the knowledge base and services, set the command menus, start the retention task and
    (with the desk on) the outbox drain."""
    settings: Settings = application.bot_data["settings"]
    application.bot_data["services"] = build_services(settings)
    for language in COMMAND_LANGUAGES:
        await application.bot.set_my_commands(command_menu(language), language_code=language)
    await application.bot.set_my_commands(command_menu("ru"))  # everyone else
    application.bot_data["retention"] = asyncio.create_task(retention_loop(application))
    if settings.desk_enabled:
        application.bot_data["outbox"] = asyncio.create_task(OutboxDrain(application).run())
    logger.info("Telegram bot ready (Rasa at %s)", settings.rasa_base_url)


async def post_shutdown(application: Application) -> None:
    """Stop the retention task and the outbox drain, send the last radar counts, close the connections."""
    for name in ("retention", "outbox"):
        task = application.bot_data.pop(name, None)
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    services = application.bot_data.get("services")
    if services:
        await radar.settled()
        await services.rasa.close()
        await services.desk.close()
        services.conversations.close()


async def enforce_retention(application: Application) -> None:
    """Erase conversation state older than the retention limit: in Rasa's store, in memory, and
    (the desk applies its own limit, KENESH_CASE_RETENTION_DAYS) the messages of closed cases."""
    services = services_of(application)
    hours = services.settings.retention_hours
    await asyncio.to_thread(services.conversations.purge_older_than, hours)
    if services.settings.desk_enabled:
        try:
            await services.desk.retention()
        except (DeskUnavailable, DeskRefused) as error:
            logger.warning("The desk's retention was not run this round (%s)", type(error).__name__)
    cutoff = time.time() - hours * 3600
    for user_id, state in list(application.user_data.items()):
        if state.last_seen < cutoff:
            application.drop_user_data(user_id)
    services.throttle.drop_idle(3600)


async def retention_loop(application: Application) -> None:
    hours = services_of(application).settings.retention_hours
    interval = max(1.0, min(900.0, hours * 360))  # a tenth of the limit, at most every 15 minutes
    while True:
        try:
            await enforce_retention(application)
        except Exception:  # noqa: BLE001 - keep enforcing on the next round; the error is logged
            logger.exception("Retention round failed")
        await asyncio.sleep(interval)


async def serve_webhook(application: Application, settings: Settings) -> None:
    """Run until SIGINT/SIGTERM: register the webhook with Telegram and serve it."""
    secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    async with application:
        await post_init(application)
        await application.start()
        await application.bot.set_webhook(
            settings.telegram_webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        runner = web.AppRunner(webhook_app(application, secret), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
        logger.info("Webhook listening on %s:%d", settings.webhook_listen, settings.webhook_port)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
            await application.stop()
            await post_shutdown(application)


def check_token(settings: Settings) -> None:
    """Ask Telegram who the bot is, once: a refused token is one clear SetupError now, not a bot that
    supervisord restarts again and again. A network failure is not the token's fault: it passes."""
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError

    async def who_am_i() -> None:
        async with Bot(settings.telegram_token or "", base_url=settings.telegram_api_base_url) as bot:
            await bot.get_me()

    try:
        asyncio.run(who_am_i())
    except InvalidToken:
        raise SetupError(
            "Telegram refused TELEGRAM_BOT_TOKEN: check it, or get a new one from @BotFather (README, 'Telegram')"
        ) from None
    except NetworkError as error:
        logger.warning(
            "Could not reach Telegram to check the token (%s); the bot will keep trying", type(error).__name__
        )


def run_telegram(settings: Settings) -> int:
    """`python -m bot telegram`: serve Telegram until stopped (Rasa must already be running)."""
    application = build_application(settings)
    if settings.telegram_webhook_url:
        asyncio.run(serve_webhook(application, settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
