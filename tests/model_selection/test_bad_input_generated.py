"""Generated bad input: no malformed space or argument can crash a search.

Hypothesis builds malformed search spaces and constructor arguments of
``BayesSearchCV`` (and ``HalvingBayesSearchCV`` where the argument is shared)
and fits them on 30 samples x 3 features. Each must end in a ``ValueError``
or ``TypeError`` (scikit-learn's ``InvalidParameterError`` is both) whose
message names the offending key or argument: never another exception, never
a search that runs, and, when the search was given a checkpoint, no file
left in the checkpoint's directory. The inputs of the ``TOLERATED``
categories are ones ``GridSearchCV`` accepts: those searches may run, and
when they are refused it is by such an error.

A benchmark can count the inputs tried and those refused as they should be::

    from tests.model_selection.test_bad_input_generated import (
        KNOWN_FAILURES, STRATEGIES, TOLERATED, X, Y, check_refused,
    )

    case = STRATEGIES["range: high <= low"].example()  # a BadInput
    check_refused(case.search(), X, Y, case.expected)  # AssertionError if not

``STRATEGIES`` maps each category to a hypothesis strategy of
:class:`BadInput`; ``KNOWN_FAILURES`` maps the categories not yet refused as
they should be to the fix each needs. Importing this module writes nothing.
"""

import math
import os
import re
import string
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as npst
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer_names
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from skopt.space import Categorical, Integer, Real

from sklearn_hp import BayesSearchCV, HalvingBayesSearchCV
from sklearn_hp.model_selection._optimizer import OPTIMIZER_KWARGS

X = np.random.default_rng(0).normal(size=(30, 3))
Y = np.tile([0, 1], 15)

SPACE_NAMES = ("search_spaces", "param_grid", "param_distributions")
BOTH = (BayesSearchCV, HalvingBayesSearchCV)
DEFAULTS = {
    BayesSearchCV: {"n_iter": 2, "cv": 2, "random_state": 0},
    HalvingBayesSearchCV: {"n_candidates": 3, "cv": 2, "random_state": 0},
}
LOGISTIC = LogisticRegression()
TREE = DecisionTreeClassifier(random_state=0)
PIPELINE = make_pipeline(StandardScaler(), LogisticRegression())
# A valid space of each estimator, and a valid entry to add beside a bad one.
GOOD_SPACES = {
    LogisticRegression: {"C": (0.1, 10.0, "log-uniform")},
    DecisionTreeClassifier: {"max_depth": (1, 5)},
    Pipeline: {"logisticregression__C": (0.1, 10.0, "log-uniform")},
}
OTHER_ENTRIES = {
    LogisticRegression: {"fit_intercept": [True, False]},
    DecisionTreeClassifier: {"criterion": ["gini", "entropy"]},
    Pipeline: {"standardscaler__with_mean": [True, False]},
}
# Hyperparameters whose every valid value is a number >= 0 (or > 0).
NUMERIC_KEYS = [(LOGISTIC, "C"), (LOGISTIC, "tol"), (TREE, "ccp_alpha")]
RANGE_KEYS = [*NUMERIC_KEYS, (TREE, "max_depth"), (TREE, "min_samples_leaf")]
PRIORS = ("uniform", "log-uniform")


@dataclass
class BadInput:
    """One generated input: the search to build and what its error must name.

    ``expected`` is a hyperparameter's key or an argument's name (a str), or
    a key of another type, which the message must show as its repr.
    """

    search_class: type
    estimator: object
    arguments: dict = field(default_factory=dict)
    expected: object = None

    @property
    def takes_checkpoint(self):
        return self.search_class is BayesSearchCV and "checkpoint" not in self.arguments

    def search(self, checkpoint=None):
        """Build the search; ``checkpoint`` is a path to save it to, if it takes one."""
        arguments = {**DEFAULTS[self.search_class], **self.arguments}
        if not any(name in arguments for name in SPACE_NAMES):
            arguments["search_spaces"] = dict(_good_space(self.estimator))
        if checkpoint is not None and self.takes_checkpoint:
            arguments["checkpoint"] = checkpoint
        return self.search_class(self.estimator, **arguments)


def _good_space(estimator):
    return GOOD_SPACES.get(type(estimator), GOOD_SPACES[LogisticRegression])


def names(message, name):
    """Whether ``message`` names ``name``: quoted, or as a word for a longer name."""
    if not isinstance(name, str):
        return repr(name) in message
    if repr(name) in message or f'"{name}"' in message:
        return True
    pattern = rf"(?<!\w){re.escape(name)}(?!\w)"
    return len(name) > 1 and re.search(pattern, message) is not None


def _checkpoint_directory(search):
    checkpoint = getattr(search, "checkpoint", None)
    if not isinstance(checkpoint, str | os.PathLike):
        return None
    return os.path.dirname(os.path.abspath(os.fspath(checkpoint)))


