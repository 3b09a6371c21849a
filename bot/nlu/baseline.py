"""The simple baseline `make eval` sets beside the Rasa pipeline, so the pipeline earns its place.

Character n-gram TF-IDF (on the same normalised text) + logistic regression, from scikit-learn,
trained on the same examples as the model, answering under the same thresholds as Rasa's
FallbackClassifier (read from rasa_project/config.yml).
"""

from __future__ import annotations

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.incoming import clean
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.render import offered_topics
from bot.language.detect import detect, load_identifier
from bot.language.normalize import normalize
from bot.nlu.classify import Classification
from bot.nlu.dataset import examples
from bot.settings import Settings


def fallback_thresholds(settings: Settings) -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the FallbackClassifier in config.yml."""
    config = yaml.safe_load((settings.rasa_project_dir / "config.yml").read_text(encoding="utf-8"))
    fallback = next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")
    return float(fallback["threshold"]), float(fallback["ambiguity_threshold"])


class Baseline:
    """TF-IDF + logistic regression with the same interface as bot.nlu.classify.Classifier."""

    def __init__(self, settings: Settings, kb: KnowledgeBase) -> None:
        self.settings, self.topics = settings, set(kb.topics)
        self.threshold, self.ambiguity = fallback_thresholds(settings)
        self.language_model = load_identifier(settings.language_model_path)
        training = list(examples(kb, held_out=False))
        self.pipeline = Pipeline(
            [
                (
                    "tfidf",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(2, 5), preprocessor=normalize, sublinear_tf=True, min_df=1
                    ),
                ),
                ("model", LogisticRegression(C=20.0, max_iter=3000)),
            ]
        )
        self.pipeline.fit([e.text for e in training], [e.intent for e in training])

    def classify(self, text: str) -> Classification:
        incoming = clean(text, self.settings.max_message_chars)
        language = detect(incoming.text, self.language_model).language
        if not incoming.has_words:
            return Classification(None, language, 0.0, "nlu_fallback")
        probabilities = self.pipeline.predict_proba([incoming.text])[0]
        ranked = sorted(zip(probabilities, self.pipeline.classes_, strict=True), reverse=True)
        (best, first_choice), second = ranked[0], ranked[1][0] if len(ranked) > 1 else 0.0
        intent = first_choice
        if best < self.threshold or best - second < self.ambiguity:
            intent = "nlu_fallback"
        topic = intent if intent in self.topics else None
        offered = offered_topics((name for _, name in ranked), self.topics)
        return Classification(topic, language, round(float(best), 4), intent, first_choice, offered)
