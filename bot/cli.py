"""`python -m bot …`: the command line. Composition root: heavy modules are imported lazily.

python -m bot run          train if needed, start the servers, then Telegram (token set) or terminal chat
python -m bot chat         terminal chat with an already running Rasa server
python -m bot telegram     the Telegram bot, with an already running Rasa server
python -m bot classify     JSON lines in, topic + language + confidence out
python -m bot kb lint      check the knowledge base
python -m bot kb confirm   record that an entry's translations match its Russian text
python -m bot nlu          regenerate Rasa NLU data and rules from knowledge/
python -m bot train        train the model if knowledge/ or rasa_project/ changed
python -m bot eval         held-out NLU accuracy per language and topic
python -m bot assess       JSON answers on stdin -> risk findings (docs/risk-check.md)
python -m bot risk-diagram draw the risk rules for lawyers (Graphviz SVG and PNG)
python -m bot desk …      the hotline desk's commands: `desk adduser NAME --role admin` (desk/manage.py)
"""

from __future__ import annotations

import argparse
import sys
from enum import IntEnum

from bot.errors import KeneshError
from bot.language.codes import LANGUAGES, SCRIPTS
from bot.settings import Settings


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


def _kb_lint(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    """The knowledge base's linter, then the risk rules' linter (they share the entries read once)."""
    import datetime as dt

    from bot.risk.check import kb_lint

    problems = kb_lint(settings.knowledge_dir, dt.date.today())
    for problem in problems:
        print(problem)
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"kb lint: {errors} error(s), {len(problems) - errors} warning(s)")
    return ExitStatus.ERROR if errors else ExitStatus.OK