def check_refused(search, X, y, expected_name):
    """Fit ``search``; return its error if it was refused as it should be.

    Refused as it should be: by a ValueError or TypeError whose message names
    ``expected_name``, leaving no new file beside the search's checkpoint.

    Raises
    ------
    AssertionError
        Saying what happened instead.
    """
    directory = _checkpoint_directory(search)
    before = set(os.listdir(directory)) if directory else set()
    try:
        search.fit(X, y)
    except (ValueError, TypeError) as error:
        message = str(error)
        if not names(message, expected_name):
            raise AssertionError(
                f"{type(error).__name__} does not name {expected_name!r}: {message}"
            ) from error
        left = sorted(set(os.listdir(directory)) - before) if directory else []
        if left:
            raise AssertionError(
                f"refused ({message!r}), but left {left} in the checkpoint's directory"
            ) from error
        return error
    except Exception as error:
        raise AssertionError(
            f"{type(error).__name__} instead of a ValueError or TypeError naming "
            f"{expected_name!r}: {error}"
        ) from error
    raise AssertionError(f"the search ran; expected an error naming {expected_name!r}")


def check_tolerated(search, X, y, expected_name):
    """Fit ``search``; it may run, or be refused as :func:`check_refused` says."""
    try:
        return check_refused(search, X, y, expected_name)
    except AssertionError as failure:
        if str(failure).startswith("the search ran"):
            return None
        raise


# -- values ---------------------------------------------------------------------

finite_floats = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
numbers_ = st.one_of(st.integers(-1000, 1000), finite_floats)
non_finite = st.sampled_from(
    [math.nan, math.inf, -math.inf, np.float64("nan"), np.float64("-inf")]
)
identifiers = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True)
# Anything but a number: what a bound, a count or a name must not be.
not_numbers = st.one_of(
    st.text(max_size=5),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.binary(max_size=3),
    st.complex_numbers(allow_nan=False, allow_infinity=False, min_magnitude=1),
)
unhashable = st.one_of(
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
)


@st.composite
def _typo(draw, name):
    """A small edit of ``name``: a letter inserted, dropped, replaced or recased."""
    position = draw(st.integers(0, len(name)))
    letter = draw(st.sampled_from(string.ascii_letters + "_"))
    edit = draw(st.sampled_from(["insert", "drop", "replace", "case"]))
    if edit == "insert":
        return name[:position] + letter + name[position:]
    if edit == "drop" and len(name) > 1:
        return name[:position] + name[position + 1 :]
    if edit == "case":
        return name.swapcase()
    return name[:position] + letter + name[position + 1 :]


def _entries(keys, values):
    """(estimator, key, value): a bad value for one of ``keys``."""
    return st.tuples(st.sampled_from(keys), values).map(
        lambda drawn: (drawn[0][0], drawn[0][1], drawn[1])
    )


@st.composite
def _in_space(draw, entries, classes=BOTH):
    """A search whose space holds one bad entry, maybe beside a good one."""
    estimator, key, value = draw(entries)
    space = {key: value}
    if draw(st.booleans()):
        space.update(OTHER_ENTRIES[type(estimator)])
    argument = draw(st.sampled_from(SPACE_NAMES))
    search_class = draw(st.sampled_from(classes))
    return BadInput(search_class, estimator, {argument: space}, key)


# -- the search space -------------------------------------------------------------


@st.composite
def _containers(draw):
    """A space that is not a dict, or a list with an entry that is not one."""
    argument = draw(st.sampled_from(SPACE_NAMES))
    good = dict(GOOD_SPACES[LogisticRegression])
    bad_entry = st.one_of(
        st.integers(),
        st.text(max_size=4),
        st.none(),
        st.just([good]),
        st.just({"C"}),
        st.just((good,)),
        st.just((good, 2, 3)),
    )
    whole = st.one_of(
        st.sets(st.sampled_from(["C", "tol"]), max_size=2),
        st.text(max_size=5).filter(lambda text: text != "auto"),
        st.integers(),
        st.floats(),
        st.binary(max_size=3),
        st.booleans(),
        st.just((good,)),
        st.frozensets(st.sampled_from(["C", "tol"]), max_size=2),
        st.just(range(3)),
    )
    if draw(st.booleans()):
        space = draw(whole)
        search_class = draw(st.sampled_from(BOTH))
    else:
        entries = [dict(good) for _ in range(draw(st.integers(0, 2)))]
        entries.insert(draw(st.integers(0, len(entries))), draw(bad_entry))
        space = entries
        # a halving search takes one dict: a list is refused before its entries
        search_class = BayesSearchCV
    return BadInput(search_class, LOGISTIC, {argument: space}, argument)


@st.composite
def _two_names(draw):
    """The space given under two of its three names."""
    first, second = draw(
        st.lists(st.sampled_from(SPACE_NAMES), min_size=2, max_size=2, unique=True)
    )
    good = GOOD_SPACES[LogisticRegression]
    search_class = draw(st.sampled_from(BOTH))
    expected = min(first, second, key=SPACE_NAMES.index)
    return BadInput(search_class, LOGISTIC, {first: good, second: good}, expected)


