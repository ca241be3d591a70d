"""Search spaces: grids, scipy distributions and scikit-optimize dimensions.

Every way a user can write a hyperparameter's range (a GridSearchCV list, a
RandomizedSearchCV distribution, a scikit-optimize dimension or its tuple
shorthand) becomes one :class:`Hyperparameter`: a scikit-optimize dimension in
the optimizer's coordinates, and the map from those coordinates back to the
value given to ``set_params``. Values come back as the objects the user wrote:
an ``int`` stays an ``int``, a categorical choice is the very object listed.
"""

import math
import numbers
from collections.abc import Mapping, Sequence

import joblib
import numpy as np
from scipy import stats
from skopt.space import Categorical, Dimension, Integer, Real, Space

# Quantiles at which an unbounded distribution is cut, so that its range is
# finite while keeping all but one in a million of its mass.
_TAIL = 1e-6
PRIORS = ("uniform", "log-uniform")
# scikit-optimize draws integers as numpy's int64, one past the upper bound.
_INT64 = np.iinfo(np.int64)

SUPPORTED_FORMS = (
    "a list or numpy array of values (as in GridSearchCV), "
    "a frozen scipy.stats distribution (as in RandomizedSearchCV), "
    "a scikit-optimize Real, Integer or Categorical, "
    "or a (low, high) or (low, high, prior) tuple"
)


def _value_key(value):
    """Hashable identity of a hyperparameter value, equal for equal values."""
    # The kind of number matters (True, 1 and 1.0 are different settings);
    # numpy's scalars are the same settings as Python's.
    if isinstance(value, bool | np.bool_):
        return ("bool", bool(value))
    if isinstance(value, numbers.Integral):
        return ("int", int(value))
    if isinstance(value, numbers.Real):
        return ("float", float(value))
    if isinstance(value, numbers.Complex):
        return ("complex", complex(value))
    if value is None or isinstance(value, str | numbers.Number):
        return (type(value).__name__, value)
    if isinstance(value, tuple) and all(
        v is None or isinstance(v, bool | str | numbers.Number) for v in value
    ):
        return ("tuple", tuple(_value_key(v) for v in value))
    try:
        return ("object", joblib.hash(value))
    except Exception as error:  # a PicklingError, or a TypeError for a lock
        raise TypeError(
            f"a {type(value).__name__} value cannot be pickled "
            f"({type(error).__name__}), which a value of a search space must be, "
            f"to be told apart from the others: {_label(value)}"
        ) from error


def _label(value, max_length=60):
    text = repr(value)
    if len(text) > max_length:
        text = text[: max_length - 3] + "..."
    return text


