"""Bad input gets an error of the right type, naming what is wrong, at fit time.

Each case builds its object (which must not raise: nothing is checked in
``__init__``), then calls it; the error must be of the expected type and its
message must name the argument and what was expected.
"""

import re
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import make_classification
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_hp import (
    BayesSearchCV,
    GradientDescentClassifier,
    HalvingBayesSearchCV,
    KNearestNeighborsClassifier,
    NeuralNetworkRegressor,
    ParamInspector,
)

X, Y = make_classification(n_samples=40, n_features=4, random_state=0)
X_NAN = X.copy()
X_NAN[0, 0] = np.nan


class _Sampler:
    def rvs(self, random_state=None):
        return 1.0


class _NoFit:
    def get_params(self, deep=True):
        return {}


def _search(space, **kwargs):
    return BayesSearchCV(SVC(), space, cv=2, **kwargs)


def _fit(X=X, y=Y, **params):
    return lambda search: search.fit(X, y, **params)


# (id, factory, call, error, pattern of the message)
CASES = [
    # -- BayesSearchCV: the search space ----------------------------------------
    ("empty space", lambda: _search([]), _fit(), ValueError, r"search_spaces is empty"),
    (
        "space of the wrong type",
        lambda: _search("C"),
        _fit(),
        InvalidParameterError,
        r"'search_spaces' parameter .* must be an instance of 'dict', an instance of "
        r"'list'.* Got 'C' instead",
    ),
    (
        "entry that is not a dict",
        lambda: _search([{"C": [1.0]}, 3]),
        _fit(),
        TypeError,
        r"search_spaces: each entry of a list must be a dict",
    ),
    (
        "empty list of choices",
        lambda: _search({"kernel": []}),
        _fit(),
        ValueError,
        r"parameter 'kernel' need to be a non-empty sequence",
    ),
    (
        "single value not in a list",
        lambda: _search({"C": 1.0}),
        _fit(),
        TypeError,
        r"parameter 'C' needs to be a list or a numpy array, but got 1.0",
    ),
    (
        "low >= high",
        lambda: _search({"C": (10.0, 1.0)}),
        _fit(),
        ValueError,
        r"the range of 'C' needs low < high, got \(10.0, 1.0\)",
    ),
    (
        "log-uniform range from 0",
        lambda: _search({"C": (0.0, 1.0, "log-uniform")}),
        _fit(),
        ValueError,
        r"a log-uniform range needs low > 0; 'C' has low=0.0",
    ),
    (
        "unknown prior",
        lambda: _search({"C": (0.1, 1.0, "normal")}),
        _fit(),
        ValueError,
        r"the prior of 'C' must be 'uniform' or 'log-uniform', got 'normal'",
    ),
    (
        "hyperparameter the estimator does not have",
        lambda: _search({"gama": [0.1, 1.0]}),
        _fit(),
        ValueError,
        r"'gama' is not a hyperparameter of SVC. Did you mean 'gamma'\? "
        r"Valid names are: C, break_ties",
    ),
    (
        "values of the wrong type",
        lambda: _search({"C": ["small", "large"]}),
        _fit(),
        InvalidParameterError,
        r"no value of 'C' is valid \('small', 'large'\): The 'C' parameter of SVC "
        r"must be a float",
    ),
    (
        "range outside what the estimator accepts",
        lambda: _search({"C": (-2.0, -1.0)}),
        _fit(),
        InvalidParameterError,
        r"no value of 'C' is valid",
    ),
    (
        "unknown option",
        lambda: _search({"kernel": ["rbf ", "linaer"]}),
        _fit(),
        InvalidParameterError,
        r"no value of 'kernel' is valid .* must be a str among",
    ),
    (
        "distribution that cannot be searched",
        lambda: _search({"C": _Sampler()}),
        _fit(),
        TypeError,
        r"'C' is a _Sampler with an rvs method, which cannot be searched.*"
        r"Supported forms are",
    ),
    (
        "distribution family instead of a distribution",
        lambda: _search({"C": stats.loguniform}),
        _fit(),
        TypeError,
        r"'C' is the distribution family scipy.stats.loguniform, not a frozen",
    ),
    (
        "two-dimensional array of values",
        lambda: _search({"C": np.ones((2, 2))}),
        _fit(),
        ValueError,
        r"Parameter array for 'C' should be one-dimensional",
    ),
    (
        "(space, n_iter) pair with n_iter 0",
        lambda: _search([({"C": [1.0, 2.0]}, 0)]),
        _fit(),
        ValueError,
        r"the number of iterations of a \(space, n_iter\) pair must be >= 1",
    ),
    # -- BayesSearchCV: its other arguments --------------------------------------
    (
        "n_iter of 0",
        lambda: _search({"C": [1.0]}, n_iter=0),
        _fit(),
        InvalidParameterError,
        r"The 'n_iter' parameter of BayesSearchCV must be an int in the range "
        r"\[1, inf\)",
    ),
    (
        "negative n_iter",
        lambda: _search({"C": [1.0]}, n_iter=-5),
        _fit(),
        InvalidParameterError,
        r"'n_iter' parameter",
    ),
    (
        "n_points of 0",
        lambda: _search({"C": [1.0]}, n_points=0),
        _fit(),
        InvalidParameterError,
        r"The 'n_points' parameter of BayesSearchCV must be .*'auto'",
    ),
    (
        "n_points of the wrong type",
        lambda: _search({"C": [1.0]}, n_points=2.5),
        _fit(),
        InvalidParameterError,
        r"'n_points' parameter",
    ),
    (
        "unknown optimizer_kwargs",
        lambda: _search({"C": [1.0]}, optimizer_kwargs={"n_initial_point": 3}),
        _fit(),
        ValueError,
        r"optimizer_kwargs: unknown argument 'n_initial_point'. Did you mean "
        r"'n_initial_points'\?",
    ),
    (
        "random_state in optimizer_kwargs",
        lambda: _search({"C": [1.0]}, optimizer_kwargs={"random_state": 1}),
        _fit(),
        ValueError,
        r"give random_state to BayesSearchCV itself",
    ),
    (
        "callbacks that are not callable",
        lambda: _search({"C": [1.0]}, callbacks=["stop"]),
        _fit(),
        TypeError,
        r"callbacks must be callables or a list of callables; got 'stop'",
    ),
    (
        "estimator without fit",
        lambda: BayesSearchCV(_NoFit(), {"C": [1.0]}),
        _fit(),
        InvalidParameterError,
        r"The 'estimator' parameter of BayesSearchCV must be an object "
        r"implementing 'fit'",
    ),
    (
        "unknown scoring name",
        lambda: _search({"C": [1.0]}, scoring="acuracy"),
        _fit(),
        InvalidParameterError,
        r"The 'scoring' parameter of BayesSearchCV must be a str among",
    ),
    (
        "refit naming a missing scorer",
        lambda: _search({"C": [1.0]}, scoring=["accuracy", "f1"], refit="recall"),
        _fit(),
        ValueError,
        r"For multi-metric scoring, the parameter refit must be set to a scorer key",
    ),
    (
        "error_score that is not a number",
        lambda: _search({"C": [1.0]}, error_score="ignore"),
        _fit(),
        InvalidParameterError,
        r"The 'error_score' parameter of BayesSearchCV",
    ),
    (
        "checkpoint of the wrong type",
        lambda: _search({"C": [1.0]}, checkpoint=3),
        _fit(),
        InvalidParameterError,
        r"The 'checkpoint' parameter of BayesSearchCV",
    ),
    # -- BayesSearchCV: the data ---------------------------------------------------
    (
        "X and y of different lengths",
        lambda: _search({"C": [1.0]}),
        _fit(y=Y[:-1]),
        ValueError,
        r"X and y have different numbers of samples: 40 and 39",
    ),
    (
        "NaN in X for an estimator that rejects it",
        lambda: _search({"C": [1.0, 2.0]}),
        _fit(X=X_NAN),
        ValueError,
        r"Input X contains NaN",
    ),
    (
        "groups for a splitter that needs them, missing",
        lambda: BayesSearchCV(SVC(), {"C": [1.0]}, cv=GroupKFold(2)),
        _fit(),
        ValueError,
        r"The 'groups' parameter should not be None",
    ),
    # -- HalvingBayesSearchCV -----------------------------------------------------
    (
        "no candidate to start",
        lambda: HalvingBayesSearchCV(SVC(), {"C": (0.1, 1.0)}, n_candidates=0),
        _fit(),
        InvalidParameterError,
        r"The 'n_candidates' parameter of HalvingBayesSearchCV must be an int in "
        r"the range \[1, inf\) or a str among \{'exhaust'\}",
    ),
    (
        "a factor of 1",
        lambda: HalvingBayesSearchCV(SVC(), {"C": (0.1, 1.0)}, factor=1),
        _fit(),
        InvalidParameterError,
        r"The 'factor' parameter of HalvingBayesSearchCV must be a float in the "
        r"range \(1.0, inf\)",
    ),
    (
        "sub-spaces for a halving search",
        lambda: HalvingBayesSearchCV(
            SVC(), [{"C": (0.1, 1.0)}, {"gamma": (0.1, 1.0)}], cv=2
        ),
        _fit(),
        ValueError,
        r"search_spaces: a multi-fidelity search takes one dict of hyperparameters",
    ),
    # -- ParamInspector ------------------------------------------------------------
    (
        "inspector of a non-estimator",
        lambda: ParamInspector("SVC"),
        lambda inspector: inspector.hyperparameters(),
        TypeError,
        r"ParamInspector: estimator must be an estimator \(an object with "
        r"get_params\), got str",
    ),
    (
        "inspector of a class",
        lambda: ParamInspector(SVC),
        lambda inspector: inspector.fitted_parameters(),
        TypeError,
        r"estimator must be an estimator instance, got the class SVC; pass an "
        r"instance, such as SVC\(\)",
    ),
    (
        "inspector diff with a non-estimator",
        lambda: ParamInspector(SVC()),
        lambda inspector: inspector.diff([1, 2]),
        TypeError,
        r"ParamInspector: other must be an estimator",
    ),
    # -- our estimators --------------------------------------------------------------
    (
        "negative learning rate",
        lambda: GradientDescentClassifier(learning_rate=-0.1),
        _fit(),
        InvalidParameterError,
        r"The 'learning_rate' parameter of GradientDescentClassifier must be a float "
        r"in the range \(0.0, inf\)",
    ),
    (
        "unknown solver",
        lambda: GradientDescentClassifier(solver="lbfgs"),
        _fit(),
        InvalidParameterError,
        r"The 'solver' parameter of GradientDescentClassifier must be a str among",
    ),
    (
        "dropout of 1",
        lambda: NeuralNetworkRegressor(dropout=1.0),
        _fit(),
        InvalidParameterError,
        r"The 'dropout' parameter of NeuralNetworkRegressor must be a float in the "
        r"range \[0.0, 1.0\)",
    ),
    (
        "k-NN with more neighbours than samples",
        lambda: KNearestNeighborsClassifier(n_neighbors=100),
        lambda knn: knn.fit(X, Y).predict(X),
        ValueError,
        r"Expected n_neighbors <= n_samples_fit, but n_neighbors = 100",
    ),
    (
        "NaN in X for our estimator",
        lambda: make_pipeline(StandardScaler(), GradientDescentClassifier()),
        _fit(X=X_NAN),
        ValueError,
        r"Input X contains NaN",
    ),
]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:Scoring failed")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
@pytest.mark.parametrize(
    ("factory", "call", "error", "pattern"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_bad_input_is_reported_at_fit_time(factory, call, error, pattern):
    built = factory()  # nothing is checked in __init__
    with pytest.raises(error, match=re.compile(pattern, re.DOTALL)):
        call(built)


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a model")
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_hp", "inspect", str(path), "--trust"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{path} is not a model file joblib or pickle can read" in result.stderr