def _empty_values():
    return st.sampled_from(
        [[], (), np.array([]), np.empty((0,), dtype=object), range(0), range(5, 1)]
    )


@st.composite
def _empty(draw):
    """No values: for a key, for the whole space, or for a sub-space."""
    kind = draw(st.sampled_from(["key", "space", "sub-space"]))
    if kind == "key":
        return draw(_in_space(_entries(RANGE_KEYS, _empty_values())))
    argument = draw(st.sampled_from(SPACE_NAMES))
    if kind == "space":
        search_class = draw(st.sampled_from(BOTH))
        return BadInput(search_class, LOGISTIC, {argument: []}, argument)
    values = draw(_empty_values())
    space = [dict(GOOD_SPACES[LogisticRegression]), {"C": values}]
    if draw(st.booleans()):
        space.reverse()
    return BadInput(BayesSearchCV, LOGISTIC, {argument: space}, "C")


@st.composite
def _unknown_names(draw):
    """A name the estimator does not have: a typo, a made-up or a nested name."""
    estimator = draw(st.sampled_from([LOGISTIC, TREE, PIPELINE]))
    params = estimator.get_params(deep=True)
    kind = draw(st.sampled_from(["typo", "made up", "nested", "not a str"]))
    if kind == "not a str":
        key = draw(
            st.one_of(
                st.integers(),
                st.none(),
                st.floats(),
                st.tuples(st.integers(0, 3), st.integers(0, 3)),
            )
        )
    elif kind == "nested":
        owner = draw(st.sampled_from(sorted(params)))
        key = f"{owner}__{draw(identifiers)}"
    elif kind == "typo":
        key = draw(_typo(draw(st.sampled_from(sorted(params)))))
    else:
        key = draw(identifiers)
    if key in params:
        key = f"{key}_x"
    space = {key: [1, 2], **_good_space(estimator)}
    argument = draw(st.sampled_from(SPACE_NAMES))
    search_class = draw(st.sampled_from(BOTH))
    return BadInput(search_class, estimator, {argument: space}, key)


def _with_prior(bounds):
    return st.tuples(bounds, st.sampled_from([(), ("uniform",), ("log-uniform",)])).map(
        lambda drawn: drawn[0] + drawn[1]
    )


def _either_order(bad, good):
    """(bad, good) or (good, bad)."""
    return st.tuples(bad, good, st.booleans()).map(
        lambda drawn: (drawn[0], drawn[1]) if drawn[2] else (drawn[1], drawn[0])
    )


def _bad_ranges():
    """(low, high[, prior]) tuples no range can be built on, by what is wrong."""
    return {
        "high <= low": _with_prior(
            st.tuples(numbers_, numbers_).map(lambda pair: (max(pair), min(pair)))
        ),
        "bound not finite": _with_prior(_either_order(non_finite, numbers_)),
        "log-uniform from <= 0": st.tuples(
            st.one_of(st.integers(-1000, 0), st.floats(-1e6, 0.0)),
            st.floats(1e-3, 1e6),
        ).map(lambda pair: (pair[0], pair[1], "log-uniform")),
        "integers beyond int64": _with_prior(
            st.one_of(
                st.tuples(st.integers(-5, 5), st.integers(2**63 - 1, 2**200)),
                st.tuples(st.integers(-(2**200), -(2**63) - 1), st.integers(-5, 5)),
            )
        ),
        "wider than a float": _with_prior(
            st.tuples(st.floats(1e308, 1.7e308), st.floats(1e308, 1.7e308)).map(
                lambda pair: (-pair[0], pair[1])
            )
        ),
        "bound not a number": st.tuples(
            _either_order(not_numbers, numbers_), st.sampled_from(PRIORS)
        ).map(lambda drawn: (*drawn[0], drawn[1])),
        "four entries": st.tuples(
            st.floats(1e-3, 1.0), st.floats(2.0, 1e3), st.integers(2, 16)
        ).map(lambda drawn: (drawn[0], drawn[1], "log-uniform", drawn[2])),
        "unknown prior": st.tuples(
            st.floats(1e-3, 1.0),
            st.floats(2.0, 10.0),
            st.one_of(
                st.sampled_from(["loguniform", "log_uniform", "Uniform", "normal", ""]),
                st.text(max_size=8),
            ).filter(lambda text: text not in PRIORS),
        ),
    }


class _Sampler:
    """Has rvs, as a distribution, but no range."""

    def rvs(self, random_state=None):
        return 1.0


