"""The language-understanding model: training data from knowledge/, the held-out split, training,
loading, classifying and evaluating (with a scikit-learn baseline beside it)."""
