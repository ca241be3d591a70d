"""BayesSearchCV in place of GridSearchCV and RandomizedSearchCV, as users swap them.

Each script below is written as scikit-learn's gallery writes its examples,
with scikit-learn's search. It runs twice: as written, and with only the
search's import and class name changed to ``BayesSearchCV``. Where the space
is finite and ``n_iter`` covers it, both runs must print the same thing (best
parameters, scores); otherwise, every fitted attribute of the two searches
must have the same keys, types, dtypes and shapes.

The tests after the scripts back the rows of the table of differences in
``docs/user_guide/coming_from.rst``, one test per row.
"""

import contextlib
import io
import pickle
import re
import textwrap

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.model_selection._search import BaseSearchCV
from sklearn.svm import SVC
from skopt.callbacks import DeltaYStopper

from sklearn_hp import BayesSearchCV, TimeBudgetStopper

# -- the scripts ---------------------------------------------------------------

NESTED_CROSS_VALIDATION = """
import numpy as np
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import KFold, cross_val_score
from sklearn.svm import SVC

X_iris, y_iris = load_iris(return_X_y=True)
p_grid = {"C": [1, 10, 100], "gamma": [0.01, 0.1]}
svm = SVC(kernel="rbf")
inner_cv = KFold(n_splits=4, shuffle=True, random_state=0)
outer_cv = KFold(n_splits=4, shuffle=True, random_state=0)

clf = GridSearchCV(estimator=svm, param_grid=p_grid, cv=inner_cv)
clf.fit(X_iris, y_iris)
non_nested_score = clf.best_score_

nested_score = cross_val_score(clf, X=X_iris, y=y_iris, cv=outer_cv)
print(f"Best parameters: {clf.best_params_}")
print(f"Non-nested score: {non_nested_score:.6f}")
print(f"Nested scores: {np.round(nested_score, 6)}")
print(f"Score difference: {non_nested_score - nested_score.mean():.6f}")
"""

CALLABLE_REFIT = """
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC


def lower_bound(cv_results):
    best_score_idx = np.argmax(cv_results["mean_test_score"])
    return (
        cv_results["mean_test_score"][best_score_idx]
        - cv_results["std_test_score"][best_score_idx]
    )


def best_low_complexity(cv_results):
    threshold = lower_bound(cv_results)
    candidate_idx = np.flatnonzero(cv_results["mean_test_score"] >= threshold)
    best_idx = candidate_idx[
        cv_results["param_reduce_dim__n_components"][candidate_idx].argmin()
    ]
    return best_idx


pipe = Pipeline(
    [
        ("reduce_dim", PCA(random_state=42)),
        ("classify", LinearSVC(random_state=42, C=0.01)),
    ]
)
param_grid = {"reduce_dim__n_components": [6, 8, 10, 12, 14]}
X, y = load_digits(return_X_y=True)
X, y = X[:500], y[:500]

grid = GridSearchCV(
    pipe,
    cv=5,
    n_jobs=1,
    param_grid=param_grid,
    scoring="accuracy",
    refit=best_low_complexity,
)
grid.fit(X, y)

n_components = grid.cv_results_["param_reduce_dim__n_components"]
test_scores = grid.cv_results_["mean_test_score"]
print("The best_index_ is %d" % grid.best_index_)
print("The n_components selected is %d" % n_components[grid.best_index_])
print(
    "The corresponding accuracy score is %.4f"
    % grid.cv_results_["mean_test_score"][grid.best_index_]
)
print("Scores:", np.round(test_scores, 4))
print("Has best_score_:", hasattr(grid, "best_score_"))
"""