class Hyperparameter:
    """One searched hyperparameter: a dimension and its decoding.

    Parameters
    ----------
    name : str
        The ``get_params`` key the value is set on.
    dimension : skopt.space.Dimension
        The range in the optimizer's coordinates.
    values : list or None
        For a categorical or ordinal dimension, the objects its coordinates
        stand for.
    distribution : frozen scipy.stats distribution or None
        For a dimension of quantiles, the distribution they are quantiles of.
    listed : list of int or None
        For an ordinal dimension, the index in ``values`` of each value in
        the order the user listed them.
    scalar : type or None
        The type values are given as: for a scipy.stats distribution, the
        type its ``rvs`` returns, as RandomizedSearchCV gives them; None for
        Python's ``int`` or ``float``.
    """

    def __init__(
        self, name, dimension, values=None, distribution=None, listed=None, scalar=None
    ):
        self.name = name
        self.dimension = dimension
        self.values = values
        self.distribution = distribution
        self.scalar = scalar
        # Indices of ``values`` in the order the user listed them.
        self.listed = listed if listed is not None else None

    @property
    def is_finite(self):
        return self.distribution is None and not isinstance(self.dimension, Real)

    @property
    def n_coordinates(self):
        """Number of coordinates of a finite dimension, counted without listing."""
        if isinstance(self.dimension, Categorical):
            return len(self.dimension.categories)
        if self.values is not None:
            return len(self.values)
        return int(self.dimension.high) - int(self.dimension.low) + 1

    def coordinates(self):
        """Every coordinate of a finite dimension, in the order the user gave."""
        if isinstance(self.dimension, Categorical):
            return list(self.dimension.categories)
        if self.values is not None:
            return list(self.listed)
        return list(range(self.dimension.low, self.dimension.high + 1))

    def decode(self, coordinate):
        """Return the value to set for a point's coordinate."""
        if self.values is not None:
            if isinstance(self.dimension, Categorical):
                return self.values[self.dimension.categories.index(coordinate)]
            return self.values[int(coordinate)]
        if self.distribution is not None:
            coordinate = self.distribution.ppf(float(coordinate))
            integral = isinstance(self.distribution.dist, stats.rv_discrete)
        else:
            integral = isinstance(self.dimension, Integer)
        value = int(coordinate) if integral else float(coordinate)
        return value if self.scalar is None else self.scalar(value)

    def encode(self, value):
        """Return the coordinate of a value; raise ValueError if out of range."""
        if self.distribution is not None:
            return float(self.distribution.cdf(value))
        if self.values is not None:
            key = _value_key(value)
            for index, candidate in enumerate(self.values):
                if _value_key(candidate) == key:
                    if isinstance(self.dimension, Categorical):
                        return self.dimension.categories[index]
                    return index
            raise ValueError(f"{value!r} is not one of the values of {self.name!r}")
        if value not in self.dimension:
            raise ValueError(f"{value!r} is outside {self.dimension} ({self.name!r})")
        return int(value) if isinstance(self.dimension, Integer) else float(value)

    def coordinate_key(self, coordinate):
        if isinstance(self.dimension, Integer) or self.values is not None:
            return coordinate if isinstance(coordinate, str) else int(coordinate)
        return float(coordinate)


def _choices(name, values):
    """Search a list of choices: by rank for numbers, else as categories."""
    unique, keys = [], set()
    for value in values:
        key = _value_key(value)
        if key not in keys:
            keys.add(key)
            unique.append(value)
    numeric = all(
        isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))
        for v in unique
    )
    if numeric and len(unique) > 2:
        # Ordered numbers: the optimizer sees their rank, so that neighbouring
        # values are close, as they are for the model.
        order = sorted(range(len(unique)), key=lambda i: float(unique[i]))
        rank = {index: position for position, index in enumerate(order)}
        return Hyperparameter(
            name,
            Integer(0, len(unique) - 1, name=name),
            values=[unique[i] for i in order],
            listed=[rank[i] for i in range(len(unique))],
        )
    labels, seen = [], {}
    for value in unique:
        label = _label(value)
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return Hyperparameter(name, Categorical(labels, name=name), values=unique)


