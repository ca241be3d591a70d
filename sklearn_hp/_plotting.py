"""Plots of fitted searches: convergence, scores per hyperparameter, surrogate.

matplotlib is an optional dependency (the ``plot`` extra): it is imported by
each function when called, so that the rest of the package works without it.
"""

from __future__ import annotations

import copy
import math
import numbers
import warnings
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .model_selection._space import _label, _value_key, parse_search_spaces
from .utils._results import score_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

    from .model_selection import BayesSearchCV
    from .utils._sklearn_compat import BaseSearchCV

# Tick labels of categorical values are cut to this many characters.
_MAX_LABEL_LENGTH = 25
# Panels of plot_param_scores that still fit in one row.
_MAX_PANELS_IN_A_ROW = 4


def _import_pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "Plotting needs matplotlib, an optional dependency of sklearn_hp: "
            'install it with pip install "sklearn_hp[plot]"'
        ) from error
    return plt


def _score_key(search, metric=None):
    """Return the ``cv_results_`` key of the mean test score a plot shows."""
    check_is_fitted(search, "cv_results_")
    return score_key(search, metric, purpose="plot")


def _optimised_key(search):
    """Return the ``cv_results_`` key of the score a Bayesian search optimised.

    The one ``refit`` names among several metrics, else the first, as the
    search told its optimizer.
    """
    try:
        return _score_key(search)
    except ValueError:
        return next(key for key in search.cv_results_ if key.startswith("mean_test_"))


def _describe(search, key):
    """Name the score of ``cv_results_[key]``: ``mean test <metric>``.

    A single metric is ``mean_test_score`` whatever it is: its name is that
    of the search's ``scoring`` when a string names it.
    """
    metric = key[len("mean_test_") :]
    scoring = getattr(search, "scoring", None)
    if metric == "score" and isinstance(scoring, str):
        metric = scoring
    return f"mean test {metric}"


def _mean_scores(search, key):
    return np.asarray(search.cv_results_[key], dtype=float)


