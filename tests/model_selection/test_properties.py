"""Properties of BayesSearchCV over random mixed search spaces (hypothesis)."""

import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from skopt.space import Categorical, Integer, Real

from sklearn_hp import BayesSearchCV

X = np.arange(60, dtype=float).reshape(30, 2)
Y = np.tile([0, 1], 15)
NAMES = ("a", "b", "c", "d")


class ScoredByParams(ClassifierMixin, BaseEstimator):
    """Fits nothing; its score is a fixed function of its hyperparameters."""

    def __init__(self, a=None, b=None, c=None, d=None):
        self.a = a
        self.b = b
        self.c = c
        self.d = d

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)

    def score(self, X, y):
        total = 0.0
        for value in (self.a, self.b, self.c, self.d):
            if isinstance(value, int | float) and not isinstance(value, bool):
                total += np.tanh(float(value) / 10.0)
            else:
                total += (hash(repr(value)) % 7) / 7.0
        return total


# Each kind: (strategy of the range, check that a value belongs to it)
def _integer_range():
    return st.tuples(st.integers(-5, 5), st.integers(1, 20)).map(
        lambda bounds: (bounds[0], bounds[0] + bounds[1])
    )


def _in_int_range(value, space):
    return type(value) is int and space[0] <= value <= space[1]


def _float_range():
    return st.tuples(st.floats(0.001, 1.0), st.floats(1.5, 100.0)).map(
        lambda bounds: (bounds[0], bounds[1], "log-uniform")
    )


def _in_float_range(value, space):
    return type(value) is float and space[0] <= value <= space[1]


def _choices():
    atoms = st.one_of(
        st.integers(-3, 3), st.sampled_from(["x", "y", "z"]), st.none(), st.booleans()
    )
    return st.lists(atoms, min_size=1, max_size=5)


def _in_choices(value, space):
    return any(value is choice for choice in space)


def _in_distribution(value, space):
    low, high = space.support()
    expected = int if space.dist.name in ("randint", "poisson") else float
    return type(value) is expected and low <= value <= high


def _in_dimension(value, space):
    if isinstance(space, Categorical):
        return value in space.categories
    expected = int if isinstance(space, Integer) else float
    return type(value) is expected and space.low <= value <= space.high


KINDS = {
    "int range": (_integer_range(), _in_int_range),
    "float range": (_float_range(), _in_float_range),
    "choices": (_choices(), _in_choices),
    "distribution": (
        st.sampled_from(
            [
                stats.uniform(0, 5),
                stats.loguniform(1e-3, 10),
                stats.randint(2, 9),
                stats.norm(0, 1),
                stats.poisson(4),
            ]
        ),
        _in_distribution,
    ),
    "dimension": (
        st.sampled_from(
            [
                Real(-1.0, 1.0),
                Integer(0, 3),
                Categorical(["p", "q"]),
                Real(1, 1e3, "log-uniform"),
            ]
        ),
        _in_dimension,
    ),
}


@st.composite
def search_spaces(draw):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    space, checks = {}, {}
    for name in names:
        kind = draw(st.sampled_from(sorted(KINDS)))
        strategy, check = KINDS[kind]
        space[name] = draw(strategy)
        checks[name] = check
    return space, checks


FAST = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def _search(space, n_iter, **kwargs):
    return BayesSearchCV(
        ScoredByParams(),
        space,
        n_iter=n_iter,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 3},
        **kwargs,
    )


@FAST
@given(search_spaces(), st.integers(1, 8), st.sampled_from([1, 3]))
def test_every_candidate_lies_in_its_space_with_its_type(spec, n_iter, n_points):
    space, checks = spec
    search = _search(space, n_iter, n_points=n_points).fit(X, Y)
    results = search.cv_results_
    for candidate in results["params"]:
        assert set(candidate) == set(space)
        for name, value in candidate.items():
            assert checks[name](value, space[name]), (name, value, space[name])
    # no candidate twice
    keys = {repr(sorted((k, repr(v)) for k, v in c.items())) for c in results["params"]}
    assert len(keys) == len(results["params"])


@FAST
@given(search_spaces(), st.integers(1, 8))
def test_cv_results_are_consistent(spec, n_iter):
    space, _ = spec
    search = _search(space, n_iter).fit(X, Y)
    results = search.cv_results_
    n = len(results["params"])
    assert 1 <= n <= n_iter
    for key, values in results.items():
        assert len(values) == n, key
    scores = results["mean_test_score"]
    ranks = results["rank_test_score"]
    # rank 1 is the best score; a better score never has a worse rank
    assert ranks[np.argmax(scores)] == 1
    order = np.argsort(-scores, kind="stable")
    assert np.all(np.diff(ranks[order]) >= 0)
    np.testing.assert_allclose(
        scores, np.mean([results["split0_test_score"], results["split1_test_score"]], 0)
    )
    for name in space:
        column = results[f"param_{name}"]
        assert not np.ma.getmaskarray(column).any()
        assert list(column) == [c[name] for c in results["params"]]
    assert search.best_index_ == int(np.argmin(ranks))


@FAST
@given(search_spaces(), st.integers(2, 8))
def test_fixed_random_state_reproduces_the_search(spec, n_iter):
    space, _ = spec
    first = _search(space, n_iter).fit(X, Y)
    second = _search(space, n_iter).fit(X, Y)
    assert repr(first.cv_results_["params"]) == repr(second.cv_results_["params"])


@FAST
@given(search_spaces(), st.integers(2, 6))
def test_clone_and_pickle_keep_behaviour(spec, n_iter):
    space, _ = spec
    search = _search(space, n_iter).fit(X, Y)
    restored = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(restored.predict(X), search.predict(X))
    assert repr(restored.cv_results_["params"]) == repr(search.cv_results_["params"])
    cloned = clone(search).fit(X, Y)
    assert repr(cloned.cv_results_["params"]) == repr(search.cv_results_["params"])


@pytest.mark.parametrize("n_iter", [5, 30])
def test_exhausted_finite_space_has_every_point_once(n_iter):
    space = {"a": [1, 2, 3], "b": ["x", None]}
    search = _search(space, n_iter).fit(X, Y)
    assert len(search.cv_results_["params"]) == min(n_iter, 6)