def _bad_distributions():
    """Distributions that cannot be searched, by what is wrong."""
    return {
        "not frozen": st.sampled_from(
            [stats.uniform, stats.loguniform, stats.randint, stats.norm, stats.poisson]
        ),
        "no range": st.sampled_from(
            [_Sampler(), stats.norm.rvs, stats.multivariate_normal([0, 0]), object()]
        ),
        "bad parameters": st.one_of(
            st.builds(stats.uniform, finite_floats, st.floats(-1e3, 0.0)),
            st.builds(stats.uniform, non_finite, st.floats(0.1, 1.0)),
            st.builds(stats.uniform, finite_floats, st.just(math.inf)),
            st.builds(stats.norm, finite_floats, st.floats(-1e3, 0.0)),
            st.builds(stats.norm, non_finite, st.floats(0.1, 1.0)),
            st.builds(stats.loguniform, st.floats(-10.0, 0.0), st.floats(1.0, 10.0)),
            st.builds(stats.loguniform, st.floats(2.0, 10.0), st.floats(1e-3, 2.0)),
            st.integers(-50, 50).flatmap(
                lambda low: st.builds(
                    stats.randint, st.just(low), st.integers(-60, low)
                )
            ),
            st.integers(2**63, 2**80).map(lambda high: stats.randint(1, high)),
        ),
        "arrays": st.sampled_from(
            [stats.uniform([0.0, 1.0], [1.0, 2.0]), stats.norm(np.zeros(3), 1.0)]
        ),
    }


def _invalid_distributions():
    """Distributions none of whose values the estimator accepts."""
    negative_c = st.tuples(st.floats(-1e3, -1.0), st.floats(0.0, 1.0)).map(
        lambda drawn: stats.uniform(drawn[0], -drawn[0] * drawn[1])
    )
    return st.one_of(
        _entries([(LOGISTIC, "C")], negative_c),
        _entries(
            [(LOGISTIC, "C")],
            st.floats(-1e3, -10.0).map(lambda loc: stats.norm(loc, 1)),
        ),
        _entries(
            [(TREE, "max_depth")],
            st.integers(-50, 0).map(lambda low: stats.randint(low, 1)),
        ),
        _entries([(TREE, "max_depth")], st.just(stats.poisson(0))),
    )


def _mutated(dimension, **bounds):
    for name, value in bounds.items():
        setattr(dimension, name, value)
    return dimension


def _log_uniform(cls, base):
    with np.errstate(all="ignore"):  # scikit-optimize takes the log of the base
        return cls(1, 10, "log-uniform", base=base)


def _bad_dimensions():
    """scikit-optimize dimensions that cannot be searched, by what is wrong."""
    return {
        "bounds": st.one_of(
            st.builds(
                Real, st.sampled_from([math.nan, -math.inf]), st.floats(2.0, 10.0)
            ),
            st.builds(Real, st.floats(0.0, 1.0), st.just(math.inf)),
            st.builds(
                Integer,
                st.integers(0, 5),
                st.floats(6.0, 10.0).filter(lambda value: value % 1),
            ),
            st.builds(Integer, st.integers(0, 5), st.integers(2**63 - 1, 2**100)),
        ),
        "log base": st.builds(
            _log_uniform,
            st.sampled_from([Real, Integer]),
            st.one_of(st.floats(max_value=1.0), st.just(math.inf)),
        ),
        "changed after it was made": st.one_of(
            st.tuples(st.floats(0.5, 1.0), st.floats(0.0, 0.5)).map(
                lambda pair: _mutated(Real(0.1, 1.0), low=pair[0], high=pair[1])
            ),
            non_finite.map(lambda bound: _mutated(Real(0.1, 1.0), high=bound)),
            not_numbers.map(lambda bound: _mutated(Real(0.1, 1.0), low=bound)),
            st.integers(6, 10).map(lambda low: _mutated(Integer(1, 5), low=low)),
        ),
    }


def _invalid_dimensions():
    """Dimensions none of whose values the estimator accepts."""
    return st.one_of(
        _entries(
            [(LOGISTIC, "C")],
            st.builds(Real, st.floats(-10.0, -5.0), st.floats(-4.0, 0.0)),
        ),
        _entries(
            [(TREE, "max_depth")],
            st.builds(Integer, st.integers(-10, -5), st.integers(-4, 0)),
        ),
        _entries(
            [(LOGISTIC, "C")],
            st.lists(st.text(max_size=3), min_size=1, max_size=3, unique=True).map(
                Categorical
            ),
        ),
    )


def _object_array(values):
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _bad_values():
    """Values for a number >= 0, none valid, by the form they are given in."""
    invalid = st.one_of(
        st.text(max_size=5),
        st.none(),
        unhashable,
        st.floats(-1e6, -1e-3),
        st.complex_numbers(allow_nan=False, allow_infinity=False, min_magnitude=1),
    )
    return {
        "none valid": st.one_of(
            st.lists(invalid, min_size=1, max_size=5),
            st.lists(invalid, min_size=1, max_size=5).map(tuple),
            st.lists(invalid, min_size=1, max_size=5).map(_object_array),
        ),
        "arrays": st.one_of(
            npst.arrays(
                np.float64,
                npst.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=3),
            ),
            st.one_of(finite_floats, st.integers(-(2**63), 2**63 - 1)).map(np.array),
        ),
        "not in a list": st.one_of(
            finite_floats,
            st.integers(),
            st.none(),
            st.text(max_size=5),
            st.binary(max_size=3),
            st.just(Decimal("1.5")),
            st.just({"low": 1.0, "high": 2.0}),
            st.just({1.0, 2.0}),
            st.just(iter([1.0, 2.0])),
        ),
    }


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