MULTI_METRIC = """
import numpy as np
from sklearn.datasets import make_hastie_10_2
from sklearn.metrics import accuracy_score, make_scorer
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

X, y = make_hastie_10_2(n_samples=600, random_state=42)
scoring = {"AUC": "roc_auc", "Accuracy": make_scorer(accuracy_score)}

gs = GridSearchCV(
    DecisionTreeClassifier(random_state=42),
    param_grid={"min_samples_split": range(2, 403, 20)},
    scoring=scoring,
    refit="AUC",
    n_jobs=2,
    return_train_score=True,
)
gs.fit(X, y)
results = gs.cv_results_

print("Best:", gs.best_params_, round(gs.best_score_, 6))
X_axis = np.array(results["param_min_samples_split"].data, dtype=float)
print("X axis:", X_axis)
for scorer in sorted(scoring):
    for sample in ("train", "test"):
        sample_score_mean = results["mean_%s_%s" % (sample, scorer)]
        sample_score_std = results["std_%s_%s" % (sample, scorer)]
        print(scorer, sample, np.round(sample_score_mean, 4))
        print(scorer, sample, "std", np.round(sample_score_std, 4))
    best_index = np.nonzero(results["rank_test_%s" % scorer] == 1)[0][0]
    best_score = results["mean_test_%s" % scorer][best_index]
    print(scorer, "best", X_axis[best_index], round(best_score, 4))
"""

ESTIMATORS_AS_VALUES = """
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import NMF, PCA
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import LinearSVC

X, y = load_digits(return_X_y=True)
X, y = X[:400], y[:400]

pipe = Pipeline(
    [
        ("scaling", MinMaxScaler()),
        ("reduce_dim", "passthrough"),
        ("classify", LinearSVC(dual=False, max_iter=10000)),
    ]
)

N_FEATURES_OPTIONS = [2, 4, 8]
C_OPTIONS = [1, 10, 100]
param_grid = [
    {
        "reduce_dim": [PCA(iterated_power=7), NMF(max_iter=1_000)],
        "reduce_dim__n_components": N_FEATURES_OPTIONS,
        "classify__C": C_OPTIONS,
    },
    {
        "reduce_dim": [SelectKBest(chi2)],
        "reduce_dim__k": N_FEATURES_OPTIONS,
        "classify__C": C_OPTIONS,
    },
]
reducer_labels = ["PCA", "NMF", "KBest(chi2)"]

grid = GridSearchCV(pipe, n_jobs=1, param_grid=param_grid, cv=3)
grid.fit(X, y)

mean_scores = np.array(grid.cv_results_["mean_test_score"])
# scores are in the order of param_grid iteration, which is alphabetical
mean_scores = mean_scores.reshape(len(C_OPTIONS), -1, len(N_FEATURES_OPTIONS))
# select score for best C
mean_scores = mean_scores.max(axis=0)
for label, scores in zip(reducer_labels, mean_scores):
    print(label, np.round(scores, 4))
print("Best:", grid.best_params_)
print("Best estimator:", grid.best_estimator_)
"""

REPEATED_FOLDS_AND_DATAFRAME = """
import pandas as pd
from sklearn.datasets import make_moons
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.svm import SVC

X, y = make_moons(noise=0.352, random_state=1, n_samples=100)

param_grid = [
    {"kernel": ["linear"]},
    {"kernel": ["poly"], "degree": [2, 3]},
    {"kernel": ["rbf"]},
]
svc = SVC(random_state=0)
cv = RepeatedStratifiedKFold(n_splits=5, n_repeats=4, random_state=0)
search = GridSearchCV(estimator=svc, param_grid=param_grid, scoring="roc_auc", cv=cv)
search.fit(X, y)

results_df = pd.DataFrame(search.cv_results_)
results_df = results_df.sort_values(by=["rank_test_score"])
results_df = results_df.set_index(
    results_df["params"].apply(lambda x: "_".join(str(val) for val in x.values()))
).rename_axis("kernel")
print(
    results_df[["params", "rank_test_score", "mean_test_score", "std_test_score"]]
    .round(6)
    .to_string()
)
model_scores = results_df.filter(like="split")
print(model_scores.shape)
print(model_scores.round(6).to_string())
print(results_df.dtypes.drop(["mean_fit_time", "std_fit_time"]).to_string())
"""

