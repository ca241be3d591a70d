import pickle
import re
import threading
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    RandomizedSearchCV,
    cross_val_score,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError
from skopt.callbacks import DeltaYStopper
from skopt.space import Categorical, Integer, Real

from sklearn_hp import BayesSearchCV
from sklearn_hp.model_selection import (
    NoImprovementStopper,
    TargetScoreStopper,
    TimeBudgetStopper,
)
from tests._doubles import CallbackRecorder

X_CLF, Y_CLF = make_classification(
    n_samples=80, n_features=5, n_informative=3, random_state=0
)
X_REG, Y_REG = make_regression(n_samples=80, n_features=5, noise=5.0, random_state=0)


class FailingClassifier(ClassifierMixin, BaseEstimator):
    """A classifier whose fit fails when ``parameter`` is negative."""

    def __init__(self, parameter=1.0):
        self.parameter = parameter

    def fit(self, X, y):
        if self.parameter < 0:
            raise ValueError("negative parameter: failing as asked")
        self.classes_ = np.unique(y)
        self.model_ = LogisticRegression(C=self.parameter).fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)


def _pandas_dtypes(results):
    return {key: getattr(value, "dtype", None) for key, value in results.items()}


# -- drop-in: the same user code with GridSearchCV ----------------------------


@pytest.mark.parametrize("return_train_score", [False, True])
@pytest.mark.parametrize(
    "scoring", [None, ["accuracy", "f1_macro"], {"acc": "accuracy"}]
)
def test_cv_results_have_gridsearch_keys_and_dtypes(scoring, return_train_score):
    refit = "accuracy" if isinstance(scoring, list) else True
    if isinstance(scoring, dict):
        refit = "acc"
    grid = {"C": [0.1, 1.0, 10.0], "kernel": ["linear", "rbf"]}
    kwargs = dict(scoring=scoring, refit=refit, cv=3)
    kwargs["return_train_score"] = return_train_score
    expected = GridSearchCV(SVC(), grid, **kwargs).fit(X_CLF, Y_CLF)
    ours = BayesSearchCV(SVC(), grid, **kwargs).fit(X_CLF, Y_CLF)
    assert set(ours.cv_results_) == set(expected.cv_results_)
    assert _pandas_dtypes(ours.cv_results_) == _pandas_dtypes(expected.cv_results_)
    # a grid the budget covers is walked as GridSearchCV walks it
    assert ours.cv_results_["params"] == expected.cv_results_["params"]
    for key in expected.cv_results_:
        if key.startswith(("split", "mean_test", "rank_", "mean_train")):
            np.testing.assert_allclose(ours.cv_results_[key], expected.cv_results_[key])
    assert ours.best_params_ == expected.best_params_
    assert ours.best_index_ == expected.best_index_
    frame = pd.DataFrame(ours.cv_results_)
    assert len(frame) == 6


def test_continuous_space_cv_results_match_randomized_search_keys():
    space = {"C": stats.loguniform(1e-2, 1e2), "gamma": stats.loguniform(1e-3, 1)}
    expected = RandomizedSearchCV(SVC(), space, n_iter=6, cv=3, random_state=0)
    expected.fit(X_CLF, Y_CLF)
    ours = BayesSearchCV(SVC(), space, n_iter=6, cv=3, random_state=0)
    ours.fit(X_CLF, Y_CLF)
    assert set(ours.cv_results_) == set(expected.cv_results_)
    assert ours.cv_results_["param_C"].dtype == expected.cv_results_["param_C"].dtype
    assert all(isinstance(p["C"], float) for p in ours.cv_results_["params"])
    propose_time = ours.search_info_["propose_time"]
    assert propose_time.shape == (6,)
    assert np.all(propose_time >= 0)
    for attribute in (
        "best_estimator_",
        "best_score_",
        "best_params_",
        "best_index_",
        "scorer_",
        "n_splits_",
        "refit_time_",
        "multimetric_",
        "classes_",
        "n_features_in_",
        "optimizer_results_",
    ):
        assert hasattr(ours, attribute), attribute
    np.testing.assert_array_equal(ours.classes_, expected.classes_)
    assert ours.predict(X_CLF).shape == Y_CLF.shape
    assert ours.score(X_CLF, Y_CLF) > 0.5