@st.composite
def _sub_space_lists(draw):
    """A list of sub-spaces, one of them bad."""
    bad = draw(
        _in_space(
            st.one_of(
                _entries(RANGE_KEYS, st.one_of(*_bad_ranges().values())),
                _entries(RANGE_KEYS, st.one_of(*_bad_distributions().values())),
                _entries(RANGE_KEYS, st.one_of(*_bad_dimensions().values())),
                _entries(NUMERIC_KEYS, st.one_of(*_bad_values().values())),
                _invalid_dimensions(),
            ),
            classes=(BayesSearchCV,),
        )
    )
    ((argument, space),) = bad.arguments.items()
    good = _good_space(bad.estimator)
    entries = [dict(good) for _ in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        entries = [(entry, draw(st.integers(1, 3))) for entry in entries]
    entries.insert(draw(st.integers(0, len(entries))), space)
    return BadInput(BayesSearchCV, bad.estimator, {argument: entries}, bad.expected)


@st.composite
def _pairs(draw):
    """A (space, n_iter) pair whose n_iter is not an int >= 1."""
    n_iter = draw(
        st.one_of(
            st.integers(max_value=0),
            st.floats(),
            st.text(max_size=3),
            st.none(),
            st.booleans(),
            st.just(np.float64(2.0)),
            st.just(Fraction(2, 1)),
        )
    )
    good = GOOD_SPACES[LogisticRegression]
    entries = [(dict(good), 2) for _ in range(draw(st.integers(0, 2)))]
    entries.insert(draw(st.integers(0, len(entries))), (dict(good), n_iter))
    argument = draw(st.sampled_from(SPACE_NAMES))
    return BadInput(BayesSearchCV, LOGISTIC, {argument: entries}, "n_iter")


# -- the other arguments -----------------------------------------------------------


def _argument(name, values, classes=BOTH, **more):
    """A search with one bad argument (and ``more`` good ones)."""
    return st.builds(
        lambda search_class, value: BadInput(
            search_class, LOGISTIC, {name: value, **more}, name
        ),
        st.sampled_from(classes),
        values,
    )


unknown_scorers = st.text(max_size=10).filter(
    lambda text: text not in get_scorer_names()
)
non_integral = st.one_of(st.floats(), st.text(max_size=3), st.none())
MULTI_METRIC = ["accuracy", "f1"]


class _FitOnly:
    """Has fit, which is all scikit-learn's check of an estimator asks for."""

    def fit(self, X, y=None):
        return self


def _estimators():
    estimator = st.sampled_from(
        [
            LogisticRegression,
            DecisionTreeClassifier,
            _FitOnly(),
            None,
            "LogisticRegression",
            make_pipeline(StandardScaler, LogisticRegression()),
        ]
    )
    space = st.sampled_from([{}, {"search_spaces": "auto"}])
    return st.builds(
        lambda search_class, estimator, space: BadInput(
            search_class, estimator, dict(space), "estimator"
        ),
        st.sampled_from(BOTH),
        estimator,
        space,
    )


class _ListedConstraints(ClassifierMixin, BaseEstimator):
    """Declares its constraints in a list, not in scikit-learn's dict."""

    _parameter_constraints = ["alpha"]

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _malformed_constraints():
    """A space derived from constraints that are not a dict."""
    return st.builds(
        lambda search_class, space: BadInput(
            search_class,
            _ListedConstraints(),
            {"search_spaces": space},
            "_parameter_constraints",
        ),
        st.sampled_from(BOTH),
        st.sampled_from([None, "auto"]),
    )


def _optimizer_kwargs(cases, classes=BOTH, **more):
    """``cases`` draws (optimizer_kwargs, the name the error must give)."""
    return st.builds(
        lambda search_class, case: BadInput(
            search_class,
            LOGISTIC,
            {"optimizer_kwargs": case[0], **more},
            case[1],
        ),
        st.sampled_from(classes),
        cases,
    )


def _value_of(key, values):
    return values.map(lambda value: ({key: value}, key))


def _optimizer_kwargs_named():
    """optimizer_kwargs refused with the argument or its key named."""
    return _optimizer_kwargs(
        st.one_of(
            st.one_of(
                st.lists(st.integers(), max_size=2),
                st.text(max_size=3),
                st.integers(),
                st.just(("acq_func", "EI")),
            ).map(lambda value: (value, "optimizer_kwargs")),
            identifiers.filter(lambda name: name not in OPTIMIZER_KWARGS).map(
                lambda name: ({name: 1}, "optimizer_kwargs")
            ),
            st.just(({"random_state": 0}, "optimizer_kwargs")),
            _value_of(
                "acq_func",
                st.one_of(st.text(max_size=6), st.integers(), st.none()).filter(
                    lambda value: (
                        value not in ("gp_hedge", "EI", "PI", "LCB", "EIps", "PIps")
                    )
                ),
            ),
            _value_of(
                "base_estimator",
                st.one_of(
                    st.text(max_size=6).filter(
                        lambda text: (
                            text.upper() not in ("GP", "RF", "ET", "GBRT", "DUMMY")
                        )
                    ),
                    st.just(LogisticRegression()),
                    st.just(DecisionTreeClassifier()),
                ),
            ),
            _value_of(
                "n_initial_points",
                st.one_of(st.integers(max_value=-1), non_integral),
            ),
            _value_of(
                "acq_optimizer",
                st.one_of(st.text(max_size=6), st.integers(), st.none()).filter(
                    lambda value: value not in ("sampling", "lbfgs")
                ),
            ),
            _value_of(
                "model_queue_size",
                st.one_of(st.integers(max_value=0), st.floats(), st.text(max_size=3)),
            ),
            _value_of(
                "space_constraint",
                st.one_of(st.integers(), st.text(max_size=3), unhashable),
            ),
        )
    )


def _optimizer_kwargs_unnamed():
    """optimizer_kwargs scikit-optimize refuses without naming them, or takes."""
    return _optimizer_kwargs(
        st.one_of(
            _value_of(
                "base_estimator",
                st.sampled_from([3, 2.5, None, LogisticRegression, object()]),
            ),
            _value_of(
                "initial_point_generator",
                st.one_of(
                    st.text(max_size=6).filter(
                        lambda text: (
                            text
                            not in (
                                "random",
                                "sobol",
                                "halton",
                                "hammersly",
                                "lhs",
                                "grid",
                            )
                        )
                    ),
                    st.integers(),
                ),
            ),
            _value_of(
                "acq_func_kwargs",
                st.one_of(st.integers(), st.text(min_size=1, max_size=3)),
            ),
            _value_of(
                "acq_optimizer_kwargs",
                st.one_of(st.integers(), st.text(min_size=1, max_size=3)),
            ),
            st.integers().map(lambda key: ({key: 1}, "optimizer_kwargs")),
            _value_of("n_jobs", st.one_of(st.text(max_size=3), st.floats())),
            st.just(({"space_constraint": lambda point: False}, "space_constraint")),
        )
    )


def _optimizer_kwargs_late():
    """Acquisition arguments used only once the surrogate proposes."""
    bad = st.one_of(st.text(max_size=3), st.none(), st.lists(st.integers(), max_size=2))
    return _optimizer_kwargs(
        st.one_of(
            st.tuples(st.sampled_from(["xi", "kappa"]), bad).map(
                lambda drawn: (
                    {
                        "acq_func_kwargs": {drawn[0]: drawn[1]},
                        "acq_func": "EI" if drawn[0] == "xi" else "LCB",
                    },
                    drawn[0],
                )
            ),
            st.tuples(st.sampled_from(["n_points", "n_restarts_optimizer"]), bad).map(
                lambda drawn: (
                    {
                        "acq_optimizer_kwargs": {drawn[0]: drawn[1]},
                        "acq_optimizer": "lbfgs",
                    },
                    drawn[0],
                )
            ),
        ).map(
            lambda case: ({"n_initial_points": 1, **case[0]}, case[1]),
        ),
        classes=(BayesSearchCV,),
        n_iter=3,
    )


def _cv_splits():
    n = len(X)
    return _argument(
        "cv",
        st.one_of(
            st.just([]),
            st.integers(n + 1, 10 * n).map(
                lambda stop: [(np.arange(n // 2), np.arange(n // 2, stop))]
            ),
            st.just([(np.array(["a"]), np.array(["b"]))]),
            st.just([(np.arange(n // 2) + 0.5, np.arange(n // 2, n))]),
        ),
    )


def _scoring_containers():
    return _argument(
        "scoring",
        st.one_of(
            st.sampled_from([[], (), {}, ["accuracy", "accuracy"]]),
            st.lists(st.one_of(st.integers(), st.none()), min_size=1, max_size=2),
        ),
    )


@st.composite
def _halving_spaces_under_other_names(draw):
    argument = draw(st.sampled_from(["param_grid", "param_distributions"]))
    good = GOOD_SPACES[DecisionTreeClassifier]
    space = draw(st.sampled_from([[good, good], {}, [{}], {"max_depth": [3]}]))
    return BadInput(HalvingBayesSearchCV, TREE, {argument: space}, argument)


def _unsaveable_values():
    complex_values = st.complex_numbers(
        allow_nan=False, allow_infinity=False, min_magnitude=1
    ).filter(lambda value: value.imag != 0)
    return st.builds(
        lambda values: BadInput(
            BayesSearchCV,
            LOGISTIC,
            {"search_spaces": {"C": [1.0, *values]}, "n_iter": 3},
            "C",
        ),
        st.lists(complex_values, min_size=1, max_size=2),
    )


def _accepted_as_gridsearch_does():
    """Inputs GridSearchCV accepts, however odd: the search may run them."""
    bayes = (BayesSearchCV,)
    # (estimator, space, the name a refusal must give, the searches): a
    # halving search needs a hyperparameter to search, which the first lack
    spaces = [
        (LOGISTIC, {}, "search_spaces", bayes),
        (LOGISTIC, [{}], "search_spaces", bayes),
        (LOGISTIC, {"C": (1.0,)}, "C", bayes),
        (TREE, {"max_depth": stats.randint(3, 4)}, "max_depth", bayes),
        (LOGISTIC, {"C": [1.0, "a", None]}, "C", BOTH),
        (LOGISTIC, {"C": [math.nan, 1.0]}, "C", BOTH),
        (LOGISTIC, {"C": [math.inf, 1.0, 2.0]}, "C", BOTH),
        (LOGISTIC, {"C": [1.0, [2.0], {"a": 1}]}, "C", BOTH),
        (LOGISTIC, {"C": (0.1, "1")}, "C", BOTH),
        (LOGISTIC, {"C": [Fraction(1, 2), 1.0, 2.0]}, "C", BOTH),
        (LOGISTIC, {"C": (1e-300, 1e300, "log-uniform")}, "C", BOTH),
        (LOGISTIC, {"C": (1.0, 1.0 + 1e-12)}, "C", BOTH),
        (LOGISTIC, {"C": stats.bernoulli(0.5)}, "C", BOTH),
        (TREE, {"max_depth": (2, 5, None)}, "max_depth", BOTH),
        (TREE, {"max_depth": [1, 10**30, 3]}, "max_depth", BOTH),
        (TREE, {"max_depth": Integer(1, 2**62)}, "max_depth", BOTH),
    ]
    arguments = [
        ("n_iter", True, bayes),
        ("n_points", True, BOTH),
        ("refit", "nope", BOTH),
        ("pre_dispatch", "x", BOTH),
    ]

    @st.composite
    def cases(draw):
        if draw(st.integers(0, len(spaces) + len(arguments) - 1)) >= len(spaces):
            name, value, classes = draw(st.sampled_from(arguments))
            search_class = draw(st.sampled_from(classes))
            return BadInput(search_class, LOGISTIC, {name: value}, name)
        estimator, space, expected, classes = draw(st.sampled_from(spaces))
        search_class = draw(st.sampled_from(classes))
        argument = draw(st.sampled_from(SPACE_NAMES))
        return BadInput(search_class, estimator, {argument: space}, expected)

    return cases()


STRATEGIES = {
    # -- the search space
    "space container": _containers(),
    "space under two names": _two_names(),
    "empty": _empty(),
    "unknown name": _unknown_names(),
    **{
        f"range: {kind}": _in_space(_entries(RANGE_KEYS, values))
        for kind, values in _bad_ranges().items()
    },
    **{
        f"distribution: {kind}": _in_space(_entries(RANGE_KEYS, values))
        for kind, values in _bad_distributions().items()
    },
    "distribution: no valid value": _in_space(_invalid_distributions()),
    **{
        f"dimension: {kind}": _in_space(_entries(RANGE_KEYS, values))
        for kind, values in _bad_dimensions().items()
    },
    "dimension: no valid value": _in_space(_invalid_dimensions()),
    **{
        f"values: {kind}": _in_space(_entries(NUMERIC_KEYS, values))
        for kind, values in _bad_values().items()
    },
    "sub-space list": _sub_space_lists(),
    "(space, n_iter) pair": _pairs(),
    # -- the other arguments
    "estimator": _estimators(),
    "n_iter": _argument(
        "n_iter",
        st.one_of(
            st.integers(max_value=0),
            non_integral,
            st.sampled_from([False, np.int64(0), np.float64(2.0)]),
        ),
        classes=(BayesSearchCV,),
    ),
    "n_points": _argument(
        "n_points",
        st.one_of(
            st.integers(max_value=0),
            non_integral.filter(lambda value: value != "auto"),
            st.just(False),
        ),
    ),
    "cv": _argument(
        "cv", st.one_of(st.integers(max_value=1), st.floats(), st.text(max_size=3))
    ),
    "scoring": _argument(
        "scoring",
        st.one_of(
            unknown_scorers,
            st.integers(),
            st.floats(),
            st.lists(unknown_scorers, min_size=1, max_size=2, unique=True),
            st.dictionaries(identifiers, unknown_scorers, min_size=1, max_size=2),
        ),
    ),
    "refit": st.one_of(
        _argument(
            "refit",
            st.one_of(
                st.text(max_size=8).filter(lambda text: text not in MULTI_METRIC),
                st.just(True),
            ),
            scoring=MULTI_METRIC,
        ),
        _argument("refit", st.one_of(st.integers(), st.floats(), unhashable)),
    ),
    "error_score": _argument(
        "error_score",
        st.one_of(
            st.text(max_size=6).filter(lambda text: text != "raise"),
            st.none(),
            unhashable,
        ),
    ),
    "random_state": _argument(
        "random_state",
        st.one_of(
            st.floats(),
            st.text(max_size=3),
            st.integers(max_value=-1),
            st.integers(min_value=2**32),
            st.lists(st.integers(0, 3), min_size=1, max_size=2),
        ),
    ),
    "optimizer_kwargs": _optimizer_kwargs_named(),
    "racing": _argument(
        "racing",
        st.one_of(
            st.floats().filter(lambda value: not 0.5 < value < 1),
            st.text(max_size=3),
            st.none(),
            st.integers(),
        ),
        classes=(BayesSearchCV,),
    ),
    "callbacks": _argument(
        "callbacks",
        st.one_of(
            st.text(max_size=3),
            st.integers(),
            st.just((print,)),
            st.lists(
                st.one_of(
                    st.text(max_size=3), st.integers(), st.none(), st.just(print)
                ),
                min_size=1,
                max_size=3,
            ).filter(lambda values: not all(map(callable, values))),
        ),
    ),
    "n_jobs": _argument(
        "n_jobs", st.one_of(st.text(max_size=3), st.floats(), st.just(0))
    ),
    "verbose": _argument(
        "verbose",
        st.one_of(
            st.text(max_size=3), st.floats(), st.integers(max_value=-1), st.none()
        ),
    ),
    "checkpoint": _argument(
        "checkpoint",
        st.one_of(st.integers(), st.floats(), st.binary(max_size=3), unhashable),
        classes=(BayesSearchCV,),
    ),
    # -- arguments the optimizer or scikit-learn checked without naming them,
    # or used only once the search ran
    "optimizer_kwargs the optimizer does not name": _optimizer_kwargs_unnamed(),
    "optimizer_kwargs used once fitted": _optimizer_kwargs_late(),
    "cv splits": _cv_splits(),
    "scoring containers": _scoring_containers(),
    "halving space under another name": _halving_spaces_under_other_names(),
    "estimator with constraints not in a dict": _malformed_constraints(),
    # -- accepted by GridSearchCV: the search may run them
    "accepted as GridSearchCV accepts": _accepted_as_gridsearch_does(),
    "values a checkpoint cannot hold": _unsaveable_values(),
}
TOLERATED = ("accepted as GridSearchCV accepts", "values a checkpoint cannot hold")
# Searches that would write their checkpoint before an error: always given one.
ALWAYS_CHECKPOINTED = (
    "optimizer_kwargs used once fitted",
    "values a checkpoint cannot hold",
)
# Categories not yet refused as they should be, each to the fix it needs;
# marked xfail(strict=True) below.
KNOWN_FAILURES: dict[str, str] = {}


# -- the tests -----------------------------------------------------------------------


def _settings(category):
    slow = category in TOLERATED or category in ALWAYS_CHECKPOINTED
    phases = tuple(Phase)
    if category in KNOWN_FAILURES:
        # fails at its first example: shrinking it would only take time
        phases = tuple(phase for phase in phases if phase is not Phase.shrink)
    return settings(
        max_examples=30 if slow else 40,
        deadline=timedelta(seconds=20 if slow else 5),
        derandomize=True,
        database=None,
        phases=phases,
        suppress_health_check=[HealthCheck.too_slow] if slow else [],
    )


def _params(categories):
    return [
        pytest.param(
            category,
            id=category,
            marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[category]),
        )
        if category in KNOWN_FAILURES
        else pytest.param(category, id=category)
        for category in categories
    ]


def _run(category, check):
    checkpointed = st.just(True) if category in ALWAYS_CHECKPOINTED else st.booleans()

    @_settings(category)
    @given(case=STRATEGIES[category], with_checkpoint=checkpointed)
    def run(case, with_checkpoint):
        with tempfile.TemporaryDirectory() as directory:
            checkpoint = None
            if with_checkpoint and case.takes_checkpoint:
                checkpoint = os.path.join(directory, "search.json")
            check(case.search(checkpoint), X, Y, case.expected)

    run()


@pytest.mark.parametrize(
    "category", _params(c for c in STRATEGIES if c not in TOLERATED)
)
def test_bad_input_is_refused_naming_it(category):
    _run(category, check_refused)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
@pytest.mark.filterwarnings("ignore:One or more of the train scores are non-finite")
@pytest.mark.parametrize("category", _params(TOLERATED))
def test_odd_input_runs_or_is_refused_naming_it(category):
    _run(category, check_tolerated)


def test_names_is_strict_about_short_names():
    assert names("the range of 'C' needs low < high", "C")
    assert not names("Valid names are: C, class_weight", "C")
    assert names("The 'cv' parameter of BayesSearchCV", "cv")
    assert names("search_spaces: each entry", "search_spaces")
    assert not names("n_iterations", "n_iter")
    assert names("hyperparameter names must be strings, got 1", 1)


def test_every_category_is_known_to_the_benchmark():
    assert set(KNOWN_FAILURES) <= set(STRATEGIES)
    assert set(TOLERATED) <= set(STRATEGIES)
    assert len(STRATEGIES) >= 40