RANDOMIZED_WITH_SCIPY_STATS = """
import numpy as np
import scipy.stats as stats
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import RandomizedSearchCV

X, y = load_digits(return_X_y=True, n_class=3)
clf = SGDClassifier(loss="hinge", penalty="elasticnet", fit_intercept=True)


def report(results, n_top=3):
    for i in range(1, n_top + 1):
        candidates = np.flatnonzero(results["rank_test_score"] == i)
        for candidate in candidates:
            print("Model with rank: {0}".format(i))
            print(
                "Mean validation score: {0:.3f} (std: {1:.3f})".format(
                    results["mean_test_score"][candidate],
                    results["std_test_score"][candidate],
                )
            )
            print("Parameters: {0}".format(results["params"][candidate]))
            print("")


param_dist = {
    "average": [True, False],
    "l1_ratio": stats.uniform(0, 1),
    "alpha": stats.loguniform(1e-2, 1e0),
}
n_iter_search = 12
random_search = RandomizedSearchCV(
    clf, param_distributions=param_dist, n_iter=n_iter_search, random_state=0
)
random_search.fit(X, y)
report(random_search.cv_results_)
"""

_SEARCHES = r"\b(GridSearchCV|RandomizedSearchCV)\b"


def _swapped(script):
    """The script with only the search's import and class name changed."""
    imported = re.sub(
        rf"^from sklearn\.model_selection import {_SEARCHES}$",
        "from sklearn_hp import BayesSearchCV",
        script,
        flags=re.MULTILINE,
    )
    return re.sub(_SEARCHES, "BayesSearchCV", imported)


def _run(script):
    """Run a script; return what it printed and the names it bound."""
    namespace = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(textwrap.dedent(script), "<gallery script>", "exec"), namespace)
    return printed.getvalue(), namespace


def _structure(value):
    """What code reading a value relies on: types, keys, dtypes and shapes."""
    if isinstance(value, np.ndarray):
        return (type(value).__name__, value.dtype.kind, value.shape)
    if isinstance(value, dict):
        return {key: _structure(item) for key, item in value.items()}
    if isinstance(value, list):
        return ("list", [_structure(item) for item in value])
    if isinstance(value, BaseEstimator):
        return (type(value).__name__, _fitted_structure(value))
    if callable(value):
        return "callable"
    return type(value).__name__


def _fitted_structure(estimator, names=None):
    if names is None:
        names = [
            name
            for name in vars(estimator)
            if name.endswith("_") and not name.startswith("_")
        ]
    return {name: _structure(getattr(estimator, name)) for name in sorted(names)}


def _searches(namespace):
    return [v for v in namespace.values() if isinstance(v, BaseSearchCV)]


def _fitted_attributes(search):
    # dir(), not vars(): classes_ and n_features_in_ are properties
    return [
        name
        for name in dir(search)
        if name.endswith("_")
        and not name.startswith("_")
        and hasattr(search, name)
        and name not in {"optimizer_results_", "search_info_"}
    ]


def _assert_same_fitted_structure(expected, ours):
    names = _fitted_attributes(expected)
    assert _fitted_attributes(ours) == names
    assert _fitted_structure(ours, names) == _fitted_structure(expected, names)
    assert list(ours.cv_results_) == list(expected.cv_results_)