def plot_convergence(
    *searches: BaseSearchCV,
    metric: str | None = None,
    labels: list[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot the best mean test score found so far against candidates evaluated.

    One line per search, on one axes: how fast each search found good
    hyperparameters. The candidates are taken in the order of
    ``cv_results_``, the order in which :class:`BayesSearchCV` and
    ``RandomizedSearchCV`` evaluated them, and the grid's order for
    ``GridSearchCV``. Failed candidates (NaN scores) do not lower the best
    score; before the first success there is nothing to draw.

    Parameters
    ----------
    *searches : fitted BaseSearchCV
        Any fitted scikit-learn search with ``cv_results_``:
        :class:`BayesSearchCV`, ``GridSearchCV``, ``RandomizedSearchCV``...

    metric : str, default=None
        The metric to plot, as named in ``scoring`` (``mean_test_<metric>``
        of ``cv_results_``). By default, each search's ``mean_test_score``,
        or with several metrics the one its ``refit`` names.

    labels : list of str, default=None
        The legend's labels, one per search. By default the searches' class
        names, numbered when they repeat.

    ax : matplotlib Axes, default=None
        The axes to draw on; by default those of a new figure.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    See Also
    --------
    plot_param_scores : The mean test score of every candidate against each
        hyperparameter.
    plot_objective : The surrogate model of a :class:`BayesSearchCV`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_hp import BayesSearchCV, plot_convergence
    >>> X, y = load_iris(return_X_y=True)
    >>> tree = DecisionTreeClassifier(random_state=0)
    >>> grid = GridSearchCV(tree, {"max_depth": range(1, 11)}, cv=3).fit(X, y)
    >>> bayes = BayesSearchCV(
    ...     tree, {"max_depth": (1, 50)}, n_iter=10, cv=3, random_state=0
    ... ).fit(X, y)
    >>> ax = plot_convergence(bayes, grid)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['BayesSearchCV', 'GridSearchCV']
    """
    plt = _import_pyplot()
    from matplotlib.ticker import MaxNLocator

    if not searches:
        raise ValueError("plot_convergence needs at least one fitted search")
    if labels is None:
        seen = Counter()
        labels = []
        for search in searches:
            name = type(search).__name__
            seen[name] += 1
            labels.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    elif len(labels) != len(searches):
        raise ValueError(
            f"labels has {len(labels)} entries for {len(searches)} searches"
        )
    keys = [_score_key(search, metric) for search in searches]
    if ax is None:
        _, ax = plt.subplots(layout="constrained")
    for search, key, label in zip(searches, keys, labels):
        best_so_far = np.fmax.accumulate(_mean_scores(search, key))
        n_candidates = np.arange(1, len(best_so_far) + 1)
        ax.plot(n_candidates, best_so_far, drawstyle="steps-post", label=label)
    names = {_describe(search, key) for search, key in zip(searches, keys)}
    ylabel = names.pop() if len(names) == 1 else "mean test score"
    ax.set_xlabel("Candidates evaluated")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_ylabel(f"Best {ylabel} so far")
    ax.legend()
    return ax


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _category_positions(values, declared=()):
    """Position of each value among the distinct values, and their labels.

    The distinct values come in the order ``declared`` lists them (the
    search space's), then those it does not list in the order met.
    """
    rank = {}
    for value in declared:
        rank.setdefault(_value_key(value), len(rank))
    distinct = {}
    for value in values:
        distinct.setdefault(_value_key(value), value)
    ordered = sorted(
        enumerate(distinct.items()),
        key=lambda item: (rank.get(item[1][0], len(rank)), item[0]),
    )
    keys, labels, seen = {}, [], Counter()
    for _, (key, value) in ordered:
        keys[key] = len(keys)
        # Distinct values may share a label: estimators cut to the same repr.
        label = _label(value, max_length=_MAX_LABEL_LENGTH)
        seen[label] += 1
        labels.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    positions = [keys[_value_key(value)] for value in values]
    return np.asarray(positions, dtype=float), labels


def _declared_values(search, name):
    """Return the values the search's space lists for ``name``, in their order.

    Read as the searches read a space (``parse_search_spaces``), sub-space
    by sub-space: a list's values as listed, a categorical dimension's
    categories; empty for a range or distribution, or a space that cannot be
    read.
    """
    try:
        if hasattr(search, "_parsed_search_spaces"):
            _, subspaces = search._parsed_search_spaces()
        else:
            space = getattr(search, "param_grid", None)
            if space is None:
                space = search.param_distributions
            subspaces = parse_search_spaces(space)
    except (AttributeError, TypeError, ValueError):
        return []
    declared = []
    for subspace in subspaces:
        for hyperparameter in subspace.hyperparameters:
            values = hyperparameter.values
            if hyperparameter.name != name or values is None:
                continue
            listed = hyperparameter.listed
            declared.extend(values if listed is None else [values[i] for i in listed])
    return declared


def _turn_x_tick_labels(ax):
    """Turn long tick labels along x, each ending under its tick."""
    for label in ax.get_xticklabels():
        label.set(rotation=30, horizontalalignment="right", rotation_mode="anchor")


def _searched_params(results):
    """Names of the ``param_*`` columns that take more than one value."""
    names = []
    for key, column in results.items():
        if not key.startswith("param_"):
            continue
        values = np.ma.asarray(column, dtype=object).compressed()
        if len({_value_key(value) for value in values}) > 1:
            names.append(key[len("param_") :])
    return names


def plot_param_scores(
    search: BaseSearchCV,
    params: list[str] | None = None,
    metric: str | None = None,
) -> np.ndarray:
    """Plot each candidate's mean test score against each hyperparameter.

    One scatter panel per hyperparameter, sharing the score axis: the value
    of the hyperparameter (x) and the mean test score (y) of every candidate
    that set it. Numbers that are all positive and span more than two
    decades are shown on a log scale; other values (strings, None, booleans,
    estimators, or numbers mixed with them) are categories, labelled by
    their ``repr``, in the order the search space lists them (then any
    value it does not list, in the order of ``cv_results_``). Candidates of
    a sub-space without the hyperparameter, and failed candidates (NaN
    scores), are left out of its panel.

    Parameters
    ----------
    search : fitted BaseSearchCV
        Any fitted scikit-learn search with ``cv_results_``.

    params : list of str, default=None
        The hyperparameters to plot, as named in the search space
        (``"svc__C"``). By default every one that took more than one value.

    metric : str, default=None
        The metric to plot, as named in ``scoring``. By default
        ``mean_test_score``, or with several metrics the one ``refit``
        names.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_params,)
        One panel per hyperparameter, in the order of ``params``: in one
        row for up to four, else in a grid.

    See Also
    --------
    plot_convergence : The best score found so far against candidates
        evaluated.
    plot_objective : The surrogate model of a :class:`BayesSearchCV`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sklearn_hp import BayesSearchCV, plot_param_scores
    >>> X, y = load_iris(return_X_y=True)
    >>> search = BayesSearchCV(
    ...     SVC(),
    ...     {"C": (1e-3, 1e3, "log-uniform"), "kernel": ["linear", "rbf"]},
    ...     n_iter=10,
    ...     cv=3,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> axes = plot_param_scores(search)
    >>> [ax.get_xlabel() for ax in axes]
    ['C', 'kernel']
    >>> axes[0].get_xscale()
    'log'
    """
    plt = _import_pyplot()
    key = _score_key(search, metric)
    results = search.cv_results_
    if params is None:
        params = _searched_params(results)
        if not params:
            raise ValueError(
                "every hyperparameter of the search took a single value: name "
                "the ones to plot with params=[...]"
            )
    else:
        params = list(params)
        unknown = [name for name in params if f"param_{name}" not in results]
        if unknown or not params:
            known = [k[len("param_") :] for k in results if k.startswith("param_")]
            problem = f"{unknown} not in the search's cv_results_" if unknown else "[]"
            raise ValueError(
                f"params: {problem}; the search's hyperparameters are {known}"
            )
    scores = _mean_scores(search, key)

    n_panels = len(params)
    n_cols = (
        n_panels if n_panels <= _MAX_PANELS_IN_A_ROW else math.ceil(math.sqrt(n_panels))
    )
    n_rows = math.ceil(n_panels / n_cols)
    fig, grid = plt.subplots(
        n_rows,
        n_cols,
        figsize=(3.2 * n_cols, 3.0 * n_rows),
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    for unused in grid.ravel()[n_panels:]:
        fig.delaxes(unused)
    axes = grid.ravel()[:n_panels]

    for ax, name in zip(axes, params):
        column = np.ma.asarray(results[f"param_{name}"], dtype=object)
        kept = ~np.ma.getmaskarray(column) & ~np.isnan(scores)
        values = list(column.data[kept])
        y = scores[kept]
        if values and all(_is_number(value) for value in values):
            x = np.asarray(values, dtype=float)
            ax.scatter(x, y)
            if np.all(x > 0) and x.max() / x.min() > 100:
                ax.set_xscale("log")
        else:
            x, labels = _category_positions(values, _declared_values(search, name))
            ax.scatter(x, y)
            ax.set_xticks(range(len(labels)), labels)
            ax.set_xlim(-0.5, len(labels) - 0.5)
            if sum(len(label) for label in labels) > 24:
                _turn_x_tick_labels(ax)
        ax.set_xlabel(name)
    for ax in grid[:, 0]:
        ax.set_ylabel(_describe(search, key).capitalize())
    return axes


class _FirstOutput:
    """A surrogate of the objective and the log fit time, seen as the first."""

    def __init__(self, model):
        self.model = model

    def predict(self, X, **kwargs):
        return np.asarray(self.model.predict(X, **kwargs))[:, 0]


def _fit_gaussian_process(result):
    """Return a copy of ``result`` with a Gaussian process fitted to its points.

    A sub-space walked as a grid was never modelled. The copy's space is
    normalised as scikit-optimize normalises it for a Gaussian process; the
    search's own record is left as it is.
    """
    from skopt.space import Space
    from skopt.utils import cook_estimator, normalize_dimensions

    space = Space(normalize_dimensions(copy.deepcopy(result.space.dimensions)))
    model = cook_estimator("GP", space=space.dimensions, random_state=0)
    with warnings.catch_warnings():
        # The kernel's hyperparameters may reach their bounds on few points.
        warnings.simplefilter("ignore")
        model.fit(space.transform(result.x_iters), result.func_vals)
    return _with(result, space=space, models=[model])


def _with(result, **changes):
    from scipy.optimize import OptimizeResult

    return OptimizeResult({**result, **changes})


def _hyperparameters(search, subspace, space):
    """Return the search's hyperparameter behind each dimension, or None."""
    try:
        hyperparameters = search._parsed_search_spaces()[1][subspace].hyperparameters
    except (AttributeError, IndexError, TypeError, ValueError):
        hyperparameters = []
    if [h.name for h in hyperparameters] != [d.name for d in space.dimensions]:
        # search_spaces was changed after fit: the names alone are sure.
        return [None] * len(space.dimensions)
    return list(hyperparameters)


def _dimension_label(dimension, hyperparameter):
    """Name a dimension; say when it is a rank or a quantile, not a value."""
    label = dimension.name
    if hyperparameter is None:
        return label
    if hyperparameter.distribution is not None:
        return f"{label} (quantile)"
    if hyperparameter.values is not None and not hasattr(
        hyperparameter.dimension, "categories"
    ):
        return f"{label} (rank)"
    return label


class _PlotAxis:
    """One dimension of the space as a panel draws it.

    Where the partial dependence is evaluated (``values``, in the optimizer's
    coordinates), where those values and the candidates go on the axis, and
    how the axis is labelled. A ``"category"`` or ``"discrete"`` axis takes
    a few values, each drawn apart; a ``"continuous"`` one, a range.
    """

    def __init__(self, index, dimension, label, hyperparameter, n_points):
        from skopt.space import Categorical, Integer

        self.index = index
        self.dimension = dimension
        self.label = label
        self.log = getattr(dimension, "prior", None) == "log-uniform"
        self.tick_labels = None
        if isinstance(dimension, Categorical):
            self.kind = "category"
            self.values = list(dimension.categories)
            self.positions = np.arange(len(self.values), dtype=float)
            self.tick_labels = [_shorten(c) for c in dimension.categories]
            self.log = False
            return
        low, high = dimension.low, dimension.high
        spaced = np.geomspace if self.log else np.linspace
        if isinstance(dimension, Integer):
            if high - low < n_points:
                self.kind = "discrete"
                values = np.arange(low, high + 1)
            else:
                self.kind = "continuous"
                values = np.unique(np.round(spaced(low, high, n_points)))
            self.values = values.astype(int).tolist()
            if hyperparameter is not None and hyperparameter.values is not None:
                # the ranks of listed numbers: ticks name the numbers
                self.tick_labels = [_shorten(_label(v)) for v in hyperparameter.values]
        else:
            self.kind = "continuous"
            self.values = spaced(low, high, n_points).tolist()
        self.positions = np.asarray(self.values, dtype=float)

    def position(self, coordinate):
        """Where a point's coordinate goes on the axis."""
        if self.kind == "category":
            return float(self.dimension.categories.index(coordinate))
        return float(coordinate)

    def edges(self):
        """Return the edges of the cells drawn around ``positions``."""
        positions = self.positions
        if self.kind != "continuous":
            return np.append(positions - 0.5, positions[-1] + 0.5)
        left, right = positions[:-1], positions[1:]
        middles = np.sqrt(left * right) if self.log else (left + right) / 2
        return np.concatenate([[positions[0]], middles, [positions[-1]]])

    def limits(self):
        """Return the axis' limits: the range, or half a step past each end."""
        if self.kind == "continuous":
            return self.positions[0], self.positions[-1]
        return self.positions[0] - 0.5, self.positions[-1] + 0.5

    def draw_on(self, ax, which):
        """Set the scale, limits and ticks of ``ax``'s ``which`` ("x" or "y")."""
        from matplotlib.ticker import MaxNLocator

        axis = ax.xaxis if which == "x" else ax.yaxis
        if self.log:
            getattr(ax, f"set_{which}scale")("log")
        getattr(ax, f"set_{which}lim")(*self.limits())
        if self.tick_labels is not None:
            ticks = np.arange(len(self.tick_labels))
            # every other label, and so on, when they would run into each other
            step = max(1, math.ceil(len(ticks) / 8))
            getattr(ax, f"set_{which}ticks")(ticks[::step], self.tick_labels[::step])
        elif self.kind == "discrete":
            axis.set_major_locator(MaxNLocator(integer=True))

    def rotate_tick_labels(self):
        """Whether tick labels along x need turning to fit a panel's width."""
        return self.tick_labels is not None and sum(map(len, self.tick_labels)) > 16


def _plotted_axes(search, subspace, space, plot_dims, dimensions, n_points):
    if plot_dims is None:
        plotted = [
            (index, dimension)
            for index, dimension in enumerate(space.dimensions)
            if not dimension.is_constant
        ]
    else:
        plotted = space[list(plot_dims)]
    if not plotted:
        raise ValueError("no dimension of the sub-space to plot: all are constant")
    hyperparameters = _hyperparameters(search, subspace, space)
    if dimensions is None:
        dimensions = [
            _dimension_label(dimension, hyperparameters[index])
            for index, dimension in plotted
        ]
    elif len(dimensions) != len(plotted):
        raise ValueError(
            f"dimensions has {len(dimensions)} labels for {len(plotted)} "
            "dimensions plotted"
        )
    return [
        _PlotAxis(index, dimension, label, hyperparameters[index], n_points)
        for (index, dimension), label in zip(plotted, dimensions)
    ]


def _point(result, source, n_minimum_search, random_state, argument):
    """Return the point of the space ``source`` names, as scikit-optimize does."""
    from skopt import expected_minimum, expected_minimum_random_sampling

    if not isinstance(source, str):
        point = list(source)
        if len(point) != len(result.space.dimensions):
            raise ValueError(
                f"{argument} has {len(point)} coordinates for a sub-space of "
                f"{len(result.space.dimensions)} dimensions"
            )
        return point
    if source == "result":
        return list(result.x)
    if source == "expected_minimum":
        n_starts = 20 if n_minimum_search is None else n_minimum_search
        return list(expected_minimum(result, n_starts, random_state)[0])
    if source == "expected_minimum_random":
        n_starts = n_minimum_search
        if n_starts is None:
            n_starts = 10 ** len(result.space.dimensions)
        return list(expected_minimum_random_sampling(result, n_starts, random_state)[0])
    raise ValueError(
        f"{argument}={source!r}: expected 'result', 'expected_minimum', "
        "'expected_minimum_random' or a point of the sub-space"
    )


# What the star and the dashed lines mark, by the ``minimum`` that set them.
_BEST_NAMES = {
    "result": "best candidate",
    "expected_minimum": "surrogate's best",
    "expected_minimum_random": "surrogate's best",
}


class _Surrogate:
    """The mean score a surrogate predicts, some dimensions set, over samples."""

    def __init__(self, result, samples):
        self.space = result.space
        self.model = result.models[-1]
        self.samples = np.asarray(self.space.transform(samples), dtype=float)
        sizes = [d.transformed_size for d in self.space.dimensions]
        self.columns = np.cumsum([0, *sizes])

    def _encoded(self, axis):
        dimension = self.space.dimensions[axis.index]
        encoded = np.asarray(dimension.transform(axis.values), dtype=float)
        return encoded.reshape(len(axis.values), -1)

    def _mean_score(self, settings):
        """Return the mean predicted score of each setting, over the samples.

        ``settings`` maps a dimension's index to an array of shape
        (n_settings, its transformed size).
        """
        n_settings = len(next(iter(settings.values())))
        n_samples = len(self.samples)
        points = np.tile(self.samples, (n_settings, 1))
        for index, encoded in settings.items():
            start, stop = self.columns[index], self.columns[index + 1]
            points[:, start:stop] = np.repeat(encoded, n_samples, axis=0)
        predicted = np.asarray(self.model.predict(points), dtype=float)
        # the optimizer minimised minus the score
        return -predicted.reshape(n_settings, n_samples).mean(axis=1)

    def one(self, axis):
        """Return the partial dependence on one axis: shape (n_values,)."""
        return self._mean_score({axis.index: self._encoded(axis)})

    def two(self, x_axis, y_axis):
        """Return the partial dependence on two axes: (n_y_values, n_x_values)."""
        x_encoded, y_encoded = self._encoded(x_axis), self._encoded(y_axis)
        # one row at a time: the points of a whole grid may not fit in memory
        return np.array(
            [
                self._mean_score(
                    {
                        x_axis.index: x_encoded,
                        y_axis.index: np.repeat(row[None], len(x_encoded), axis=0),
                    }
                )
                for row in y_encoded
            ]
        )


def plot_objective(
    search: BayesSearchCV,
    subspace: int = 0,
    *,
    n_points: int = 40,
    n_samples: int = 250,
    levels: int | Sequence[float] = 10,
    dimensions: list[str] | None = None,
    plot_dims: list[str | int] | None = None,
    sample_source: str | list = "random",
    minimum: str | list = "result",
    n_minimum_search: int | None = None,
    show_points: bool = True,
    cmap: str | Colormap = "viridis",
    size: float = 2.4,
    random_state: int | np.random.RandomState | None = 0,
    ax: Axes | None = None,
) -> Axes:
    """Plot the mean test score a Bayesian search's surrogate model predicts.

    The partial dependence of one sub-space of a fitted
    :class:`BayesSearchCV`: the score the search's surrogate model predicts,
    averaged over the other hyperparameters, in a grid of panels. On the
    diagonal, against each hyperparameter, with the candidates evaluated
    marked along the bottom and the best candidate as a dashed line; below
    it, against each pair, as a map coloured by the score (the colour bar),
    with the candidates evaluated (dots) and the best (star). Higher is
    better, as in ``cv_results_``.

    A categorical hyperparameter takes one position per category, labelled
    with the category's ``repr``: its scores are points, and its maps cells,
    never a line or contour from one category to the next. So are integers
    with fewer than ``n_points`` values. Contours are drawn between two
    ranges of numbers only.

    Hyperparameters are shown in the optimizer's coordinates: numbers listed
    (``[0.1, 1, 10]``) by their rank, marked "(rank)" with the numbers as
    tick labels; a scipy distribution other than uniform, log-uniform and
    randint through its quantiles, marked "(quantile)". When the sub-space
    was walked in full as a grid, no surrogate was fitted during the search:
    a Gaussian process is fitted to its candidates for the plot.

    The surrogate is an estimate of the score, and the partial dependence an
    average of it: far from the candidates evaluated, it says more about the
    model's prior than about the score.

    Parameters
    ----------
    search : fitted BayesSearchCV
        The search, with its ``optimizer_results_``.

    subspace : int, default=0
        The index of the sub-space in ``search_spaces`` (0 when it is one
        dict).

    n_points : int, default=40
        Values at which the partial dependence is evaluated along a range of
        numbers (every value of a categorical or short integer one).

    n_samples : int, default=250
        Points of the sub-space, drawn at random, over which the surrogate's
        prediction is averaged (with ``sample_source="random"``).

    levels : int or sequence of float, default=10
        The number of colours of the maps, or the scores where one colour
        gives way to the next. All maps share them, and the colour bar.

    dimensions : list of str, default=None
        The axis labels of the plotted hyperparameters. By default their
        names, marked "(rank)" or "(quantile)" when so shown.

    plot_dims : list of str or int, default=None
        The hyperparameters to plot, by name or index in the sub-space. By
        default every one that is not constant.

    sample_source : {"random", "result", "expected_minimum", \
"expected_minimum_random"} or list, default="random"
        What the other hyperparameters are set to: ``"random"`` averages
        over ``n_samples`` random points (the partial dependence); the
        others set them to one point (a slice through it): the best
        candidate (``"result"``), the surrogate's best found by
        :func:`skopt.expected_minimum` (with no categorical hyperparameter)
        or :func:`skopt.expected_minimum_random_sampling`, or the point
        given, in the optimizer's coordinates (a category by its label, a
        listed number by its rank).

    minimum : {"result", "expected_minimum", "expected_minimum_random"} or \
list, default="result"
        The point marked with the star and the dashed lines: by default the
        best candidate evaluated; else as for ``sample_source``.

    n_minimum_search : int, default=None
        Starting points (``"expected_minimum"``, 20 by default) or random
        points (``"expected_minimum_random"``, ``10 ** n_dimensions`` by
        default) of the search for the surrogate's best.

    show_points : bool, default=True
        Whether to draw the candidates evaluated on the maps.

    cmap : str or matplotlib Colormap, default="viridis"
        The colours of the maps, the lowest score first.

    size : float, default=2.4
        The height of each panel, in inches, of a new figure.

    random_state : int, RandomState instance or None, default=0
        Seeds the random points of ``sample_source="random"`` and the search
        for the surrogate's best, so that the same search gives the same
        plot.

    ax : matplotlib Axes, default=None
        Axes whose place the grid of panels takes; by default those of a new
        figure, in constrained layout. The caller of a figure of its own sees
        to its size and layout (constrained layout keeps every label in).

    Returns
    -------
    ax : matplotlib Axes
        The axes holding the grid, with no frame of their own, and the
        legend: the panels (the lower triangle, row by row), then the colour
        bar (labelled ``"<colorbar>"``), are the axes of ``ax.figure`` that
        follow ``ax``. For a single hyperparameter, its panel itself.

    See Also
    --------
    plot_convergence : The best score found so far against candidates
        evaluated.
    plot_param_scores : The mean test score of every candidate against each
        hyperparameter.
    skopt.plots.plot_objective : The plot of scikit-optimize this one
        follows, of the minimised objective (minus the score).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sklearn_hp import BayesSearchCV, plot_objective
    >>> X, y = load_iris(return_X_y=True)
    >>> search = BayesSearchCV(
    ...     SVC(),
    ...     {"C": (1e-2, 1e2, "log-uniform"), "kernel": ["rbf", "sigmoid"]},
    ...     n_iter=10,
    ...     cv=3,
    ...     scoring="accuracy",
    ...     random_state=0,
    ... ).fit(X, y)
    >>> ax = plot_objective(search, n_points=10, n_samples=50)
    >>> holder, c, kernel_by_c, kernel, colour_bar = ax.figure.axes
    >>> c.get_ylabel(), colour_bar.get_ylabel()
    ('Mean test accuracy', 'Mean test accuracy')
    >>> [label.get_text() for label in kernel.get_xticklabels()]
    ["'rbf'", "'sigmoid'"]
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['candidates evaluated', 'best candidate']
    """
    plt = _import_pyplot()
    from matplotlib.colors import BoundaryNorm
    from matplotlib.gridspec import GridSpecFromSubplotSpec
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.ticker import MaxNLocator

    check_is_fitted(search, "cv_results_")
    if not hasattr(search, "optimizer_results_"):
        raise TypeError(
            "plot_objective plots the surrogate model of a BayesSearchCV; a "
            f"{type(search).__name__} has none (no optimizer_results_)"
        )
    results = search.optimizer_results_
    if not -len(results) <= subspace < len(results):
        raise ValueError(
            f"subspace={subspace} is out of range: the search has "
            f"{len(results)} sub-space(s)"
        )
    result = results[subspace]
    if result is None:
        raise ValueError(
            f"sub-space {subspace} has no optimizer record to plot: it holds "
            "only single values (nothing to search), or the search stopped "
            "before reaching it"
        )
    if "log_time" in result:
        # A per-second acquisition function ("EIps", "PIps"): scikit-optimize
        # parted the objective from the log fit times, but its surrogates
        # predict both.
        result = _with(result, models=[_FirstOutput(m) for m in result.models])
    if not result.models:
        result = _fit_gaussian_process(result)
    space = result.space
    key = _optimised_key(search)
    axes_shown = _plotted_axes(search, subspace, space, plot_dims, dimensions, n_points)
    best = _point(result, minimum, n_minimum_search, random_state, "minimum")
    if isinstance(sample_source, str) and sample_source == "random":
        samples = space.rvs(n_samples=n_samples, random_state=random_state)
    else:
        samples = [
            _point(
                result, sample_source, n_minimum_search, random_state, "sample_source"
            )
        ]
    surrogate = _Surrogate(result, samples)
    score_label = _describe(search, key).capitalize()

    n_shown = len(axes_shown)
    if ax is None:
        if n_shown > 1:
            figsize = (size * n_shown + 1.6, size * n_shown + 0.6)
        else:
            # as wide as the legend above it
            figsize = (max(size + 1.2, 4.4), size + 1.2)
        fig = plt.figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot()
    fig = ax.get_figure()
    panels = np.empty((n_shown, n_shown), dtype=object)
    if n_shown == 1:
        panels[0, 0] = ax
    else:
        ax.set_axis_off()
        # a narrow last column for the colour bar, beside the rows of maps
        grid = GridSpecFromSubplotSpec(
            n_shown,
            n_shown + 1,
            subplot_spec=ax.get_subplotspec(),
            width_ratios=[1] * n_shown + [0.08],
        )
        for row in range(n_shown):
            for column in range(row + 1):
                panels[row, column] = fig.add_subplot(grid[row, column])
    # Shared before anything is drawn: a column shows one hyperparameter, a
    # row of maps another, and the diagonal the score.
    for row in range(n_shown):
        for column in range(row):
            panels[row, column].sharex(panels[column, column])
            if column > 0:
                panels[row, column].sharey(panels[row, 0])
        if row > 0:
            panels[row, row].sharey(panels[0, 0])

    candidates = [
        np.array([axis.position(point[axis.index]) for point in result.x_iters])
        for axis in axes_shown
    ]
    best_at = [axis.position(best[axis.index]) for axis in axes_shown]
    handles = {}
    diagonal_scores = []
    for row, axis in enumerate(axes_shown):
        panel = panels[row, row]
        axis.draw_on(panel, "x")
        scores = surrogate.one(axis)
        diagonal_scores.append(scores)
        if axis.kind == "category":
            panel.plot(axis.positions, scores, "o", color="tab:blue", markersize=7)
        else:
            marker = "o" if axis.kind == "discrete" else None
            panel.plot(axis.positions, scores, marker=marker, color="tab:blue")
        handles["rug"] = panel.plot(
            candidates[row],
            np.zeros(len(candidates[row])),
            "|",
            color="black",
            markersize=8,
            transform=panel.get_xaxis_transform(),
        )[0]
        handles["line"] = panel.axvline(
            best_at[row], linestyle="--", color="red", linewidth=1
        )
        panel.set_xlabel(axis.label)
        panel.set_ylabel(score_label)
        if n_shown > 1:
            # left of a diagonal panel are the maps of its row
            panel.yaxis.tick_right()
            panel.yaxis.set_label_position("right")
            # the column's name at its head; its values below, as on any plot
            panel.xaxis.set_label_position("top")
        if axis.rotate_tick_labels():
            _turn_x_tick_labels(panel)
    low = min(float(np.min(scores)) for scores in diagonal_scores)
    high = max(float(np.max(scores)) for scores in diagonal_scores)
    # room for the markers of the highest and lowest scores
    margin = 0.1 * (high - low) or 0.1 * abs(high) or 0.1
    panels[0, 0].set_ylim(low - margin, high + margin)

    maps = {
        (row, column): surrogate.two(axes_shown[column], axes_shown[row])
        for row in range(n_shown)
        for column in range(row)
    }
    if maps:
        low = min(float(np.min(scores)) for scores in maps.values())
        high = max(float(np.max(scores)) for scores in maps.values())
        if np.ndim(levels) == 0:
            boundaries = MaxNLocator(int(levels) + 1).tick_values(low, high)
        else:
            boundaries = np.asarray(levels, dtype=float)
        colours = plt.get_cmap(cmap)
        norm = BoundaryNorm(boundaries, colours.N)
    for (row, column), scores in maps.items():
        panel = panels[row, column]
        x_axis, y_axis = axes_shown[column], axes_shown[row]
        if column == 0:
            y_axis.draw_on(panel, "y")
            panel.set_ylabel(y_axis.label)
        else:
            panel.tick_params(axis="y", labelleft=False)
        if x_axis.kind == "continuous" and y_axis.kind == "continuous":
            panel.contourf(
                x_axis.positions,
                y_axis.positions,
                scores,
                levels=boundaries,
                cmap=colours,
                norm=norm,
            )
        else:
            # one cell per category: a contour would blend neighbours
            panel.pcolormesh(
                x_axis.edges(),
                y_axis.edges(),
                scores,
                shading="flat",
                cmap=colours,
                norm=norm,
            )
        if show_points:
            handles["points"] = panel.scatter(
                candidates[column],
                candidates[row],
                s=14,
                c="white",
                edgecolors="black",
                linewidths=0.8,
                zorder=2,
            )
        handles["star"] = panel.scatter(
            best_at[column],
            best_at[row],
            s=160,
            marker="*",
            c="red",
            edgecolors="black",
            zorder=3,
        )
        if row < n_shown - 1:
            panel.tick_params(axis="x", labelbottom=False)
        else:
            panel.set_xlabel(x_axis.label)
            if x_axis.rotate_tick_labels():
                _turn_x_tick_labels(panel)
    if maps:
        from matplotlib.cm import ScalarMappable

        fig.colorbar(
            ScalarMappable(norm=norm, cmap=colours),
            # named as matplotlib names the colour bars it places
            cax=fig.add_subplot(grid[1:, n_shown], label="<colorbar>"),
            label=score_label,
        )

    candidates_handle = handles["rug"]
    if "points" in handles:
        candidates_handle = (handles["points"], handles["rug"])
    best_handle = handles["line"]
    if "star" in handles:
        best_handle = (handles["star"], handles["line"])
    best_name = _BEST_NAMES[minimum] if isinstance(minimum, str) else "point given"
    legend = {
        "handles": [candidates_handle, best_handle],
        "labels": ["candidates evaluated", best_name],
        "handler_map": {tuple: HandlerTuple(ndivide=None)},
    }
    if n_shown > 1:
        # above the colour bar, where no panel is
        ax.legend(loc="upper right", **legend)
    else:
        # above the panel, where it hides no score
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, **legend)
    return ax


def plot_importances(
    search: BaseSearchCV,
    *,
    metric: str | None = None,
    n_pairs: int = 1,
    method: str = "gp",
    random_state: int | None = 0,
) -> np.ndarray:
    """Plot which hyperparameters mattered, and how the top pairs interact.

    The first panel draws :func:`~sklearn_hp.hyperparameter_importances`:
    one bar per tuned hyperparameter (and sub-space), its share of the
    variance of the score, with its interval. Each
    next panel draws, for one of the ``n_pairs`` pairs whose joint effect is
    largest, the model's joint marginal of the two as a heat map: the mean
    score for each pair of values, averaged over the other hyperparameters,
    with the candidates tried as dots and the best as a star.

    Parameters
    ----------
    search : fitted BaseSearchCV
        Any fitted search with scikit-learn's ``cv_results_``.
    metric : str, default=None
        The metric of a multi-metric search to explain; by default the one
        ``refit`` names.
    n_pairs : int, default=1
        Pairs drawn as heat maps, the strongest interactions first (fewer
        when fewer hyperparameters were tuned).
    method : {"gp", "forest"}, default="gp"
        The model of the scores, as in ``hyperparameter_importances``.
    random_state : int or None, default=0
        Seeds the model, as in ``hyperparameter_importances``.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (1 + pairs drawn,)
        The bar chart, then one heat map per pair.

    See Also
    --------
    sklearn_hp.hyperparameter_importances : The importances as a table.
    plot_param_scores : Every candidate's score against each hyperparameter.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.svm import SVC
    >>> from sklearn_hp import plot_importances
    >>> X, y = load_iris(return_X_y=True)
    >>> grid = {"C": [0.01, 0.1, 1, 10], "gamma": [0.01, 0.1, 1, 10]}
    >>> search = GridSearchCV(SVC(), grid, cv=3).fit(X, y)
    >>> axes = plot_importances(search)
    >>> [label.get_text() for label in axes[0].get_yticklabels()]
    ['gamma', 'C']
    >>> axes[1].get_xlabel(), axes[1].get_ylabel(), axes[1].get_xscale()
    ('C', 'gamma', 'log')
    """
    from .inspection._importance import analyse

    if not (isinstance(n_pairs, numbers.Integral) and n_pairs >= 0):
        raise ValueError(f"n_pairs must be an integer >= 0, got {n_pairs!r}")
    plt = _import_pyplot()
    analysis = analyse(search, metric=metric, method=method, random_state=random_state)
    table = analysis.table
    if table.empty:
        raise ValueError(
            "no hyperparameter of the search varied over enough scored "
            "candidates to tell what mattered"
        )
    pairs = analysis.table.attrs["pairs"]
    pairs = pairs.sort_values("importance", ascending=False, kind="stable")
    pairs = pairs.iloc[:n_pairs]
    several = table["subspace"].nunique() > 1
    _, axes = plt.subplots(
        1,
        1 + len(pairs),
        figsize=(5.0 + 4.4 * len(pairs), max(2.5, 0.45 * len(table) + 1.5)),
        squeeze=False,
        layout="constrained",
    )
    axes = axes[0]
    _importance_bars(axes[0], table, several)
    key = table.attrs["metric"]
    for ax, pair in zip(axes[1:], pairs.itertuples()):
        _interaction_map(ax, analysis, pair, _describe(search, key), several)
    return axes


def _importance_bars(ax, table, several):
    """Draw the importances as horizontal bars, the largest at the top."""
    shown = table.iloc[::-1]
    labels = [
        _shorten(name) + (f" [sub-space {sub}]" if several else "")
        for name, sub in zip(shown["hyperparameter"], shown["subspace"])
    ]
    positions = np.arange(len(shown))
    importance = shown["importance"].to_numpy(dtype=float)
    errors = np.vstack(
        [
            importance - shown["importance_low"].to_numpy(dtype=float),
            shown["importance_high"].to_numpy(dtype=float) - importance,
        ]
    ).clip(min=0)
    ax.barh(positions, importance, xerr=errors, color="tab:blue", capsize=3)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of the score's variance explained")
    ax.set_title("Hyperparameter importance")


def _interaction_map(ax, analysis, pair, score_label, several):
    """Draw the model's joint marginal of a pair, and the candidates tried."""
    anova = analysis.anovas[pair.subspace]
    names = [e.name for e in anova.encodings]
    first, second = names.index(pair.first), names.index(pair.second)
    grid_x, grid_y, heights = anova.pair_marginal(first, second)
    encodings = anova.encodings[first], anova.encodings[second]
    mesh = ax.pcolormesh(
        _axis_values(encodings[0], grid_x),
        _axis_values(encodings[1], grid_y),
        heights.T,
        shading="nearest",
        cmap="viridis",
    )
    fig = ax.get_figure()
    fig.colorbar(mesh, ax=ax, label=score_label.capitalize())
    rows = analysis.rows[pair.subspace]
    params = [analysis.params[i] for i in rows]
    points = [_axis_values(e, e.encode([p[e.name] for p in params])) for e in encodings]
    ax.scatter(*points, s=12, c="white", edgecolors="black", label="candidates")
    best = int(np.argmax(analysis.scores[rows]))
    ax.scatter(
        points[0][best],
        points[1][best],
        s=160,
        marker="*",
        c="red",
        edgecolors="black",
        label="best",
    )
    for axis, encoding in (("x", encodings[0]), ("y", encodings[1])):
        if encoding.categories is not None:
            labels = [_shorten(repr(c)) for c in encoding.categories]
            ticks = 0.5 + np.arange(len(labels))
            if axis == "x":
                ax.set_xticks(ticks, labels)
            else:
                ax.set_yticks(ticks, labels)
        elif encoding.log:
            (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    ax.set_xlabel(pair.first)
    ax.set_ylabel(pair.second)
    title = f"Interaction: {pair.importance:.0%} of the variance"
    if several:
        title += f" [sub-space {pair.subspace}]"
    ax.set_title(title)
    # below the map, where it hides no candidate
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=2,
        fontsize="small",
        frameon=False,
    )


def _axis_values(encoding, encoded):
    """Where encoded points go on a plot's axis: in the value's own units."""
    encoded = np.asarray(encoded, dtype=float)
    if encoding.categories is not None:
        return encoded
    return 10.0**encoded if encoding.log else encoded


def _shorten(label):
    label = str(label)
    if len(label) <= _MAX_LABEL_LENGTH:
        return label
    return label[: _MAX_LABEL_LENGTH - 1] + "…"
