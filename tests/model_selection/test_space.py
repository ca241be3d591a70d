import math
import re

import numpy as np
import pytest
from scipy import stats
from sklearn.model_selection import ParameterGrid
from sklearn.svm import SVC
from skopt.space import Categorical, Integer, Real

from sklearn_hp.model_selection._schedule import allocate
from sklearn_hp.model_selection._space import (
    SubSpace,
    parse_search_spaces,
    to_hyperparameter,
)


def _decoded_samples(hyperparameter, n=50):
    points = hyperparameter.dimension.rvs(n_samples=n, random_state=0)
    return [hyperparameter.decode(point) for point in points]


def test_list_of_numbers_is_searched_by_rank_and_returns_the_values_given():
    hyperparameter = to_hyperparameter("C", [10, 0.1, 1, 100])
    assert isinstance(hyperparameter.dimension, Integer)
    assert hyperparameter.values == [0.1, 1, 10, 100]
    values = _decoded_samples(hyperparameter)
    assert set(values) <= {0.1, 1, 10, 100}
    assert {type(v) for v in values if v != 0.1} == {int}
    # the grid is walked in the order the values were listed
    assert [hyperparameter.decode(c) for c in hyperparameter.coordinates()] == [
        10,
        0.1,
        1,
        100,
    ]


def test_two_numbers_are_two_choices_not_a_range():
    hyperparameter = to_hyperparameter("alpha", [0.1, 1.0])
    assert set(_decoded_samples(hyperparameter)) == {0.1, 1.0}


def test_categorical_values_are_the_very_objects_given():
    first, second = SVC(C=1.0), SVC(C=2.0)
    values = [None, True, "rbf", (1, 2), first, second]
    hyperparameter = to_hyperparameter("value", values)
    assert isinstance(hyperparameter.dimension, Categorical)
    decoded = [hyperparameter.decode(c) for c in hyperparameter.coordinates()]
    assert all(a is b for a, b in zip(decoded, values))


def test_duplicate_values_are_one_choice():
    hyperparameter = to_hyperparameter("kernel", ["rbf", "linear", "rbf"])
    assert hyperparameter.coordinates() == ["'rbf'", "'linear'"]
    equal_estimators = to_hyperparameter("clf", [SVC(), SVC()])
    assert len(equal_estimators.coordinates()) == 1


def test_a_numpy_complex_is_the_same_choice_as_a_python_one():
    hyperparameter = to_hyperparameter("weight", [1j, np.complex128(1j), 2 + 0j])
    assert len(hyperparameter.coordinates()) == 2


def test_a_value_that_cannot_be_pickled_is_refused_naming_the_key():
    def local():
        class Local:
            pass

        return Local()

    with pytest.raises(TypeError, match=r"^'clf': a Local value cannot be pickled"):
        to_hyperparameter("clf", [local(), SVC()])


def test_booleans_and_true_one_are_distinct_choices():
    hyperparameter = to_hyperparameter("flag", [True, 1, 1.0])
    assert len(hyperparameter.coordinates()) == 3


@pytest.mark.parametrize(
    ("value", "dimension_type", "prior", "value_type", "bounds"),
    [
        ((1, 10), Integer, "uniform", int, (1, 10)),
        ((0.5, 2.0), Real, "uniform", float, (0.5, 2.0)),
        ((1e-3, 1.0, "log-uniform"), Real, "log-uniform", float, (1e-3, 1.0)),
        ((2, 512, "log-uniform"), Integer, "log-uniform", int, (2, 512)),
        # what RandomizedSearchCV draws from them: numpy's float64
        (stats.uniform(1, 3), Real, "uniform", np.float64, (1.0, 4.0)),
        (stats.loguniform(1e-3, 1e2), Real, "log-uniform", np.float64, (1e-3, 1e2)),
        (stats.randint(1, 10), Integer, "uniform", int, (1, 9)),
        (Real(0.1, 0.9), Real, "uniform", float, (0.1, 0.9)),
        (Integer(3, 7, prior="log-uniform"), Integer, "log-uniform", int, (3, 7)),
    ],
)
def test_ranges(value, dimension_type, prior, value_type, bounds):
    hyperparameter = to_hyperparameter("h", value)
    assert isinstance(hyperparameter.dimension, dimension_type)
    assert hyperparameter.dimension.prior == prior
    assert hyperparameter.dimension.bounds == bounds
    for decoded in _decoded_samples(hyperparameter):
        assert type(decoded) is value_type
        assert bounds[0] <= decoded <= bounds[1]