def _from_distribution(name, distribution):
    kind = distribution.dist
    family = getattr(kind, "name", "")
    try:
        # scipy.stats checks a distribution's parameters only when it is used
        with np.errstate(all="ignore"):
            draw = distribution.rvs(random_state=0)
            low, high = distribution.support()
    except (TypeError, ValueError, ArithmeticError) as error:
        raise ValueError(
            f"the distribution of {name!r} (scipy.stats.{family}) cannot be "
            f"drawn from: {error}"
        ) from error
    if np.ndim(draw) != 0 or np.ndim(low) != 0 or np.ndim(high) != 0:
        raise ValueError(
            f"the distribution of {name!r} (scipy.stats.{family}) draws arrays of "
            f"shape {np.shape(draw)}; a hyperparameter takes one value at a time"
        )
    if np.isnan(low) or np.isnan(high):
        raise ValueError(
            f"the distribution of {name!r} (scipy.stats.{family}) is not defined "
            f"for its parameters {_parameters(distribution)}"
        )
    # RandomizedSearchCV gives what rvs draws: numpy's float64 for a
    # continuous distribution
    scalar = type(draw)
    shown = f"scipy.stats.{family} with support ({low}, {high})"
    if isinstance(kind, stats.rv_continuous):
        if family == "uniform":
            _check_range(name, low, high, "uniform", integral=False, shown=shown)
            dimension = Real(float(low), float(high), name=name)
            return Hyperparameter(name, dimension, scalar=scalar)
        if family in ("loguniform", "reciprocal") and low > 0:
            _check_range(name, low, high, "log-uniform", integral=False, shown=shown)
            dimension = Real(float(low), float(high), prior="log-uniform", name=name)
            return Hyperparameter(name, dimension, scalar=scalar)
    elif isinstance(kind, stats.rv_discrete) and family == "randint":
        low, high = int(low), int(high)
        if low == high:
            # one value: listed, so that the sub-space holds it as a constant
            return _choices(name, [scalar(low)])
        _check_range(name, low, high, "uniform", integral=True, shown=shown)
        dimension = Integer(low, high, name=name)
        return Hyperparameter(name, dimension, scalar=scalar)
    # Any other distribution is searched through its quantiles: uniform
    # quantiles are draws from the distribution itself.
    return Hyperparameter(
        name,
        Real(_TAIL, 1 - _TAIL, name=name),
        distribution=distribution,
        scalar=scalar,
    )


def _parameters(distribution):
    arguments = [repr(a) for a in distribution.args]
    arguments += [f"{k}={v!r}" for k, v in distribution.kwds.items()]
    return f"({', '.join(arguments)})"


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _is_finite(value):
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _check_range(name, low, high, prior, integral, shown):
    """Raise ValueError for bounds no dimension can be built on.

    ``shown`` is the range as the user wrote it, quoted in the message.
    """
    if not integral and not (_is_finite(low) and _is_finite(high)):
        raise ValueError(f"the range of {name!r} needs finite bounds, got {shown}")
    if low >= high:
        raise ValueError(f"the range of {name!r} needs low < high, got {shown}")
    # one past the upper bound must still be an int64
    if integral and not (_INT64.min <= low and high < _INT64.max):
        raise ValueError(
            f"the range of {name!r} needs integer bounds from -2**63 to 2**63 - 2 "
            f"(numpy's int64), got {shown}"
        )
    if not integral and not math.isfinite(float(high) - float(low)):
        raise ValueError(
            f"the range of {name!r} is wider than a float can hold "
            f"(high - low overflows), got {shown}"
        )
    if prior == "log-uniform" and low <= 0:
        raise ValueError(f"a log-uniform range needs low > 0; {name!r} has low={low!r}")


def _is_whole(value):
    if isinstance(value, numbers.Integral):
        return True
    return _is_finite(value) and float(value).is_integer()


def _from_dimension(name, dimension):
    if isinstance(dimension, Integer | Real):
        shown = repr(dimension)
        low, high, prior = dimension.low, dimension.high, dimension.prior
        if not all(_is_number(v) for v in (low, high)):
            raise TypeError(f"the bounds of {name!r} must be numbers, got {shown}")
        integral = isinstance(dimension, Integer)
        if integral and not (_is_whole(low) and _is_whole(high)):
            raise ValueError(
                f"the Integer range of {name!r} needs whole-number bounds, got {shown}"
            )
        if integral:
            low, high = int(low), int(high)
        _check_range(name, low, high, prior, integral=integral, shown=shown)
        base = dimension.base
        if prior == "log-uniform" and not (
            _is_number(base) and _is_finite(base) and base > 1
        ):
            raise ValueError(
                f"the logarithm base of {name!r} must be a number > 1, got "
                f"{base!r} in {shown}"
            )
    if isinstance(dimension, Categorical):
        if not dimension.categories:
            raise ValueError(f"the Categorical of {name!r} has no categories")
        prior = dimension.prior
        hyperparameter = _choices(name, list(dimension.categories))
        if prior is not None and isinstance(hyperparameter.dimension, Categorical):
            hyperparameter.dimension = Categorical(
                hyperparameter.dimension.categories, prior=prior, name=name
            )
        return hyperparameter
    if isinstance(dimension, Integer):
        return Hyperparameter(
            name,
            Integer(
                int(dimension.low),
                int(dimension.high),
                prior=dimension.prior,
                base=dimension.base,
                name=name,
            ),
        )
    if isinstance(dimension, Real):
        return Hyperparameter(
            name,
            Real(
                float(dimension.low),
                float(dimension.high),
                prior=dimension.prior,
                base=dimension.base,
                name=name,
            ),
        )
    raise TypeError(
        f"{name!r} is a {type(dimension).__name__}; the "
        "scikit-optimize dimensions supported are Real, Integer and Categorical"
    )