COVERED = {
    "nested cross-validation": NESTED_CROSS_VALIDATION,
    "callable refit": CALLABLE_REFIT,
    "multi-metric, refit='AUC'": MULTI_METRIC,
    "estimators as grid values, a list of dicts": ESTIMATORS_AS_VALUES,
    "RepeatedStratifiedKFold, columns selected by name": REPEATED_FOLDS_AND_DATAFRAME,
}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("script", COVERED.values(), ids=COVERED.keys())
def test_a_covered_grid_prints_what_gridsearchcv_prints(script):
    swapped = _swapped(script)
    assert "BayesSearchCV" in swapped
    assert not re.search(_SEARCHES, swapped)
    expected_output, expected = _run(script)
    output, ours = _run(swapped)
    assert output == expected_output
    (expected_search,), (our_search,) = _searches(expected), _searches(ours)
    assert type(our_search) is BayesSearchCV
    if hasattr(expected_search, "cv_results_"):
        _assert_same_fitted_structure(expected_search, our_search)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_randomized_search_gives_the_same_fitted_structure():
    expected_output, expected = _run(RANDOMIZED_WITH_SCIPY_STATS)
    output, ours = _run(_swapped(RANDOMIZED_WITH_SCIPY_STATS))
    (expected_search,), (our_search,) = _searches(expected), _searches(ours)
    _assert_same_fitted_structure(expected_search, our_search)
    assert len(our_search.cv_results_["params"]) == 12
    for printed in (expected_output, output):
        assert "Model with rank: 1" in printed
        assert "Parameters: {'alpha': " in printed
    # the candidates are BayesSearchCV's own, drawn from the same space
    for params in our_search.cv_results_["params"]:
        assert params["average"] in (True, False)
        assert 0 <= params["l1_ratio"] <= 1
        assert 1e-2 <= params["alpha"] <= 1


# -- the arguments under GridSearchCV's and RandomizedSearchCV's names -----------

X_CLF, Y_CLF = make_classification(n_samples=80, n_features=5, random_state=0)
X_REG, Y_REG = make_regression(n_samples=60, n_features=4, noise=1.0, random_state=0)
GRID = {"C": [0.1, 1.0, 10.0], "kernel": ["linear", "rbf"]}


@pytest.mark.parametrize("name", ["search_spaces", "param_grid", "param_distributions"])
def test_the_space_under_each_name_gives_the_same_search(name):
    reference = BayesSearchCV(SVC(), GRID, cv=3).fit(X_CLF, Y_CLF)
    search = BayesSearchCV(SVC(), **{name: GRID}, cv=3).fit(X_CLF, Y_CLF)
    assert search.cv_results_["params"] == reference.cv_results_["params"]
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"]
    )
    assert search.get_params()[name] is GRID


@pytest.mark.parametrize("name", ["param_grid", "param_distributions"])
def test_the_space_under_sklearn_names_round_trips(name):
    search = BayesSearchCV(Ridge(), **{name: {"alpha": [0.1, 1.0]}}, cv=2)
    params = search.get_params(deep=False)
    assert params[name] == {"alpha": [0.1, 1.0]}
    assert params["search_spaces"] is None
    cloned = clone(search)
    assert cloned.get_params(deep=False)[name] == {"alpha": [0.1, 1.0]}
    unpickled = pickle.loads(pickle.dumps(search.fit(X_REG, Y_REG)))
    assert getattr(unpickled, name) == {"alpha": [0.1, 1.0]}
    assert unpickled.best_params_ == search.best_params_
    moved = clone(search).set_params(**{name: None, "search_spaces": {"alpha": [2.0]}})
    assert moved.fit(X_REG, Y_REG).best_params_ == {"alpha": 2.0}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("search_spaces", "param_grid"),
        ("search_spaces", "param_distributions"),
        ("param_grid", "param_distributions"),
    ],
)
def test_two_names_of_the_space_are_refused_naming_both(first, second):
    search = BayesSearchCV(
        Ridge(), **{first: {"alpha": [1.0]}, second: {"alpha": [2.0]}}
    )
    with pytest.raises(ValueError, match=f"{first} and {second} are both given"):
        search.fit(X_REG, Y_REG)


@pytest.mark.parametrize("name", ["param_grid", "param_distributions"])
def test_errors_name_the_argument_the_space_was_given_under(name):
    with pytest.raises(TypeError, match=f"^{name}: Parameter grid for parameter 'C'"):
        BayesSearchCV(SVC(), **{name: {"C": 1.0}}).fit(X_CLF, Y_CLF)
    with pytest.raises(ValueError, match=f"^{name}: 'Cee' is not a hyperparameter"):
        BayesSearchCV(SVC(), **{name: {"Cee": [1.0]}}).fit(X_CLF, Y_CLF)


