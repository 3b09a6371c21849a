"""A character n-gram model of ky, ru, uz and tg, learned from the knowledge base's example questions.

No detector on PyPI covers Kyrgyz, Tajik and Uzbek together (lingua has none of them, langid
only Kyrgyz), but the knowledge base holds thousands of questions written the way migrants
write, each labelled with its language: scikit-learn learns the letters, endings and words of
each language from them, including Russian words mixed into the others (docs/measurements.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.errors import ModelError
from bot.language.normalize import fold_apostrophes

# skops loads only the types it trusts; the TF-IDF step keeps its weights in a sparse matrix.
TRUSTED_TYPES = {"scipy.sparse._csr.csr_matrix"}


def _prepare(text: str) -> str:
    return fold_apostrophes(text.lower())


class LanguageIdentifier:
    """Which of the four languages a message is written in, with a probability."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline

    @classmethod
    def train(cls, examples: Iterable[tuple[str, str]]) -> LanguageIdentifier:
        """Learn from (text, language) pairs."""
        texts, languages = zip(*((_prepare(text), language) for text, language in examples), strict=True)
        pipeline = Pipeline(
            [
                # Hashed n-grams keep no vocabulary: the saved model is 2 MB and loads in milliseconds
                # (a vocabulary of 50,000 n-grams made it 33 MB and 2 s), as accurate (docs/measurements.md).
                (
                    "ngrams",
                    HashingVectorizer(
                        analyzer="char_wb",
                        ngram_range=(1, 4),
                        lowercase=False,
                        n_features=2**16,
                        alternate_sign=False,
                        norm=None,
                    ),
                ),
                ("weights", TfidfTransformer(sublinear_tf=True)),
                ("model", LogisticRegression(C=20.0, max_iter=2000)),
            ]
        )
        return cls(pipeline.fit(texts, languages))

    def save(self, path: Path) -> None:
        import skops.io as sio

        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump(self._pipeline, path)

    @classmethod
    def load(cls, path: Path) -> LanguageIdentifier:
        """Load a saved model, refusing a file that holds anything but the expected types."""
        import zipfile

        import skops.io as sio

        try:
            untrusted = set(sio.get_untrusted_types(file=path))
            if untrusted - TRUSTED_TYPES:
                raise ModelError(f"{path} holds types that are not trusted: {sorted(untrusted - TRUSTED_TYPES)}")
            return cls(sio.load(path, trusted=sorted(untrusted)))
        except (OSError, ValueError, zipfile.BadZipFile) as error:
            raise ModelError(f"cannot load the language model {path}: {error}") from error

    def identify(self, text: str) -> tuple[str, float]:
        """The most likely language of `text` and its probability."""
        probabilities = self._pipeline.predict_proba([_prepare(text)])[0]
        best = probabilities.argmax()
        return str(self._pipeline.classes_[best]), float(probabilities[best])
