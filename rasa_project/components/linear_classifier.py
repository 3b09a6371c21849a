"""Intent classifier: TF-IDF-weighted n-gram counts from the featurizers → logistic regression.

Rasa's own LogisticRegressionClassifier fits raw counts with a fixed regularisation; on our
short multilingual questions TF-IDF weighting and a weaker regularisation (C) are much more
accurate, and its probabilities are better calibrated than DIET's (docs/measurements.md).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

logger = logging.getLogger(__name__)
# skops loads only the types it trusts; the TF-IDF step keeps its weights in a sparse matrix.
EXTRA_TRUSTED_TYPES = {"scipy.sparse._csr.csr_matrix"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression over TF-IDF-weighted sparse sentence features."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 20.0,
            "max_iter": 3000,
            "sublinear_tf": True,
            "class_weight": None,
        }

    def __init__(self, config: dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf = Pipeline(
            [
                ("tfidf", TfidfTransformer(sublinear_tf=self.config["sublinear_tf"])),
                (
                    "model",
                    LogisticRegression(
                        C=self.config["C"],
                        max_iter=self.config["max_iter"],
                        class_weight=self.config["class_weight"],
                        tol=self.config["tol"],
                        random_state=self.config["random_state"],
                    ),
                ),
            ]
        )

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfLogisticRegressionClassifier:
        """Load the trained pipeline, trusting only the types it is known to contain."""
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / f"{resource.name}.skops"
                untrusted = sio.get_untrusted_types(file=path)
                unexpected = set(untrusted) - EXTRA_TRUSTED_TYPES
                if unexpected:
                    raise TypeError(f"{path} holds types that are not trusted: {sorted(unexpected)}")
                component = cls(config, execution_context.node_name, model_storage, resource)
                component.clf = sio.load(path, trusted=untrusted)
                return component
        except ValueError:  # nothing persisted: the model was trained without intent examples
            logger.debug("No trained %s in the model; starting untrained.", cls.__name__)
            return cls.create(config, model_storage, resource, execution_context)