def test_verbose_prints_what_gridsearchcv_prints():
    def printed(search, verbose):
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            search.set_params(verbose=verbose).fit(X_CLF, Y_CLF)
        # the times differ from one run to another
        return re.sub(r"time=\s*[\d.]+s", "time=?", output.getvalue())

    for verbose in (1, 2, 3, 10):
        expected = printed(GridSearchCV(SVC(), GRID, cv=3), verbose)
        assert printed(BayesSearchCV(SVC(), GRID, cv=3), verbose) == expected
        assert expected.count("Fitting 3 folds for each of 6 candidates") == 1


# -- the table of differences, a test per row ------------------------------------


def test_a_grid_larger_than_n_iter_is_searched_not_walked():
    grid = {"C": list(np.logspace(-3, 3, 20)), "kernel": ["linear", "rbf", "poly"]}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        search = BayesSearchCV(
            SVC(), param_grid=grid, cv=2, verbose=1, random_state=0
        ).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 50
    assert output.getvalue().splitlines() == [
        "[BayesSearchCV] Searching 50 of the 60 points of the grid: n_iter=50 "
        "caps the search",
        "Fitting 2 folds for each of 50 candidates, totalling 100 fits",
    ]
    grid_points = {(c, k) for c in grid["C"] for k in grid["kernel"]}
    searched = {(p["C"], p["kernel"]) for p in search.cv_results_["params"]}
    assert len(searched) == 50
    assert searched <= grid_points
    everything = BayesSearchCV(SVC(), param_grid=grid, n_iter=60, cv=2)
    assert len(everything.fit(X_CLF, Y_CLF).cv_results_["params"]) == 60


def test_identical_candidates_are_fitted_once():
    grid = {"C": [1.0, 1.0, 10.0]}
    expected = GridSearchCV(SVC(), grid, cv=2).fit(X_CLF, Y_CLF)
    ours = BayesSearchCV(SVC(), grid, cv=2).fit(X_CLF, Y_CLF)
    assert len(expected.cv_results_["params"]) == 3
    assert ours.cv_results_["params"] == [{"C": 1.0}, {"C": 10.0}]


def test_n_iter_defaults_to_50_not_randomized_search_cv_s_10():
    space = {"alpha": stats.loguniform(1e-3, 1e3)}
    expected = RandomizedSearchCV(Ridge(), param_distributions=space, cv=2)
    ours = BayesSearchCV(Ridge(), param_distributions=space, cv=2, random_state=0)
    assert len(expected.fit(X_REG, Y_REG).cv_results_["params"]) == 10
    assert len(ours.fit(X_REG, Y_REG).cv_results_["params"]) == 50


def test_candidates_are_proposed_not_sampled_and_reproducible():
    space = {"C": stats.loguniform(1e-2, 1e2), "gamma": stats.loguniform(1e-3, 1)}

    def candidates(search):
        return search.fit(X_CLF, Y_CLF).cv_results_["params"]

    sampled = candidates(RandomizedSearchCV(SVC(), space, n_iter=8, random_state=0))
    ours = candidates(BayesSearchCV(SVC(), space, n_iter=8, random_state=0))
    again = candidates(BayesSearchCV(SVC(), space, n_iter=8, random_state=0))
    assert ours == again
    assert ours != sampled


