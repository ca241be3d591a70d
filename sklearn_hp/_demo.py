"""The package's main job in one run: ``python -m sklearn_hp demo``."""

import time
import warnings

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .inspection import ParamInspector
from .linear_model import GradientDescentClassifier
from .model_selection import BayesSearchCV
from .neighbors import KNearestNeighborsClassifier
from .neural_network import NeuralNetworkClassifier


def _models(random_state):
    return [
        GradientDescentClassifier(random_state=random_state),
        NeuralNetworkClassifier(
            hidden_layer_sizes=(20,), early_stopping=True, random_state=random_state
        ),
        KNearestNeighborsClassifier(n_neighbors=5),
    ]


def _shape_text(shape):
    if isinstance(shape, list):
        return "[" + ", ".join(_shape_text(item) for item in shape) + "]"
    return str(shape).replace(" ", "")


def _hyperparameters(model):
    """List the hyperparameters changed from their defaults, then a few others."""
    table = ParamInspector(model).hyperparameters()
    changed = table[~table["is_default"].astype(bool)]
    kept = table[
        table["is_default"].astype(bool)
        & table["name"].isin(
            ["learning_rate", "batch_size", "alpha", "n_neighbors", "weights"]
        )
    ]
    return ", ".join(
        f"{name}={value!r}"
        for name, value in zip(
            [*changed["name"], *kept["name"]], [*changed["value"], *kept["value"]]
        )
    )


def _learned(model):
    """``(text of the learned attributes and shapes, number of learned values)``."""
    inspector = ParamInspector(model)
    rows = inspector.fitted_parameters().query("kind == 'learned'")
    text = ", ".join(
        f"{name} {_shape_text(shape)}"
        for name, shape in zip(rows["name"], rows["shape"])
    )
    return text, inspector.n_learned()


def _fit_quietly(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def run_demo(random_state: int = 0) -> str:
    """Run the demo and return its report.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the train/test split and of the models.

    Returns
    -------
    report : str
        Text report: each model's hyperparameters and learned parameters,
        test accuracy, and how the number of learned values grows with the
        training set.
    """
    data = load_breast_cancer()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, stratify=data.target, random_state=random_state
    )
    n_samples, n_features = data.data.shape
    lines = [
        "sklearn_hp demo: hyperparameters vs learned parameters",
        f"data: breast cancer diagnosis, {n_samples} samples x {n_features} "
        f"features ({len(X_train)} to train, {len(X_test)} to test)",
        "",
        "Hyperparameters are chosen before training and say how it runs;",
        "learned parameters are what fit() finds in the data (names ending in _).",
        "",
    ]

    for model in _models(random_state):
        name = type(model).__name__
        pipeline = _fit_quietly(
            make_pipeline(StandardScaler(), model), X_train, y_train
        )
        shapes, n_learned = _learned(model)
        lines += [
            f"{name}  (test accuracy {pipeline.score(X_test, y_test):.3f})",
            f"  hyperparameters  {_hyperparameters(model)}",
            f"  learned          {shapes}  ->  {n_learned} values",
            "",
        ]
    lines += [
        "Learned values as the training set grows: a parametric model keeps a",
        "fixed number; k-NN (non-parametric) stores the training data itself.",
        "",
    ]
    growth = {}
    for n_train in (50, 100, 200, len(X_train)):
        counts = {}
        for model in _models(random_state):
            name = type(model).__name__
            _fit_quietly(
                make_pipeline(StandardScaler(), model),
                X_train[:n_train],
                y_train[:n_train],
            )
            counts[name] = ParamInspector(model).n_learned()
        growth[n_train] = counts
    lines.append(pd.DataFrame(growth).T.rename_axis("training samples").to_string())

    lines += [
        "",
        "A hyperparameter changes what is learned: the L2 strength alpha of",
        "GradientDescentClassifier shrinks the learned weights.",
        "",
    ]
    shrinkage = []
    for alpha in (0.0001, 1.0, 100.0):
        model = GradientDescentClassifier(alpha=alpha, random_state=random_state)
        pipeline = _fit_quietly(
            make_pipeline(StandardScaler(), model), X_train, y_train
        )
        shrinkage.append(
            {
                "alpha": alpha,
                "|coef_|": round(float(np.linalg.norm(model.coef_)), 3),
                "epochs run (n_iter_)": model.n_iter_,
                "test accuracy": round(pipeline.score(X_test, y_test), 3),
            }
        )
    lines.append(pd.DataFrame(shrinkage).to_string(index=False))
    lines += ["", *_tuning(X_train, X_test, y_train, y_test, random_state)]
    return "\n".join(lines)


def _tuning(X_train, X_test, y_train, y_test, random_state):
    """Tune the same pipeline with BayesSearchCV and with GridSearchCV."""
    pipeline = make_pipeline(
        StandardScaler(), GradientDescentClassifier(random_state=random_state)
    )
    prefix = "gradientdescentclassifier__"
    bayes = BayesSearchCV(
        pipeline,
        {
            f"{prefix}learning_rate": (1e-4, 1.0, "log-uniform"),
            f"{prefix}alpha": (1e-6, 10.0, "log-uniform"),
            f"{prefix}solver": ["adam", "sgd"],
        },
        n_iter=30,
        cv=5,
        random_state=random_state,
    )
    grid = GridSearchCV(
        pipeline,
        {
            f"{prefix}learning_rate": np.logspace(-4, 0, 7).tolist(),
            f"{prefix}alpha": np.logspace(-6, 1, 8).tolist(),
            f"{prefix}solver": ["adam", "sgd"],
        },
        cv=5,
    )
    rows = []
    for name, search in (("BayesSearchCV", bayes), ("GridSearchCV", grid)):
        start = time.perf_counter()
        _fit_quietly(search, X_train, y_train)
        seconds = time.perf_counter() - start
        n_candidates = len(search.cv_results_["params"])
        rows.append(
            {
                "search": name,
                "candidates": n_candidates,
                "fits": n_candidates * search.n_splits_,
                "best CV accuracy": round(search.best_score_, 4),
                "test accuracy": round(search.score(X_test, y_test), 3),
                "seconds": round(seconds, 1),
            }
        )
    best = ", ".join(
        f"{name.removeprefix(prefix)}={_rounded(value)}"
        for name, value in bayes.best_params_.items()
    )
    return [
        "Tuning the hyperparameters of a pipeline (scaler + GradientDescentClassifier)",
        "by 5-fold cross-validation: BayesSearchCV proposes each candidate from the",
        "scores of the previous ones; GridSearchCV tries every point of a grid.",
        "",
        pd.DataFrame(rows).to_string(index=False),
        "",
        f"BayesSearchCV's best hyperparameters: {best}",
    ]


def _rounded(value):
    return f"{value:.3g}" if isinstance(value, float) else repr(value)