def _kb_confirm(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    """Record that translations match the Russian text: of one entry, or of every risk-rule text."""
    from bot.knowledge.loader import read_knowledge
    from bot.knowledge.parity import confirm_entry
    from bot.risk.rules import RULES_FILE
    from bot.risk.translations import confirm_rules

    if args.entry_id == "risk_rules":
        path, confirm = settings.knowledge_dir / RULES_FILE, confirm_rules
    else:
        kb, _ = read_knowledge(settings.knowledge_dir)
        if args.entry_id not in kb.files:
            print(f"kb confirm: no entry {args.entry_id!r} in {settings.knowledge_dir}", file=sys.stderr)
            return ExitStatus.USAGE
        path, confirm = kb.files[args.entry_id], confirm_entry
    try:
        changed = confirm(path, args.languages or None)
    except (OSError, ValueError, KeyError) as error:
        print(f"kb confirm: {error}", file=sys.stderr)
        return ExitStatus.USAGE
    print(f"kb confirm: {args.entry_id}: " + (f"confirmed {', '.join(changed)}" if changed else "already up to date"))
    return ExitStatus.OK


def _nlu(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    from bot.nlu.export import export

    for path in export(settings):
        print(f"wrote {path}")
    return ExitStatus.OK


def _train(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    from bot.nlu.training import train_if_changed

    train_if_changed(settings, force=args.force)
    return ExitStatus.OK


def _run(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    from bot.servers import run_assistant

    return ExitStatus(run_assistant(settings))


def _telegram(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    from bot.telegram_ui.app import run_telegram

    return ExitStatus(run_telegram(settings))


def _chat(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    from bot.console import chat

    return ExitStatus(chat(settings))


def _classify(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    from bot.nlu.classify import classify_stream

    classify_stream(settings, sys.stdin, sys.stdout)
    return ExitStatus.OK


def _assess(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    import datetime as dt
    import json

    from bot.knowledge.loader import load_knowledge
    from bot.risk.card import risk_card
    from bot.risk.engine import AnswerError, assess
    from bot.risk.report import as_json, read_answers
    from bot.risk.rules import load_rules

    kb, rules = load_knowledge(settings.knowledge_dir), load_rules(settings.knowledge_dir)
    today = args.today or dt.date.today()
    try:
        answers = read_answers(rules, sys.stdin.read())
    except (ValueError, AnswerError) as error:
        print(f"assess: {error}", file=sys.stderr)
        return ExitStatus.USAGE
    assessment = assess(rules, answers, today)
    if args.card:
        for message in risk_card(kb, rules, assessment, args.card, today):
            print(message.text + "\n")
    else:
        print(json.dumps(as_json(kb, rules, assessment, answers), ensure_ascii=False, indent=2))
    return ExitStatus.OK


def _risk_diagram(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    from pathlib import Path

    from bot.risk.diagram import render
    from bot.risk.rules import load_rules
    from bot.state import state_folder

    out = Path(args.out) if args.out else state_folder(settings, "risk-diagram")
    for path in render(load_rules(settings.knowledge_dir), out, args.language):
        print(f"wrote {path}")
    return ExitStatus.OK


def _eval(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    from bot.nlu.evaluation import print_report

    return ExitStatus.OK if print_report(settings) else ExitStatus.ERROR


def _desk(settings: Settings, args: argparse.Namespace) -> ExitStatus:
    """desk/manage.py in its own process (bot/ never imports Django); adduser migrates first."""
    from bot import desk_process

    command = list(args.manage_args)
    if not command:
        print(f"usage: python -m bot desk COMMAND …  (e.g. {desk_process.FIRST_ACCOUNT})", file=sys.stderr)
        return ExitStatus.USAGE
    if command[0] == "adduser":
        desk_process.prepare(settings)
    return ExitStatus.OK if desk_process.manage(settings, *command).returncode == 0 else ExitStatus.ERROR


def _day(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Kenesh assistant")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="train if needed, start the servers and chat").set_defaults(func=_run)
    commands.add_parser("chat", help="terminal chat with a running Rasa server").set_defaults(func=_chat)
    commands.add_parser("telegram", help="the Telegram bot, with a running Rasa server").set_defaults(func=_telegram)
    commands.add_parser("classify", help="JSON lines {id,text} -> {id,topic,language,confidence}").set_defaults(
        func=_classify
    )
    kb = commands.add_parser("kb", help="knowledge-base tools").add_subparsers(dest="kb_command", required=True)
    kb.add_parser("lint", help="check the knowledge base").set_defaults(func=_kb_lint)
    confirm = kb.add_parser("confirm", help="record that translations match the current Russian text")
    confirm.add_argument("entry_id", help="an entry id, or risk_rules")
    confirm.add_argument("languages", nargs="*", metavar="language", help="ky, uz, tg (default: all three)")
    confirm.set_defaults(func=_kb_confirm)
    assess = commands.add_parser("assess", help="JSON answers on stdin -> risk findings as JSON (docs/risk-check.md)")
    assess.add_argument("--today", type=_day, help="the date deadlines and urgency count from (YYYY-MM-DD)")
    assess.add_argument("--card", choices=SCRIPTS, help="print the risk card in this script instead of JSON")
    assess.set_defaults(func=_assess)
    diagram = commands.add_parser("risk-diagram", help="draw knowledge/risk_rules.yaml (Graphviz SVG and PNG)")
    diagram.add_argument("--out", help="folder to write to (default: risk-diagram/ in KENESH_STATE_DIR, var/)")
    diagram.add_argument("--language", default="ru", choices=LANGUAGES)
    diagram.set_defaults(func=_risk_diagram)
    commands.add_parser("nlu", help="regenerate NLU data from knowledge/").set_defaults(func=_nlu)
    train = commands.add_parser("train", help="train the model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if nothing changed")
    train.set_defaults(func=_train)
    commands.add_parser("eval", help="held-out accuracy per language and topic").set_defaults(func=_eval)
    desk = commands.add_parser("desk", help="the hotline desk's commands, e.g. `desk adduser NAME --role admin`")
    desk.add_argument("manage_args", nargs=argparse.REMAINDER, help="a desk/manage.py command and its arguments")
    desk.set_defaults(func=_desk)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status; expected errors become one line, not a traceback."""
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    from bot.logs import setup_logging

    setup_logging(settings)
    try:
        return int(args.func(settings, args))
    except KeneshError as error:
        print(f"kenesh: {error}", file=sys.stderr)
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        print("\nkenesh: stopped.", file=sys.stderr)
        return ExitStatus.INTERRUPTED
