"""Sphinx extension: tables of hyperparameters and learned parameters.

The tables of the user guide are made at build time from what
``ParamInspector`` reports on estimators fitted here, so that they say what
the code does, not what someone once typed.
"""

import warnings
from pathlib import Path

from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from sklearn_hp import (
    GradientDescentClassifier,
    KNearestNeighborsClassifier,
    NeuralNetworkClassifier,
    ParamInspector,
)

N_SAMPLES, N_FEATURES = 200, 10


def _estimators():
    return [
        GradientDescentClassifier(random_state=0),
        LogisticRegression(),
        NeuralNetworkClassifier(hidden_layer_sizes=(20,), random_state=0),
        MLPClassifier(hidden_layer_sizes=(20,), max_iter=50, random_state=0),
        KNearestNeighborsClassifier(),
        KNeighborsClassifier(),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        SVC(),
    ]


def _shape(shape):
    if isinstance(shape, list):
        return "[" + ", ".join(_shape(item) for item in shape) + "]"
    return " x ".join(str(n) for n in shape) if shape else "scalar"


def _cell(text):
    return text.replace("*", r"\*") or "—"


def learned_parameters_table():
    X, y = make_classification(
        n_samples=N_SAMPLES, n_features=N_FEATURES, random_state=0
    )
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 22 12 40 12",
        "",
        "   * - Estimator",
        "     - Hyperparameters",
        "     - Learned parameters (shape)",
        "     - Learned values",
    ]
    for estimator in _estimators():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            estimator.fit(X, y)
        inspector = ParamInspector(estimator)
        fitted = inspector.fitted_parameters()
        learned = fitted[fitted["kind"] == "learned"]
        described = ", ".join(
            f"``{name}`` ({_shape(shape)})"
            for name, shape in zip(learned["name"], learned["shape"])
        )
        module = type(estimator).__module__.split(".")[0]
        lines += [
            f"   * - ``{type(estimator).__name__}`` ({module})",
            f"     - {len(inspector.hyperparameters())}",
            f"     - {_cell(described)}",
            f"     - {inspector.n_learned()}",
        ]
    return "\n".join(lines) + "\n"


def _write(app):
    target = Path(app.srcdir) / "_generated"
    target.mkdir(exist_ok=True)
    (target / "learned_parameters.rst").write_text(learned_parameters_table())


def setup(app):
    app.connect("builder-inited", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
