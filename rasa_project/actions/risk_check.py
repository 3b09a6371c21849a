"""The personal risk check: a Rasa form with one slot, `risk_answer`, asked again for each question.

The questions, their order and when each is asked come from knowledge/risk_rules.yaml through
bot.risk.engine; this module only keeps the answers in slots, reads each message (bot.risk.answers)
and renders the questions and the card. "Back", "change", "stop" and "start over" work at every
step, as buttons or typed in any language. Answers live in the tracker (erased after the retention
limit or with /forget); the slots are cleared as soon as the card is shown or the check is stopped.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.knowledge.render import RISK_CHECK, Answer, Button, with_contacts
from bot.language.codes import SCRIPTS, base_language
from bot.language.i18n import gettext_for, in_script
from bot.risk.answers import Input, payload, read_input
from bot.risk.card import risk_card
from bot.risk.engine import AnswerError, Assessment, assess, check_answer, next_question
from bot.risk.rules import Control, RiskRules

from .common import SETTINGS, knowledge, language_event, risk_rules, send, served, signal, user_script

SLOT, ANSWERS, MODE, STATUS = "risk_answer", "risk_answers", "risk_mode", "risk_status"
DONE, STOPPED, CHANGING = "done", "stopped", "change"


@dataclass(frozen=True)
class Interview:
    """The state of one check: answers in the order given, and what the person is doing."""

    answers: tuple[tuple[str, str], ...] = ()
    mode: str | None = None  # CHANGING: choosing an earlier answer to change
    status: str | None = None  # DONE or STOPPED: the form ends

    @classmethod
    def of(cls, tracker: Tracker) -> Interview:
        stored = json.loads(tracker.get_slot(ANSWERS) or "[]")
        return cls(tuple((q, a) for q, a in stored), tracker.get_slot(MODE), tracker.get_slot(STATUS))

    def as_dict(self) -> dict[str, str]:
        return dict(self.answers)

    def slots(self) -> dict[str, Any]:
        return {
            SLOT: None,
            ANSWERS: json.dumps(self.answers, ensure_ascii=False) if self.answers else None,
            MODE: self.mode,
            STATUS: self.status,
        }

    def without(self, question_id: str) -> Interview:
        return replace(self, answers=tuple(pair for pair in self.answers if pair[0] != question_id), mode=None)

    def answered(self, question_id: str, value: str) -> Interview:
        rest = self.without(question_id)
        return replace(rest, answers=rest.answers + ((question_id, value),))


def apply(rules_: RiskRules, interview: Interview, message: Input) -> Interview:
    """The interview after one message; the status is DONE once no question is left."""
    if message.kind == "control":
        control = Control(message.value)
        if control is Control.stop:
            return Interview(status=STOPPED)
        if control is Control.restart:
            return Interview()
        if control is Control.back:
            return replace(interview, answers=interview.answers[:-1], mode=None)
        return replace(interview, mode=CHANGING if interview.answers else None)
    # read_input gives every "edit" and "answer" a value; one without would change nothing.
    if message.kind == "edit" and message.value is not None:
        return interview.without(message.value)
    question = next_question(rules_, interview.as_dict())
    if message.kind == "answer" and message.value is not None and question is not None:
        updated = interview.answered(question.id, check_answer(question, message.value))
        finished = next_question(rules_, updated.as_dict()) is None
        return replace(updated, status=DONE if finished else None)
    return interview


def interview_script(tracker: Tracker) -> str:
    """The language of the check stays the one it started in: one-word answers ("Кыргызстан",
    "назад") say little about the language a person reads."""
    stored = tracker.get_slot("language")
    return stored if stored in SCRIPTS else user_script(tracker)


class ValidateRiskCheckForm(FormValidationAction):
    def name(self) -> str:
        return "validate_risk_check_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """One slot, asked again and again, until the check is done or stopped."""
        return [] if tracker.get_slot(STATUS) in (DONE, STOPPED) else [SLOT]

    def validate_risk_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the message as an answer or a control; say so when it was not understood."""
        if value is None:  # the slot was only cleared (the check just started), nothing was said
            return {}
        interview, script, rules_ = Interview.of(tracker), interview_script(tracker), risk_rules()
        question = next_question(rules_, interview.as_dict())
        message = read_input(rules_, question, str(value or ""), base_language(script), dt.date.today())
        _ = gettext_for(script)
        if message.kind == "unknown":
            dispatcher.utter_message(
                text=_("I did not understand. Please press a button, or write the answer in other words.")
            )
        try:
            return apply(rules_, interview, message).slots()
        except AnswerError:  # a button of an earlier question, pressed again: the current one is asked again
            dispatcher.utter_message(
                text=_("This button is from an earlier question. Please answer the question below.")
            )
            return interview.slots()