def _is_range_tuple(value):
    if not isinstance(value, tuple) or len(value) not in (2, 3):
        return False
    bounds_are_numbers = all(_is_number(v) for v in value[:2])
    return bounds_are_numbers and (len(value) == 2 or isinstance(value[2], str))


def _is_misread_range(value):
    """Whether a tuple names a prior but is not a (low, high, prior) range.

    Such as ``(0.1, "10", "log-uniform")`` or scikit-optimize's
    ``(low, high, "log-uniform", base)``: read as a list of values, the prior
    would become a value to set.
    """
    return (
        isinstance(value, tuple)
        and len(value) >= 3
        and isinstance(value[2], str)
        and value[2] in PRIORS
        and any(_is_number(v) for v in value[:2])
    )


def _misread_range_error(name, value):
    if len(value) > 3 and all(_is_number(v) for v in value[:2]):
        return ValueError(
            f"the range of {name!r} must be (low, high) or (low, high, prior), got "
            f"{len(value)} entries: {_label(value)}. The base of a log-uniform "
            "range does not change how it is searched: leave it out"
        )
    return ValueError(
        f"the range of {name!r} needs two numbers as bounds, got {_label(value)}"
    )


def _from_range_tuple(name, value):
    low, high = value[:2]
    prior = value[2] if len(value) == 3 else "uniform"
    if prior not in PRIORS:
        raise ValueError(
            f"the prior of {name!r} must be 'uniform' or 'log-uniform', got {prior!r}"
        )
    integral = all(isinstance(v, numbers.Integral) for v in (low, high))
    _check_range(name, low, high, prior, integral=integral, shown=repr(value))
    cls = Integer if integral else Real
    cast = int if integral else float
    return Hyperparameter(name, cls(cast(low), cast(high), prior=prior, name=name))


def _renamed(error, message):
    """Return an error of the same kind as ``error`` with ``message``."""
    try:
        renamed = type(error)(message)
    except Exception:  # a type whose constructor takes other arguments
        renamed = (TypeError if isinstance(error, TypeError) else ValueError)(message)
    if not isinstance(renamed, TypeError | ValueError):
        renamed = ValueError(message)
    return renamed


def to_hyperparameter(name, value):
    """Read one entry of a search space.

    Parameters
    ----------
    name : str
        The hyperparameter's ``get_params`` key.
    value : object
        Its range, in any of the supported forms.

    Returns
    -------
    hyperparameter : Hyperparameter

    Raises
    ------
    TypeError or ValueError
        For a range that cannot be searched; the message names ``name``.
    """
    try:
        return _to_hyperparameter(name, value)
    except (TypeError, ValueError, ArithmeticError) as error:
        # What scipy.stats or scikit-optimize raise about a value the checks
        # above let through does not say which hyperparameter it is about.
        if isinstance(error, TypeError | ValueError) and repr(name) in str(error):
            raise
        raise _renamed(error, f"{name!r}: {error}") from error