def test_candidates_depend_on_n_points_not_on_n_jobs():
    space = {"C": (1e-2, 1e2, "log-uniform"), "gamma": (1e-3, 1.0, "log-uniform")}

    def search(**kwargs):
        return BayesSearchCV(
            SVC(), space, n_iter=8, cv=2, random_state=0, **kwargs
        ).fit(X_CLF, Y_CLF)

    one, two = search(n_points=2, n_jobs=1), search(n_points=2, n_jobs=2)
    assert one.cv_results_["params"] == two.cv_results_["params"]
    np.testing.assert_array_equal(one.search_info_["batch"], np.arange(8) // 2)
    # "auto" proposes enough candidates at once to keep the workers busy:
    # 4 workers, 2 folds each, so 2 candidates a batch
    auto = search(n_jobs=4)
    np.testing.assert_array_equal(auto.search_info_["batch"], np.arange(8) // 2)
    sequential = search(n_jobs=1)
    np.testing.assert_array_equal(sequential.search_info_["batch"], np.arange(8))


@pytest.mark.parametrize("name", ["search_spaces", "param_grid", "param_distributions"])
def test_a_tuple_of_two_numbers_is_a_range(name):
    # GridSearchCV and RandomizedSearchCV read (1, 10) as two choices
    expected = GridSearchCV(Ridge(), {"alpha": (1, 10)}, cv=2).fit(X_REG, Y_REG)
    assert expected.cv_results_["params"] == [{"alpha": 1}, {"alpha": 10}]
    # here, under each of its names, it is scikit-optimize's range of integers
    search = BayesSearchCV(Ridge(), **{name: {"alpha": (1, 10)}}, cv=2, n_iter=5)
    candidates = search.fit(X_REG, Y_REG).cv_results_["params"]
    assert len(candidates) == 5
    assert all(type(c["alpha"]) is int and 1 <= c["alpha"] <= 10 for c in candidates)
    # a list is choices, under every name
    search = BayesSearchCV(Ridge(), **{name: {"alpha": [1, 10]}}, cv=2, n_iter=5)
    assert (
        search.fit(X_REG, Y_REG).cv_results_["params"] == expected.cv_results_["params"]
    )


def test_a_two_element_list_is_two_choices_not_a_range():
    # scikit-optimize's BayesSearchCV reads [1e-3, 1e3] as a range
    search = BayesSearchCV(Ridge(), {"alpha": [1e-3, 1e3]}, cv=2, n_iter=10)
    candidates = search.fit(X_REG, Y_REG).cv_results_["params"]
    assert candidates == [{"alpha": 1e-3}, {"alpha": 1e3}]


def test_what_the_search_knows_beyond_cv_results_has_attributes_of_its_own():
    expected = GridSearchCV(SVC(), GRID, cv=3).fit(X_CLF, Y_CLF)
    ours = BayesSearchCV(SVC(), GRID, cv=3).fit(X_CLF, Y_CLF)
    assert list(ours.cv_results_) == list(expected.cv_results_)
    frame = pd.DataFrame(ours.cv_results_).join(pd.DataFrame(ours.search_info_))
    assert list(frame.columns[-2:]) == ["propose_time", "batch"]
    assert len(frame) == 6
    assert len(ours.optimizer_results_) == 1


class FailingOnLargeC(LogisticRegression):
    """Fails to fit with C above 5, as a bad candidate of a search does."""

    def fit(self, X, y, **params):
        if self.C > 5:
            raise RuntimeError("C too large")
        return super().fit(X, y, **params)


def test_a_fit_that_raises_keeps_the_results_so_far():
    grid = {"C": [0.1, 1.0, 10.0]}
    with pytest.raises(RuntimeError, match="C too large"):
        GridSearchCV(FailingOnLargeC(), grid, cv=2, error_score="raise").fit(
            X_CLF, Y_CLF
        )
    search = BayesSearchCV(
        FailingOnLargeC(),
        grid,
        cv=2,
        error_score="raise",
        n_points=1,
        callbacks=[lambda result: False],  # one candidate a batch
    )
    with pytest.raises(RuntimeError, match="C too large"):
        search.fit(X_CLF, Y_CLF)
    assert search.cv_results_["params"] == [{"C": 0.1}, {"C": 1.0}]


def test_no_space_searches_a_suggested_one():
    with pytest.raises(TypeError, match="param_grid"):
        GridSearchCV(LogisticRegression())
    search = BayesSearchCV(LogisticRegression(), n_iter=3, cv=2, random_state=0)
    params = search.fit(X_CLF, Y_CLF).cv_results_["params"]
    assert len(params) == 3
    assert "C" in params[0]


def test_scikit_optimize_callbacks_go_to_the_constructor():
    # scikit-optimize takes fit(X, y, callback=...); fit's keywords here go
    # to the estimator, as in GridSearchCV
    search = BayesSearchCV(
        Ridge(),
        {"alpha": [1.0, 1.0 + 1e-12, 1.0 + 2e-12, 2.0, 3.0]},
        cv=2,
        callbacks=[DeltaYStopper(delta=0.5, n_best=3)],
    ).fit(X_REG, Y_REG)
    assert len(search.cv_results_["params"]) == 3
    with pytest.raises(TypeError, match=r"callbacks=\.\.\.\)\. fit passes"):
        BayesSearchCV(Ridge(), {"alpha": [1.0, 2.0]}, cv=2).fit(
            X_REG, Y_REG, callback=DeltaYStopper(delta=0.5)
        )


def test_optuna_s_forms_written_as_scikit_learn_s():
    # FloatDistribution(1e-3, 1e3, log=True), IntDistribution(1, 4) and
    # CategoricalDistribution(["lbfgs", "liblinear"]), written as
    # RandomizedSearchCV's forms; n_trials is n_iter, timeout a callback.
    space = {
        "C": stats.loguniform(1e-3, 1e3),
        "max_iter": stats.randint(50, 201),
        "solver": ["lbfgs", "liblinear"],
    }
    search = BayesSearchCV(
        LogisticRegression(),
        param_distributions=space,
        n_iter=6,
        cv=2,
        random_state=0,
        callbacks=[TimeBudgetStopper(600)],
    ).fit(X_CLF, Y_CLF)
    for params in search.cv_results_["params"]:
        assert 1e-3 <= params["C"] <= 1e3
        assert isinstance(params["max_iter"], int)
        assert 50 <= params["max_iter"] <= 200
        assert params["solver"] in ("lbfgs", "liblinear")


def test_fitting_again_starts_a_new_search():
    # OptunaSearchCV given a study goes on with it: what an outer fold saw
    # leaks into the next one. Here every fit starts from nothing.
    X, y = load_iris(return_X_y=True)
    search = BayesSearchCV(
        SVC(), {"C": (1e-2, 1e2, "log-uniform")}, n_iter=6, cv=2, random_state=0
    )
    first = search.fit(X, y).cv_results_["params"]
    search.fit(X[:100], y[:100])
    again = search.fit(X, y).cv_results_["params"]
    assert again == first


def test_halving_takes_halving_random_search_cv_s_arguments():
    import inspect

    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingRandomSearchCV

    from sklearn_hp import HalvingBayesSearchCV

    theirs = set(inspect.signature(HalvingRandomSearchCV).parameters)
    ours = set(inspect.signature(HalvingBayesSearchCV).parameters)
    # every argument but aggressive_elimination, whose rounds the schedule
    # does not run
    assert theirs - ours == {"aggressive_elimination"}
    kwargs = dict(n_candidates=6, factor=2, cv=2, random_state=0)
    space = {"alpha": stats.loguniform(1e-3, 1e3)}
    expected = HalvingRandomSearchCV(Ridge(), param_distributions=space, **kwargs)
    search = HalvingBayesSearchCV(Ridge(), param_distributions=space, **kwargs)
    expected.fit(X_REG, Y_REG)
    search.fit(X_REG, Y_REG)
    assert list(search.cv_results_) == list(expected.cv_results_)
    # the last rung is the full resource, where HalvingRandomSearchCV's last
    # iteration may stop below it
    assert search.n_resources_[-1] == len(X_REG)
    assert expected.n_resources_[-1] < len(X_REG)