def test_regression_finds_a_good_alpha_in_few_fits():
    alphas = np.logspace(-3, 3, 61)
    grid = GridSearchCV(Ridge(), {"alpha": alphas}, cv=3).fit(X_REG, Y_REG)
    ours = BayesSearchCV(
        Ridge(), {"alpha": (1e-3, 1e3, "log-uniform")}, n_iter=12, cv=3, random_state=0
    ).fit(X_REG, Y_REG)
    assert len(ours.cv_results_["params"]) == 12
    assert ours.best_score_ >= grid.best_score_ - 1e-3


@pytest.mark.parametrize("seed", range(3))
def test_the_first_candidates_cover_each_range_evenly(seed):
    # n_iter=20 starts from 5 initial points: a Latin hypercube puts one in
    # each fifth of every range (5 random points do so 4% of the time)
    X, y = make_regression(n_samples=40, n_features=3, random_state=0)
    space = {
        "alpha": Real(1e-3, 1e3, prior="log-uniform"),
        "solver": Categorical(["svd", "cholesky", "lsqr", "sag", "saga"]),
    }
    search = BayesSearchCV(Ridge(), space, n_iter=20, cv=2, random_state=seed)
    first = search.fit(X, y).cv_results_["params"][:5]
    fifths = [int((np.log10(p["alpha"]) + 3) / 6 * 5) for p in first]
    assert sorted(fifths) == [0, 1, 2, 3, 4]
    assert sorted(p["solver"] for p in first) == sorted(space["solver"].categories)


def test_mixed_space_values_keep_their_types():
    space = {
        "max_depth": [None, 2, 4],
        "min_samples_leaf": (1, 10),
        "min_impurity_decrease": stats.uniform(0, 0.1),
        "criterion": Categorical(["gini", "entropy"]),
        "max_features": [None, "sqrt"],
        "ccp_alpha": Real(0.0, 0.01),
        "min_samples_split": Integer(2, 6),
    }
    search = BayesSearchCV(
        DecisionTreeClassifier(random_state=0), space, n_iter=12, cv=3, random_state=0
    ).fit(X_CLF, Y_CLF)
    for params in search.cv_results_["params"]:
        assert params["max_depth"] is None or type(params["max_depth"]) is int
        assert type(params["min_samples_leaf"]) is int
        assert type(params["min_samples_split"]) is int
        # as RandomizedSearchCV draws it from a scipy.stats distribution
        assert type(params["min_impurity_decrease"]) is np.float64
        assert type(params["ccp_alpha"]) is float
        assert params["criterion"] in ("gini", "entropy")
        assert params["max_features"] in (None, "sqrt")


def test_skopt_list_of_space_and_n_iter_pairs():
    search = BayesSearchCV(
        SVC(),
        [
            ({"kernel": ["linear"], "C": (0.01, 10.0, "log-uniform")}, 4),
            ({"kernel": ["rbf"], "gamma": (1e-3, 1.0, "log-uniform")}, 3),
        ],
        cv=3,
        random_state=0,
    ).fit(X_CLF, Y_CLF)
    kernels = [p["kernel"] for p in search.cv_results_["params"]]
    assert kernels.count("linear") == 4
    assert kernels.count("rbf") == 3
    assert len(search.optimizer_results_) == 2
    # a hyperparameter a sub-space does not have is masked, as in GridSearchCV
    assert search.cv_results_["param_gamma"].mask[kernels.index("linear")]


def test_list_of_dicts_shares_n_iter():
    search = BayesSearchCV(
        SVC(),
        [
            {"kernel": ["linear"], "C": [0.1, 1.0]},
            {"kernel": ["rbf"], "C": (0.01, 10.0, "log-uniform")},
        ],
        n_iter=7,
        cv=3,
        random_state=0,
    ).fit(X_CLF, Y_CLF)
    kernels = [p["kernel"] for p in search.cv_results_["params"]]
    assert kernels.count("linear") == 2
    assert kernels.count("rbf") == 5


def test_estimators_as_categorical_values_in_a_pipeline():
    first, second = LogisticRegression(), SVC()
    pipe = Pipeline([("scale", StandardScaler()), ("clf", first)])
    search = BayesSearchCV(
        pipe,
        {"clf": [first, second], "scale": ["passthrough", StandardScaler()]},
        n_iter=10,
        cv=3,
    ).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_params_["clf"] is first or search.best_params_["clf"] is second
    assert search.best_estimator_.named_steps["clf"] is not search.best_params_["clf"]


# -- duplicates and budgets ------------------------------------------------------


def test_finite_space_smaller_than_n_iter_is_exhausted_once():
    space = {"kernel": ["linear", "rbf"], "shrinking": [True, False]}
    search = BayesSearchCV(SVC(), space, n_iter=50, cv=3).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 4