@pytest.mark.parametrize(
    ("distribution", "value_type"),
    [
        (stats.norm(5, 2), np.float64),
        (stats.expon(scale=0.1), np.float64),
        (stats.poisson(3), int),
        (stats.geom(0.3), int),
    ],
)
def test_other_distributions_are_searched_through_their_quantiles(
    distribution, value_type
):
    hyperparameter = to_hyperparameter("h", distribution)
    decoded = _decoded_samples(hyperparameter, n=2000)
    assert {type(v) for v in decoded} == {value_type}
    values = np.array(decoded)
    low, high = distribution.support()
    assert np.all((values >= low) & (values <= high))
    # sampling uniform quantiles is sampling the distribution
    assert stats.kstest(values, distribution.cdf).statistic < 0.1 or (
        value_type is int and abs(values.mean() - distribution.mean()) < 0.5
    )
    assert hyperparameter.decode(hyperparameter.encode(values[0])) == pytest.approx(
        values[0]
    )


def test_categorical_dimension_keeps_its_prior():
    hyperparameter = to_hyperparameter(
        "kernel", Categorical(["rbf", "linear"], prior=[0.9, 0.1])
    )
    assert list(hyperparameter.dimension.prior) == [0.9, 0.1]


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (
            1,
            TypeError,
            "Parameter grid for parameter 'h' needs to be a list or a numpy array, "
            "but got 1 (of type int) instead",
        ),
        ("1,2,3", TypeError, "but got '1,2,3' (of type str)"),
        ([], ValueError, "need to be a non-empty sequence, got: []"),
        (np.ones((3, 2)), ValueError, "should be one-dimensional"),
        ((10, 1), ValueError, "needs low < high, got (10, 1)"),
        ((0, 1, "log-uniform"), ValueError, "a log-uniform range needs low > 0"),
        ((1, 2, "normal"), ValueError, "must be 'uniform' or 'log-uniform'"),
        (stats.norm, TypeError, "not a frozen distribution"),
    ],
)
def test_bad_ranges_name_the_hyperparameter(value, error, message):
    with pytest.raises(error, match=re.escape(message)):
        to_hyperparameter("h", value)


def test_object_with_rvs_but_no_range_says_what_is_supported():
    class Sampler:
        def rvs(self, random_state=None):
            return 1.0

    with pytest.raises(TypeError, match="Supported forms are a list or numpy array"):
        to_hyperparameter("h", Sampler())


def test_search_spaces_forms():
    assert len(parse_search_spaces({"C": [1, 2]})) == 1
    subspaces = parse_search_spaces([{"C": [1, 2]}, ({"C": (1.0, 2.0)}, 7)])
    assert [s.n_iter for s in subspaces] == [None, 7]
    with pytest.raises(TypeError, match="must be a dict or a list, got: 0 of type int"):
        parse_search_spaces(0)
    with pytest.raises(ValueError, match="search_spaces is empty"):
        parse_search_spaces([])
    with pytest.raises(TypeError, match=r"parameter grid is not a dict \(0\)"):
        parse_search_spaces([{"C": [1]}, 0])
    with pytest.raises(ValueError, match="must be >= 1"):
        parse_search_spaces([({"C": [1, 2]}, 0)])


def test_grid_is_walked_in_gridsearch_order_without_duplicates():
    spec = {"kernel": ["rbf", "linear"], "C": [1, 10, 100], "gamma": ["scale"]}
    subspace = SubSpace(spec)
    assert subspace.size == 6
    assert subspace.constants == {"gamma": "scale"}
    walked = [subspace.decode(point) for point in subspace.grid()]
    assert walked == list(ParameterGrid(spec))
    assert all(list(candidate) == sorted(candidate) for candidate in walked)


def test_empty_dict_is_one_candidate_with_the_defaults():
    subspace = SubSpace({})
    assert subspace.size == 1
    assert [subspace.decode(p) for p in subspace.grid()] == [{}]


def test_continuous_space_is_infinite():
    assert SubSpace({"C": (0.1, 1.0), "kernel": ["rbf", "linear"]}).size == math.inf


def test_allocate_shares_n_iter_and_gives_what_a_small_space_leaves():
    small = SubSpace({"C": [1, 2]})
    large = SubSpace({"C": (0.1, 10.0)})
    assert allocate([small, large], 10) == [2, 8]
    assert allocate([large, large], 11) == [6, 5]
    assert allocate([SubSpace({"C": [1, 2, 3]}, n_iter=10), large], 5) == [3, 5]
