"""A Rasa tokenizer that splits the normalised skeleton of a message (bot.language.normalize).

Training and inference both go through it, so "повестка", "povestka" and "пoвeстка" (with Latin
letters inside) become the same tokens. The message text itself is not changed: actions and
language detection still see what the user typed.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.normalize import normalize


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NormalizingTokenizer(WhitespaceTokenizer):
    """Whitespace tokenizer over the normalised text of the user's message."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        if attribute != TEXT or not message.get(attribute):
            return super().tokenize(message, attribute)
        skeleton = Message(data={attribute: normalize(message.get(attribute))})
        return super().tokenize(skeleton, attribute)