@pytest.mark.parametrize("base_estimator", ["GP", "RF", "ET", "GBRT", "dummy"])
def test_no_candidate_is_evaluated_twice(base_estimator):
    space = {
        "kernel": ["linear", "rbf", "poly"],
        "C": [0.1, 1.0, 10.0],
        "shrinking": [True, False],
    }
    search = BayesSearchCV(
        SVC(),
        space,
        n_iter=14,
        n_points=3,
        cv=2,
        random_state=0,
        optimizer_kwargs={"base_estimator": base_estimator, "n_initial_points": 4},
    ).fit(X_CLF, Y_CLF)
    params = search.cv_results_["params"]
    assert len(params) == 14
    assert len({tuple(sorted(p.items())) for p in params}) == 14


@pytest.mark.parametrize("acq_func", ["gp_hedge", "EI", "LCB", "PI", "EIps"])
def test_acquisition_functions(acq_func):
    search = BayesSearchCV(
        Ridge(),
        {"alpha": (1e-3, 1e3, "log-uniform")},
        n_iter=8,
        cv=2,
        random_state=0,
        optimizer_kwargs={"acq_func": acq_func, "n_initial_points": 3},
    ).fit(X_REG, Y_REG)
    assert len(search.cv_results_["params"]) == 8


def test_lbfgs_acquisition_optimizer():
    search = BayesSearchCV(
        Ridge(),
        {"alpha": (1e-3, 1e3, "log-uniform")},
        n_iter=6,
        cv=2,
        random_state=0,
        optimizer_kwargs={"acq_optimizer": "lbfgs", "n_initial_points": 3},
    ).fit(X_REG, Y_REG)
    assert len(search.cv_results_["params"]) == 6


def test_results_do_not_depend_on_n_jobs():
    def run(n_jobs):
        return BayesSearchCV(
            SVC(),
            {"C": (0.01, 100.0, "log-uniform"), "kernel": ["rbf", "linear"]},
            n_iter=8,
            n_points=2,
            n_jobs=n_jobs,
            cv=3,
            random_state=0,
            optimizer_kwargs={"n_initial_points": 3},
        ).fit(X_CLF, Y_CLF)

    one, two = run(1), run(2)
    assert one.cv_results_["params"] == two.cv_results_["params"]
    np.testing.assert_array_equal(
        one.cv_results_["mean_test_score"], two.cv_results_["mean_test_score"]
    )


def test_fixed_random_state_reproduces_the_search():
    def run():
        return BayesSearchCV(
            Ridge(), {"alpha": (1e-3, 1e3, "log-uniform")}, n_iter=7, random_state=3
        ).fit(X_REG, Y_REG)

    assert run().cv_results_["params"] == run().cv_results_["params"]


def test_n_points_auto_keeps_workers_busy():
    search = BayesSearchCV(Ridge(), {"alpha": (0.1, 1.0)}, cv=2, n_jobs=4)
    search.n_splits_ = 2
    assert search._resolved_n_points() == 2
    search.set_params(n_jobs=None)
    assert search._resolved_n_points() == 1


