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


# Hyperparameters worth showing at their defaults: those that most change
# what these models learn.
_SHOWN_AT_DEFAULT = ("learning_rate", "batch_size", "alpha", "max_iter", "solver")
# Seeds say how the randomness is drawn, not how the model learns: shown last.
_SEEDS = ("random_state", "seed")


def _hyperparameters(model):
    """Return the lines listing a model's hyperparameters, changed ones first.

    Changed from the default first (marked ``*``), then the defaults that
    matter most for these models, the seed last; every one for a model with
    few. The first line says how many of how many are shown.
    """
    table = ParamInspector(model).hyperparameters()
    changed = ~table["is_default"].astype(bool)
    seed = table["name"].isin(_SEEDS)
    if len(table) <= 6:
        shown = table.index
    else:
        shown = table.index[changed | table["name"].isin(_SHOWN_AT_DEFAULT)]
    # changed (not seeds), then defaults, then seeds
    order = sorted(shown, key=lambda i: (bool(seed[i]), not changed[i]))
    items = [
        f"{table.at[i, 'name']}={table.at[i, 'value']!r}" + ("*" if changed[i] else "")
        for i in order
    ]
    what = (
        f"all {len(table)}"
        if len(order) == len(table)
        else f"{len(order)} of {len(table)}: those changed, the main defaults, seeds"
    )
    lines = [f"  hyperparameters  ({what})"]
    line = " " * 19
    for item in items:
        if len(line) + len(item) > 78 and line.strip():
            lines.append(line.rstrip())
            line = " " * 19
        line += item + ", "
    lines.append(line.rstrip(", "))
    return lines


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
        "Hyperparameters marked * are changed from their defaults; seeds come last.",
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
            *_hyperparameters(model),
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
        "GradientDescentClassifier shrinks the learned weights. ||coef_|| is their",
        "Euclidean length (the square root of the sum of the squared weights).",
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
                "alpha": f"{alpha:g}",
                "||coef_||": round(float(np.linalg.norm(model.coef_)), 3),
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
    bayes_space = {
        "learning_rate": (1e-4, 1.0, "log-uniform"),
        "alpha": (1e-6, 10.0, "log-uniform"),
        "solver": ["adam", "sgd"],
    }
    grid_space = {
        "learning_rate": np.logspace(-4, 0, 7).tolist(),
        "alpha": np.logspace(-6, 1, 8).tolist(),
        "solver": ["adam", "sgd"],
    }
    searches = {
        "BayesSearchCV": BayesSearchCV(
            pipeline,
            {prefix + name: values for name, values in bayes_space.items()},
            n_iter=30,
            cv=5,
            random_state=random_state,
        ),
        "GridSearchCV": GridSearchCV(
            pipeline,
            {prefix + name: values for name, values in grid_space.items()},
            cv=5,
        ),
    }
    n_points = int(np.prod([len(values) for values in grid_space.values()]))
    lines = [
        "Tuning the pipeline (scaler + GradientDescentClassifier) by 5-fold",
        f"cross-validation on the {len(X_train)} training samples, over these spaces:",
        "",
        "  BayesSearchCV: 30 candidates, each proposed from the scores of those before",
        *(
            f"    {name:<14} {_range_text(values)}"
            for name, values in bayes_space.items()
        ),
        f"  GridSearchCV: every point of the grid, "
        f"{' x '.join(str(len(v)) for v in grid_space.values())} = {n_points}",
        *(
            f"    {name:<14} {_grid_text(values)}"
            for name, values in grid_space.items()
        ),
        "",
    ]
    rows, best = [], []
    for name, search in searches.items():
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
        params = ", ".join(
            f"{key.removeprefix(prefix)}={_rounded(value)}"
            for key, value in search.best_params_.items()
        )
        best.append(f"  {name:<14} {params}")
    lines += [pd.DataFrame(rows).to_string(index=False), "", "Best hyperparameters:"]
    lines += [*best, "", *_selection_noise(rows, len(X_test))]
    return lines


def _selection_noise(rows, n_test):
    """Say what the two scores mean, and what this run shows of it."""
    bayes, grid = rows
    lines = [
        "The best CV accuracy is the highest of many noisy estimates: it flatters",
        "the candidate that won, and more so when more candidates were compared.",
        f"The test accuracy, measured once on {n_test} samples no search saw, is the",
        f"fair estimate; one test sample is {1 / n_test:.3f} of it.",
    ]
    cv_order = np.sign(bayes["best CV accuracy"] - grid["best CV accuracy"])
    test_order = np.sign(bayes["test accuracy"] - grid["test accuracy"])
    n_samples = round(abs(bayes["test accuracy"] - grid["test accuracy"]) * n_test)
    if cv_order != 0 and test_order != 0 and cv_order != test_order:
        higher = "BayesSearchCV" if cv_order > 0 else "GridSearchCV"
        lines.append(
            f"Here {higher}'s higher CV accuracy did not carry over to the test "
            f"set ({n_samples} test samples apart)."
        )
    elif n_samples:
        lines.append(
            f"Here the two models' test accuracies are {n_samples} test samples apart."
        )
    return lines


def _range_text(values):
    low, high, prior = values if isinstance(values, tuple) else (None, None, None)
    if prior is None:
        return " or ".join(repr(value) for value in values)
    return f"{prior} on [{low:g}, {high:g}]"


def _grid_text(values):
    if all(isinstance(value, str) for value in values):
        return ", ".join(repr(value) for value in values)
    return f"{len(values)} values from {values[0]:g} to {values[-1]:g}, log-spaced"


def _rounded(value):
    return f"{value:.3g}" if isinstance(value, float) else repr(value)