def _to_hyperparameter(name, value):
    if isinstance(value, Dimension):
        return _from_dimension(name, value)
    if isinstance(value, stats.rv_continuous | stats.rv_discrete):
        raise TypeError(
            f"{name!r} is the distribution family "
            f"scipy.stats.{value.name}, not a frozen distribution; call it with "
            f"its parameters, e.g. scipy.stats.{value.name}(...)"
        )
    if hasattr(value, "rvs"):
        dist = getattr(value, "dist", None)
        if hasattr(value, "ppf") and isinstance(
            dist, stats.rv_continuous | stats.rv_discrete
        ):
            return _from_distribution(name, value)
        raise TypeError(
            f"{name!r} is a {type(value).__name__} with an rvs "
            "method, which cannot be searched: its range is unknown. Supported "
            f"forms are {SUPPORTED_FORMS}."
        )
    if _is_range_tuple(value):
        return _from_range_tuple(name, value)
    if _is_misread_range(value):
        raise _misread_range_error(name, value)
    if isinstance(value, np.ndarray):
        if value.ndim > 1:
            raise ValueError(
                f"Parameter array for {name!r} should be one-dimensional, got: "
                f"{value!r} with shape {value.shape}"
            )
        if value.ndim == 1:
            value = list(value)
    # bytes are a Sequence (of ints), but a single value as a str is
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Sequence):
        raise TypeError(
            f"Parameter grid for parameter {name!r} needs to be a list or a numpy "
            f"array, but got {value!r} (of type {type(value).__name__}) instead. "
            "Single values need to be wrapped in a list with one element. "
            f"Supported forms are {SUPPORTED_FORMS}."
        )
    if len(value) == 0:
        raise ValueError(
            f"Parameter grid for parameter {name!r} need to be a non-empty "
            f"sequence, got: {value!r}"
        )
    return _choices(name, list(value))


class SubSpace:
    """One dict of a search space: searched hyperparameters and constants.

    Parameters
    ----------
    spec : dict
        Hyperparameter names to ranges.
    n_iter : int or None
        The number of candidates this sub-space was given explicitly, as in
        scikit-optimize's ``[(space, n_iter), ...]``; None to share the
        search's ``n_iter``.
    """

    def __init__(self, spec, n_iter=None):
        self.n_iter = n_iter
        self.constants = {}
        self.hyperparameters = []
        for name in spec:
            if not isinstance(name, str):
                raise TypeError(f"hyperparameter names must be strings, got {name!r}")
        for name in sorted(spec):
            hyperparameter = to_hyperparameter(name, spec[name])
            if hyperparameter.is_finite and hyperparameter.n_coordinates == 1:
                (coordinate,) = hyperparameter.coordinates()
                self.constants[name] = hyperparameter.decode(coordinate)
            else:
                self.hyperparameters.append(hyperparameter)
        self.names = sorted(spec)

    @property
    def size(self):
        """Number of distinct candidates, or ``math.inf`` for a continuous space."""
        size = 1
        for hyperparameter in self.hyperparameters:
            if not hyperparameter.is_finite:
                return math.inf
            size *= hyperparameter.n_coordinates
        return size

    @property
    def dimensions(self):
        return [h.dimension for h in self.hyperparameters]

    def key(self):
        """Return what this sub-space searches, the same in every process.

        A scipy distribution or a scikit-optimize dimension pickles with its
        random state and caches, so their pickles differ from one moment to
        the next: the key says what they are instead.
        """
        return (
            self.n_iter,
            tuple((name, _value_key(value)) for name, value in self.constants.items()),
            tuple(
                (
                    h.name,
                    repr(h.dimension),
                    None
                    if h.values is None
                    else tuple(_value_key(value) for value in h.values),
                    None
                    if h.distribution is None
                    else (
                        h.distribution.dist.name,
                        repr(h.distribution.args),
                        repr(sorted(h.distribution.kwds.items())),
                    ),
                )
                for h in self.hyperparameters
            ),
        )

    def space(self):
        return Space(self.dimensions)

    def decode(self, point):
        """Return the candidate of a point: a dict sorted by name, as ParameterGrid."""
        params = dict(self.constants)
        for hyperparameter, coordinate in zip(self.hyperparameters, point):
            params[hyperparameter.name] = hyperparameter.decode(coordinate)
        return {name: params[name] for name in sorted(params)}

    def encode(self, params):
        """Return the point of a candidate; raise ValueError if not in the space."""
        if set(params) != set(self.names):
            raise ValueError("the candidate does not have this sub-space's names")
        for name, value in self.constants.items():
            if _value_key(value) != _value_key(params[name]):
                raise ValueError(f"{name!r} differs from this sub-space's constant")
        return [h.encode(params[h.name]) for h in self.hyperparameters]

    def point_key(self, point):
        return tuple(
            h.coordinate_key(c)
            for h, c in zip(self.hyperparameters, point, strict=True)
        )

    def grid(self):
        """Every point of a finite space, in GridSearchCV's order."""
        from sklearn.model_selection import ParameterGrid

        grid = ParameterGrid({h.name: h.coordinates() for h in self.hyperparameters})
        for grid_point in grid:
            yield [grid_point[h.name] for h in self.hyperparameters]