def question_answer(rules_: RiskRules, interview: Interview, script: str) -> Answer:
    """The next question with its options and the controls as buttons (or the list of answers to change)."""
    _ = gettext_for(script)
    language = base_language(script)
    controls = [Control.back, Control.change, Control.restart] if interview.answers else []
    control_buttons = [
        Button(in_script(script, rules_.controls[c][language].label), payload(c.value))
        for c in controls + [Control.stop]
    ]
    if interview.mode == CHANGING:
        return Answer(
            _("Which answer do you want to change?"),
            tuple(_edit_button(rules_, q, a, script) for q, a in interview.answers) + tuple(control_buttons),
        )
    question = next_question(rules_, interview.as_dict())
    if question is None:
        return Answer(_("All questions are answered."), tuple(control_buttons))
    text = question.text[language]
    options = [Button(in_script(script, text.options[o]), payload("answer", o)) for o in question.options]
    return Answer(in_script(script, text.question), tuple(options + control_buttons))


def _edit_button(rules_: RiskRules, question_id: str, answer: str, script: str) -> Button:
    text = rules_.question(question_id).text[base_language(script)]
    shown = text.options.get(answer, answer)
    title = f"{text.question} — {shown}"
    return Button(in_script(script, title if len(title) <= 60 else title[:57] + "…"), payload("edit", question_id))


class ActionAskRiskAnswer(Action):
    def name(self) -> str:
        return "action_ask_risk_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Ask the next question of the check."""
        send(dispatcher, question_answer(risk_rules(), Interview.of(tracker), interview_script(tracker)))
        return []


class ActionRiskStart(Action):
    def name(self) -> str:
        return "action_risk_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Explain the check and clear any earlier answers."""
        kb, script = knowledge(), user_script(tracker)
        _ = gettext_for(script)
        hours = SETTINGS.retention_hours
        intro = (
            with_contacts(kb, script, kb.meta[RISK_CHECK].text[base_language(script)].short)
            if RISK_CHECK in kb.meta
            else ""
        )
        note = _("Your answers are kept for {hours} hours at most; /forget erases them at once.").format(
            hours=f"{hours:g}"
        )
        dispatcher.utter_message(text=f"{intro}\n\n{note}".strip())
        return cleared() + language_event(tracker, script)


class ActionRiskCard(Action):
    def name(self) -> str:
        return "action_risk_card"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Show the card (or confirm the stop), then clear the answers."""
        now, script = served(), interview_script(tracker)  # the knowledge base and rules of one version
        interview = Interview.of(tracker)
        if interview.status == DONE:
            today = dt.date.today()
            assessment = assess(now.rules, interview.as_dict(), today)
            for message in risk_card(now.knowledge, now.rules, assessment, script, today):
                send(dispatcher, message)
            signal(dispatcher, risk=risk_signal(assessment))
        else:
            _ = gettext_for(script)
            send(dispatcher, Answer(_("The check is stopped.")))
        return cleared()


def risk_signal(assessment: Assessment) -> dict[str, Any]:
    """What a case card may carry of the check: levels, dated deadlines, urgency (never the answers)."""
    return {
        "levels": {jurisdiction: level.value for jurisdiction, level in assessment.levels.items()},
        "deadlines": [{"finding": d.finding, "id": d.id, "date": d.date.isoformat()} for d in assessment.deadlines],
        "urgent": assessment.urgent,
    }


def cleared() -> list[dict[str, Any]]:
    """Events that clear every answer of the check from the slots."""
    return [SlotSet(name, None) for name in (ANSWERS, MODE, STATUS)]