# -- failures --------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_failing_candidates_are_recorded_and_the_search_goes_on():
    search = BayesSearchCV(
        FailingClassifier(),
        {"parameter": (-1.0, 1.0)},
        n_iter=10,
        cv=3,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 4},
    )
    with pytest.warns(FitFailedWarning, match="fits failed out of a total of 30"):
        search.fit(X_CLF, Y_CLF)
    scores = search.cv_results_["mean_test_score"]
    failed = np.array([p["parameter"] < 0 for p in search.cv_results_["params"]])
    assert len(scores) == 10
    assert failed.any()
    assert np.isnan(scores[failed]).all()
    assert np.isfinite(scores[~failed]).all()
    assert search.best_params_["parameter"] > 0
    # the optimizer was told a poor value, never NaN
    told = search.optimizer_results_[0].func_vals
    assert np.isfinite(told).all()
    assert told[failed].min() > told[~failed].max()


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_a_batch_of_failing_candidates_does_not_end_the_search():
    # The first candidates all fail; GridSearchCV-style evaluation of that
    # batch alone would raise "All the fits failed".
    search = BayesSearchCV(
        FailingClassifier(),
        [{"parameter": [-1.0]}, {"parameter": [0.5, 1.0]}],
        n_iter=3,
        cv=3,
        callbacks=[lambda result: False],
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 3
    assert search.best_params_["parameter"] > 0


def test_every_candidate_failing_raises_one_clear_error():
    search = BayesSearchCV(
        FailingClassifier(), {"parameter": (-2.0, -1.0)}, n_iter=4, cv=3
    )
    with pytest.raises(
        ValueError,
        match=re.compile(
            "All the 12 fits failed.+negative parameter: failing as asked", re.DOTALL
        ),
    ):
        search.fit(X_CLF, Y_CLF)


def test_error_score_raise_keeps_the_results_so_far():
    search = BayesSearchCV(
        FailingClassifier(),
        [{"parameter": [0.5, 1.0]}, {"parameter": [-1.0]}],
        n_iter=3,
        cv=3,
        error_score="raise",
        callbacks=lambda result: False,
    )
    with pytest.raises(ValueError, match="negative parameter"):
        search.fit(X_CLF, Y_CLF)
    # sub-spaces take turns: the first candidate of the first one, then the
    # failing one
    assert search.cv_results_["params"] == [{"parameter": 0.5}]


def test_numeric_error_score_is_recorded():
    search = BayesSearchCV(
        FailingClassifier(),
        {"parameter": [-1.0, 0.5, 1.0]},
        cv=3,
        error_score=0.0,
        refit=False,
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X_CLF, Y_CLF)
    assert search.cv_results_["mean_test_score"][0] == 0.0


# -- multi-metric and refit ------------------------------------------------------


def test_multimetric_refit_by_name():
    search = BayesSearchCV(
        SVC(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=5,
        cv=3,
        scoring=["accuracy", "balanced_accuracy"],
        refit="balanced_accuracy",
        random_state=0,
    ).fit(X_CLF, Y_CLF)
    assert search.multimetric_
    assert search.best_index_ == np.argmin(
        search.cv_results_["rank_test_balanced_accuracy"]
    )
    assert set(search.scorer_) == {"accuracy", "balanced_accuracy"}


def test_multimetric_with_refit_false():
    search = BayesSearchCV(
        SVC(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=4,
        cv=3,
        scoring={"acc": "accuracy", "f1": "f1"},
        refit=False,
        random_state=0,
    ).fit(X_CLF, Y_CLF)
    assert not hasattr(search, "best_estimator_")
    assert "mean_test_f1" in search.cv_results_


def test_callable_refit():
    def lowest_c_within_one_std(results):
        scores = results["mean_test_score"]
        good = np.flatnonzero(scores >= scores.max() - results["std_test_score"].max())
        return int(good[np.argmin(results["param_C"][good])])

    search = BayesSearchCV(
        SVC(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=5,
        cv=3,
        refit=lowest_c_within_one_std,
        random_state=0,
    ).fit(X_CLF, Y_CLF)
    assert search.best_index_ == lowest_c_within_one_std(search.cv_results_)
    assert not hasattr(search, "best_score_")


def test_multimetric_callable_scoring():
    def scoring(estimator, X, y):
        return {"accuracy": estimator.score(X, y), "constant": 1.0}

    search = BayesSearchCV(
        LogisticRegression(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=4,
        cv=3,
        scoring=scoring,
        refit="accuracy",
        random_state=0,
    ).fit(X_CLF, Y_CLF)
    assert "mean_test_constant" in search.cv_results_


# -- in scikit-learn's machinery ---------------------------------------------------


def test_pipeline_hyperparameters_and_search_as_a_step():
    pipe = make_pipeline(StandardScaler(), SVC())
    search = BayesSearchCV(
        pipe, {"svc__C": (0.01, 10.0, "log-uniform")}, n_iter=4, cv=3, random_state=0
    )
    outer = make_pipeline(StandardScaler(), search).fit(X_CLF, Y_CLF)
    assert outer.predict(X_CLF).shape == Y_CLF.shape
    assert "svc__C" in outer[-1].best_params_


def test_nested_cross_validation():
    search = BayesSearchCV(
        LogisticRegression(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=4,
        cv=3,
        random_state=0,
    )
    scores = cross_val_score(search, X_CLF, Y_CLF, cv=3, n_jobs=2)
    assert scores.shape == (3,)
    assert scores.mean() > 0.55


def test_groups_are_passed_to_the_splitter():
    groups = np.repeat(np.arange(8), 10)
    search = BayesSearchCV(
        LogisticRegression(), {"C": [0.1, 1.0]}, cv=GroupKFold(n_splits=4)
    )
    search.fit(X_CLF, Y_CLF, groups=groups)
    assert search.n_splits_ == 4
    with pytest.raises(ValueError, match="groups"):
        search.fit(X_CLF, Y_CLF)


def test_sample_weight_fit_parameter():
    weights = np.ones(len(Y_CLF))
    weights[::2] = 0.0
    search = BayesSearchCV(LogisticRegression(), {"C": [1.0]}, cv=3)
    search.fit(X_CLF, Y_CLF, sample_weight=weights)
    expected = LogisticRegression().fit(X_CLF[1::2], Y_CLF[1::2])
    np.testing.assert_allclose(
        search.best_estimator_.coef_, expected.coef_, rtol=1e-4, atol=1e-6
    )


def test_metadata_routing_of_sample_weight():
    weights = np.ones(len(Y_CLF))
    weights[::2] = 0.0
    with sklearn.config_context(enable_metadata_routing=True):
        estimator = (
            LogisticRegression()
            .set_fit_request(sample_weight=True)
            .set_score_request(sample_weight=True)
        )
        search = BayesSearchCV(
            estimator, {"C": (0.1, 10.0, "log-uniform")}, n_iter=3, cv=3
        )
        search.fit(X_CLF, Y_CLF, sample_weight=weights)
        assert np.isfinite(search.cv_results_["mean_test_score"]).all()
        # an estimator that did not ask for the weights is told so
        unrouted = BayesSearchCV(LogisticRegression(), {"C": [1.0]}, cv=3)
        with pytest.raises(ValueError, match="sample_weight"):
            unrouted.fit(X_CLF, Y_CLF, sample_weight=weights)


def test_shuffled_splits_are_the_same_for_every_candidate():
    # A splitter that shuffles without a fixed seed gives new splits at each
    # call; candidates of different batches must still share theirs.
    search = BayesSearchCV(
        LogisticRegression(),
        [{"C": [1.0]}, {"C": [1.0], "fit_intercept": [True]}],
        cv=KFold(3, shuffle=True),
        callbacks=lambda result: False,
    ).fit(X_CLF, Y_CLF)
    np.testing.assert_array_equal(
        search.cv_results_["split0_test_score"][0],
        search.cv_results_["split0_test_score"][1],
    )


def test_clone_pickle_and_params():
    search = BayesSearchCV(
        SVC(), {"C": (0.1, 10.0)}, n_iter=3, cv=2, random_state=0, n_points=1
    )
    assert clone(search).get_params()["n_iter"] == 3
    assert search.set_params(estimator__kernel="linear").estimator.kernel == "linear"
    search.fit(X_CLF, Y_CLF)
    restored = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(restored.predict(X_CLF), search.predict(X_CLF))
    refitted = clone(search).fit(X_CLF, Y_CLF)
    assert refitted.cv_results_["params"] == search.cv_results_["params"]


def test_estimator_is_not_changed_by_fit():
    estimator = SVC()
    space = {"C": (0.1, 10.0)}
    search = BayesSearchCV(estimator, space, n_iter=3, cv=2).fit(X_CLF, Y_CLF)
    assert search.estimator is estimator
    assert estimator.get_params() == SVC().get_params()
    assert search.search_spaces is space
    assert space == {"C": (0.1, 10.0)}


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """A classifier that records, in ``FITTED``, what each of its fits was given."""

    FITTED = []

    def __init__(self, C=1.0, inner=None):
        self.C = C
        self.inner = inner

    def fit(self, X, y):
        assert not hasattr(self, "classes_"), "fitted twice"
        RecordingClassifier.FITTED.append((self, self.inner, self.get_params()))
        self.classes_ = np.unique(y)
        self.model_ = clone(self.inner or LogisticRegression()).set_params(C=self.C)
        self.model_.fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)


class ClonedClassifier(RecordingClassifier):
    """A classifier with its own ``__sklearn_clone__``, counting its calls."""

    CLONES = 0

    def __sklearn_clone__(self):
        ClonedClassifier.CLONES += 1
        return super().__sklearn_clone__()


class LockedClassifier(RecordingClassifier):
    """A classifier that holds a lock, which cannot be deep-copied."""

    def __init__(self, C=1.0, inner=None):
        super().__init__(C=C, inner=inner)
        self._lock = threading.Lock()


@pytest.mark.parametrize(
    "estimator_class", [RecordingClassifier, ClonedClassifier, LockedClassifier]
)
def test_every_fit_gets_a_fresh_estimator_with_its_candidate_set(estimator_class):
    RecordingClassifier.FITTED.clear()
    ClonedClassifier.CLONES = 0
    estimator = estimator_class(inner=LogisticRegression(max_iter=200))
    space = {"C": (0.01, 10.0, "log-uniform"), "inner": [LogisticRegression(), SVC()]}
    search = BayesSearchCV(
        estimator, space, n_iter=4, cv=3, random_state=0, refit=False
    ).fit(X_CLF, Y_CLF)
    fitted = RecordingClassifier.FITTED
    assert len(fitted) == 12
    # every fit on its own estimator, with its own copy of an estimator value
    assert len({id(fit[0]) for fit in fitted}) == 12
    assert len({id(fit[1]) for fit in fitted}) == 12
    for index, candidate in enumerate(search.cv_results_["params"]):
        for _, inner, params in fitted[3 * index : 3 * index + 3]:
            assert params["C"] == candidate["C"]
            assert type(inner) is type(candidate["inner"])
            assert inner is not candidate["inner"]
            assert not hasattr(inner, "classes_")
    assert estimator.C == 1.0
    assert not hasattr(estimator, "classes_")
    if estimator_class is ClonedClassifier:
        # its own clone is used for every fit, as by GridSearchCV
        assert ClonedClassifier.CLONES >= 12


def test_verbose_fit_messages_name_the_candidate(capsys):
    BayesSearchCV(
        Ridge(), {"alpha": (0.1, 10.0)}, n_iter=2, cv=2, verbose=2, random_state=0
    ).fit(X_REG, Y_REG)
    assert re.search(r"\[CV\] END .*alpha=\d", capsys.readouterr().out)


# -- callbacks and progress --------------------------------------------------------


def test_callback_sees_each_batch_and_can_stop():
    seen = []

    def stop_after_two_batches(result):
        seen.append(len(result.scores))
        assert set(result.cv_results) >= {"params", "mean_test_score"}
        assert len(result.func_vals) == len(result.x_iters)
        return len(seen) == 2

    search = BayesSearchCV(
        Ridge(),
        {"alpha": (1e-3, 1e3, "log-uniform")},
        n_iter=10,
        n_points=2,
        cv=2,
        callbacks=stop_after_two_batches,
        random_state=0,
    ).fit(X_REG, Y_REG)
    assert seen == [2, 4]
    assert len(search.cv_results_["params"]) == 4


def test_target_score_stopper():
    search = BayesSearchCV(
        LogisticRegression(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=20,
        cv=3,
        callbacks=[TargetScoreStopper(0.0)],
        random_state=0,
    ).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 1


def test_no_improvement_stopper():
    search = BayesSearchCV(
        LogisticRegression(),
        {"C": [1.0, 1.0 + 1e-12, 1.0 + 2e-12, 1.0 + 3e-12, 1.0 + 4e-12]},
        n_iter=5,
        cv=3,
        callbacks=[NoImprovementStopper(n_iter=2, tol=0.01)],
    ).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 3


def test_time_budget_stopper():
    search = BayesSearchCV(
        LogisticRegression(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=20,
        cv=3,
        callbacks=[TimeBudgetStopper(1e-9)],
    ).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 1


def test_scikit_optimize_callbacks_work():
    search = BayesSearchCV(
        LogisticRegression(),
        {"C": [1.0, 1.0 + 1e-12, 1.0 + 2e-12, 1.0 + 3e-12, 1.0 + 4e-12, 2.0, 3.0]},
        n_iter=7,
        cv=3,
        callbacks=[DeltaYStopper(delta=0.5, n_best=3)],
    ).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 3


def test_verbose_announces_the_fits_once_for_the_whole_search(capsys):
    BayesSearchCV(
        Ridge(),
        {"alpha": (0.1, 10.0)},
        n_iter=3,
        n_points=1,
        cv=2,
        verbose=1,
        random_state=0,
    ).fit(X_REG, Y_REG)
    assert capsys.readouterr().out == (
        "Fitting 2 folds for each of 3 candidates, totalling 6 fits\n"
    )


@pytest.mark.skipif(
    not hasattr(GridSearchCV, "set_callbacks"),
    reason="scikit-learn's callback API is in scikit-learn >= 1.9",
)
def test_scikit_learn_callbacks_see_every_candidate_and_fold():
    from sklearn.callback import FitCallback  # noqa: F401

    def count(search):
        recorder = CallbackRecorder()
        search.set_callbacks(recorder)
        search.fit(X_CLF, Y_CLF)
        return recorder

    grid = {"C": [0.1, 1.0, 10.0]}
    expected = count(GridSearchCV(LogisticRegression(), grid, cv=3))
    ours = count(BayesSearchCV(LogisticRegression(), grid, cv=3))
    for recorder in (expected, ours):
        assert recorder.begun.count("candidate-split-evaluation") == 9
        assert recorder.ended.count("candidate-split-evaluation") == 9
        assert recorder.begun.count("refit-with-best-params") == 1
    bayes = count(
        BayesSearchCV(
            LogisticRegression(),
            {"C": (0.1, 10.0)},
            n_iter=4,
            n_points=2,
            cv=3,
            random_state=0,
        )
    )
    assert bayes.begun.count("candidate-split-evaluation") == 12
    assert bayes.ended.count("candidate-split-evaluation") == 12
    assert bayes.begun.count("search") == 1


# -- bad input ---------------------------------------------------------------------


def test_invalid_constructor_arguments_are_reported_at_fit():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        search = BayesSearchCV(SVC(), {"C": [1]}, n_iter=0, n_points=0)
    with pytest.raises(InvalidParameterError, match="'n_iter' parameter"):
        search.fit(X_CLF, Y_CLF)
    search.set_params(n_iter=5, n_points="many")
    with pytest.raises(InvalidParameterError, match="'n_points' parameter"):
        search.fit(X_CLF, Y_CLF)


def test_unknown_optimizer_kwargs_suggest_the_closest():
    search = BayesSearchCV(
        SVC(), {"C": (0.1, 1.0)}, optimizer_kwargs={"acq_fun": "EI"}, n_iter=2
    )
    with pytest.raises(
        ValueError,
        match=re.escape("unknown argument 'acq_fun'. Did you mean 'acq_func'"),
    ):
        search.fit(X_CLF, Y_CLF)
    search.set_params(optimizer_kwargs={"random_state": 0})
    with pytest.raises(ValueError, match="give random_state to BayesSearchCV"):
        search.fit(X_CLF, Y_CLF)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({1: "EI"}, "keys must be strings, got 1"),
        ({"base_estimator": Ridge}, "base_estimator must be a regressor instance"),
        ({"base_estimator": 3}, "base_estimator must be 'GP'"),
        ({"initial_point_generator": "sobel"}, "initial_point_generator must be"),
        ({"acq_func_kwargs": {"kappa": "2"}}, "acq_func_kwargs['kappa'] must be"),
        (
            {"acq_optimizer_kwargs": {"n_restarts_optimizer": 0}},
            "acq_optimizer_kwargs['n_restarts_optimizer'] must be",
        ),
        ({"n_jobs": 2.0}, "n_jobs must be a non-zero integer"),
    ],
)
def test_optimizer_kwargs_are_checked_before_any_fit(kwargs, message):
    # a grid n_iter covers is walked without a surrogate: checked all the same
    search = BayesSearchCV(SVC(), {"C": [1.0, 2.0]}, optimizer_kwargs=kwargs, cv=2)
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        search.fit(X_CLF, Y_CLF)


def test_optimizer_kwargs_take_what_scikit_optimize_takes():
    search = BayesSearchCV(
        SVC(),
        {"C": (0.1, 10.0, "log-uniform")},
        n_iter=4,
        cv=2,
        random_state=0,
        optimizer_kwargs={
            "n_initial_points": 2,
            "initial_point_generator": "Sobol",
            "acq_func": "LCB",
            "acq_func_kwargs": {"kappa": "inf"},
            "n_jobs": None,
        },
    ).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 4


@pytest.mark.parametrize(
    ("cv", "message"),
    [
        ([], "cv gives no (train, test) split"),
        ([(np.arange(40), np.arange(40, 200))], "must be in [0, 80) for 80 samples"),
        ([(np.arange(40) + 0.5, np.arange(40, 100))], "must be integers"),
        ([(np.arange(40), [])], "must be a non-empty 1-d array"),
        ([(np.arange(40),)], "each split must be a (train, test) pair"),
    ],
)
def test_cv_splits_no_fit_can_use_are_refused(cv, message):
    search = BayesSearchCV(SVC(), {"C": [1.0, 2.0]}, cv=cv)
    with pytest.raises(ValueError, match=re.escape(message)):
        search.fit(X_CLF, Y_CLF)


def test_cv_splits_may_be_boolean_masks():
    train = np.arange(len(X_CLF)) % 2 == 0
    search = BayesSearchCV(SVC(), {"C": [1.0, 2.0]}, cv=[(train, ~train)])
    search.fit(X_CLF, Y_CLF)
    expected = SVC().fit(X_CLF[train], Y_CLF[train]).score(X_CLF[~train], Y_CLF[~train])
    assert search.cv_results_["split0_test_score"][0] == expected


@pytest.mark.parametrize("scoring", [[], {}, ["accuracy", "accuracy"], [1]])
def test_scoring_containers_are_refused_naming_scoring(scoring):
    search = BayesSearchCV(SVC(), {"C": [1.0, 2.0]}, scoring=scoring, cv=2)
    with pytest.raises(ValueError, match=r"^scoring: "):
        search.fit(X_CLF, Y_CLF)


def test_refit_naming_no_scorer_is_refused_naming_refit():
    search = BayesSearchCV(
        SVC(), {"C": [1.0, 2.0]}, scoring=["accuracy", "f1"], refit="roc_auc", cv=2
    )
    with pytest.raises(
        ValueError, match=r"^For multi-metric scoring, the parameter refit"
    ):
        search.fit(X_CLF, Y_CLF)


def test_callbacks_must_be_callable():
    search = BayesSearchCV(SVC(), {"C": [1.0]}, callbacks=[1])
    with pytest.raises(TypeError, match="callbacks must be callables"):
        search.fit(X_CLF, Y_CLF)


def test_iris_readme_example():
    X, y = load_iris(return_X_y=True)
    search = BayesSearchCV(
        make_pipeline(StandardScaler(), SVC()),
        {"svc__C": (1e-2, 1e2, "log-uniform"), "svc__gamma": (1e-3, 1, "log-uniform")},
        n_iter=10,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert search.best_score_ > 0.9


def test_misspelt_hyperparameter_is_reported_before_any_fit():
    pipe = make_pipeline(StandardScaler(), SVC())
    search = BayesSearchCV(pipe, {"svc__Cc": [1.0, 2.0]}, n_iter=2)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "'svc__Cc' is not a hyperparameter of Pipeline. Did you mean 'svc__C'?"
        ),
    ):
        search.fit(X_CLF, Y_CLF)


def test_hyperparameter_of_a_searched_estimator_is_accepted():
    pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
    space = {"clf": [LogisticRegression()], "clf__max_iter": [50, 100]}
    search = BayesSearchCV(pipe, space, cv=2).fit(X_CLF, Y_CLF)
    assert len(search.cv_results_["params"]) == 2


def test_no_valid_value_is_reported_before_any_fit():
    search = BayesSearchCV(SVC(), {"kernel": ["lin", "rbff"]}, n_iter=2)
    with pytest.raises(
        InvalidParameterError, match="no value of 'kernel' is valid \\('lin', 'rbff'\\)"
    ):
        search.fit(X_CLF, Y_CLF)
    search.set_params(search_spaces={"C": (-2.0, -1.0)})
    with pytest.raises(InvalidParameterError, match="no value of 'C' is valid"):
        search.fit(X_CLF, Y_CLF)


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_some_invalid_values_are_failed_candidates_as_in_gridsearch():
    search = BayesSearchCV(SVC(), {"C": [0.0, 1.0]}, cv=2)
    with pytest.warns(FitFailedWarning):
        search.fit(X_CLF, Y_CLF)
    assert np.isnan(search.cv_results_["mean_test_score"][0])
    assert search.best_params_ == {"C": 1.0}


def test_optimizer_results_are_built_on_reading_and_follow_each_fit():
    space = {"alpha": stats.loguniform(1e-3, 1e2), "solver": ["auto", "svd"]}
    search = BayesSearchCV(Ridge(), space, n_iter=8, cv=3, random_state=0)
    assert not hasattr(search, "optimizer_results_")
    search.fit(X_REG, Y_REG)
    result = search.optimizer_results_[0]
    assert search.optimizer_results_[0] is result  # built once
    assert len(result.x_iters) == 8
    # the optimizer saw minus each candidate's score, in cv_results_' order
    np.testing.assert_allclose(result.func_vals, -search.cv_results_["mean_test_score"])
    alphas = [point[0] for point in result.x_iters]
    assert alphas == [p["alpha"] for p in search.cv_results_["params"]]
    assert len(result.models) == 1
    restored = pickle.loads(pickle.dumps(search))
    assert restored.optimizer_results_[0].x_iters == result.x_iters
    search.set_params(n_iter=10).fit(X_REG, Y_REG)
    assert len(search.optimizer_results_[0].x_iters) == 10
