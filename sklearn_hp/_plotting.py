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
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .model_selection._space import _label, _value_key
from .utils._results import score_key

if TYPE_CHECKING:
    from matplotlib.axes import Axes

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


def _describe(key):
    """``mean_test_<metric>`` as an axis label: ``mean test <metric>``."""
    return f"mean test {key[len('mean_test_') :]}"


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
        _, ax = plt.subplots()
    for search, key, label in zip(searches, keys, labels):
        best_so_far = np.fmax.accumulate(_mean_scores(search, key))
        n_candidates = np.arange(1, len(best_so_far) + 1)
        ax.plot(n_candidates, best_so_far, drawstyle="steps-post", label=label)
    ylabel = _describe(keys[0]) if len(set(keys)) == 1 else "mean test score"
    ax.set_xlabel("Candidates evaluated")
    ax.set_ylabel(f"Best {ylabel} so far")
    ax.legend()
    return ax


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _category_positions(values):
    """Position of each value among the distinct values, and their labels."""
    positions, keys, labels, seen = [], {}, [], Counter()
    for value in values:
        key = _value_key(value)
        if key not in keys:
            keys[key] = len(keys)
            # Distinct values may share a label: estimators cut to the same repr.
            label = _label(value, max_length=_MAX_LABEL_LENGTH)
            seen[label] += 1
            labels.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
        positions.append(keys[key])
    return np.asarray(positions, dtype=float), labels


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
    their ``repr``. Candidates of a sub-space without the hyperparameter,
    and failed candidates (NaN scores), are left out of its panel.

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
            x, labels = _category_positions(values)
            ax.scatter(x, y)
            ax.set_xticks(range(len(labels)), labels)
            ax.set_xlim(-0.5, len(labels) - 0.5)
            if sum(len(label) for label in labels) > 30:
                ax.tick_params(axis="x", labelrotation=45)
        ax.set_xlabel(name)
    for ax in grid[:, 0]:
        ax.set_ylabel(_describe(key).capitalize())
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


def _default_dimension_labels(search, subspace, space):
    """Name each dimension; say when it is a rank or a quantile, not a value."""
    try:
        hyperparameters = search._parsed_search_spaces()[1][subspace].hyperparameters
    except (AttributeError, IndexError, TypeError, ValueError):
        hyperparameters = []
    names = [dimension.name for dimension in space.dimensions]
    if [h.name for h in hyperparameters] != names:
        # search_spaces was changed after fit: the names alone are sure.
        return names
    labels = []
    for hyperparameter in hyperparameters:
        label = hyperparameter.name
        if hyperparameter.distribution is not None:
            label += " (quantile)"
        elif hyperparameter.values is not None and not hasattr(
            hyperparameter.dimension, "categories"
        ):
            label += " (rank)"
        labels.append(label)
    return labels


def plot_objective(search: BayesSearchCV, subspace: int = 0, **kwargs: Any) -> Axes:
    """Plot the partial dependence of a Bayesian search's surrogate model.

    Draws scikit-optimize's :func:`skopt.plots.plot_objective` for one
    sub-space of a fitted :class:`BayesSearchCV`: on the diagonal, how the
    surrogate's prediction depends on each hyperparameter, the others
    averaged out; below it, on each pair, with the candidates evaluated
    (black dots) and the best one (red star).

    The surrogate models what the optimizer minimised: **minus the mean
    test score**, so that lower is better in these plots. Hyperparameters
    are shown in the optimizer's coordinates: a listed value is its label
    (the ``repr`` of a category) or, for numbers, its rank among the listed
    values; a scipy distribution other than uniform, log-uniform and
    randint is shown through its quantiles. When the sub-space was walked in
    full as a grid, no surrogate was fitted during the search: a Gaussian
    process is fitted to its candidates for the plot.

    Parameters
    ----------
    search : fitted BayesSearchCV
        The search, with its ``optimizer_results_``.

    subspace : int, default=0
        The index of the sub-space in ``search_spaces`` (0 when it is one
        dict).

    **kwargs : dict
        Passed to :func:`skopt.plots.plot_objective`: ``n_points``,
        ``n_samples``, ``levels``, ``dimensions`` (labels; by default the
        hyperparameters' names, marked "(rank)" or "(quantile)" when so
        shown), ``plot_dims``, ``sample_source``, ``minimum``, ``cmap``,
        ``ax``... ``zscale="log"`` needs positive values, which minus a
        positive score is not.

    Returns
    -------
    ax : matplotlib Axes
        What scikit-optimize returns: the axes holding the grid of panels,
        which are the other axes of ``ax.figure``.

    See Also
    --------
    skopt.plots.plot_objective : The plot drawn.
    plot_convergence : The best score found so far against candidates
        evaluated.
    plot_param_scores : The mean test score of every candidate against each
        hyperparameter.

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
    ...     {"C": (1e-2, 1e2, "log-uniform"), "gamma": (1e-3, 1e1, "log-uniform")},
    ...     n_iter=10,
    ...     cv=3,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> ax = plot_objective(search, n_points=10, n_samples=50)
    >>> len(ax.figure.axes)  # the holder and its 2 x 2 panels
    5
    """
    _import_pyplot()
    from skopt.plots import plot_objective as skopt_plot_objective

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
        # predict both, and its plot would average them.
        result = _with(result, models=[_FirstOutput(m) for m in result.models])
    if not result.models:
        result = _fit_gaussian_process(result)
    if "dimensions" not in kwargs:
        labels = _default_dimension_labels(search, subspace, result.space)
        plotted = kwargs.get("plot_dims")
        if plotted is None:
            plotted = [
                index
                for index, dimension in enumerate(result.space.dimensions)
                if not dimension.is_constant
            ]
        else:
            plotted = [index for index, _ in result.space[plotted]]
        kwargs["dimensions"] = [labels[index] for index in plotted]
    ax = kwargs.get("ax")
    existing = set(ax.figure.axes) if ax is not None else set()
    ax = skopt_plot_objective(result, **kwargs)
    for panel in ax.figure.axes:
        # scikit-optimize names the diagonal's values "Partial dependence"
        # without saying of what: here, of the objective it minimised.
        if panel not in existing and panel.get_ylabel() == "Partial dependence":
            panel.set_ylabel("Minus the score")
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
        _interaction_map(ax, analysis, pair, _describe(key), several)
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