def candidate_key(params):
    """Hashable identity of a candidate, equal for equal settings."""
    return tuple((name, _value_key(value)) for name, value in sorted(params.items()))


class TakenCandidates:
    """The candidates a search has taken, each once, whatever sub-space gave it.

    Candidates are the same when their settings are (see
    :func:`candidate_key`): ``C=1`` and ``C=1.0`` are not, two equal
    estimators are.
    """

    def __init__(self):
        self._keys = set()

    def add(self, params):
        """Mark a candidate (a dict of hyperparameters) as taken."""
        self._keys.add(candidate_key(params))

    def has(self, params):
        """Whether a candidate was taken."""
        return candidate_key(params) in self._keys

    def __len__(self):
        return len(self._keys)


def parse_search_spaces(search_spaces, argument="search_spaces"):
    """Read ``search_spaces`` into a list of :class:`SubSpace`.

    Parameters
    ----------
    search_spaces : dict or list
        A dict of ranges, a list of such dicts (alternative sub-spaces), or a
        list of ``(dict, n_iter)`` pairs; the forms may be mixed.
    argument : str, default="search_spaces"
        The name the user gave the space under (``param_grid``,
        ``param_distributions``), which error messages start with.

    Returns
    -------
    subspaces : list of SubSpace
    """
    if isinstance(search_spaces, Mapping):
        entries = [search_spaces]
    elif isinstance(search_spaces, list | tuple):
        entries = search_spaces
    else:
        raise TypeError(
            f"{argument} must be a dict or a list, got: "
            f"{search_spaces!r} of type {type(search_spaces).__name__}"
        )
    if len(entries) == 0:
        raise ValueError(
            f"{argument} is empty: give at least one dict of hyperparameter ranges"
        )
    try:
        return [_subspace(entry) for entry in entries]
    except (TypeError, ValueError) as error:
        raise _renamed(error, f"{argument}: {error}") from None


def _subspace(entry):
    if isinstance(entry, Mapping):
        return SubSpace(entry)
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], Mapping):
        n_iter = entry[1]
        if not isinstance(n_iter, numbers.Integral) or isinstance(
            n_iter, bool | np.bool_
        ):
            raise TypeError(
                "the number of iterations of a (space, n_iter) pair must be an "
                f"int >= 1, got n_iter={n_iter!r} of type {type(n_iter).__name__}"
            )
        if n_iter < 1:
            raise ValueError(
                "the number of iterations of a (space, n_iter) pair must be >= 1, "
                f"got {entry[1]!r}"
            )
        return SubSpace(entry[0], n_iter=int(entry[1]))
    raise TypeError(
        "each entry of a list must be a dict or a (dict, n_iter) pair; "
        f"parameter grid is not a dict ({entry!r})"
    )
