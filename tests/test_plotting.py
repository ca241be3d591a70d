import copy
import sys

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from skopt.space import Categorical

from sklearn_hp import BayesSearchCV
from sklearn_hp._plotting import (
    plot_convergence,
    plot_importances,
    plot_objective,
    plot_param_scores,
)

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.text import Text
except ImportError:
    plt = None

needs_matplotlib = pytest.mark.skipif(plt is None, reason="needs matplotlib")

X, Y = load_iris(return_X_y=True)
TREE = DecisionTreeClassifier(random_state=0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    if plt is not None:
        plt.close("all")


@pytest.fixture(scope="module")
def bayes():
    """A Bayesian search over a 2-d continuous space."""
    return BayesSearchCV(
        SVC(),
        {"C": (1e-2, 1e2, "log-uniform"), "gamma": (1e-3, 1e1, "log-uniform")},
        n_iter=10,
        cv=3,
        random_state=0,
    ).fit(X, Y)


@pytest.fixture(scope="module")
def svc_search():
    """A Bayesian search of accuracy over two ranges and two kernels."""
    return BayesSearchCV(
        SVC(),
        {
            "C": (1e-2, 1e2, "log-uniform"),
            "gamma": (1e-3, 1e1, "log-uniform"),
            "kernel": ["rbf", "sigmoid"],
        },
        n_iter=8,
        cv=2,
        scoring="accuracy",
        random_state=0,
    ).fit(X, Y)


@pytest.fixture(scope="module")
def grid():
    return GridSearchCV(
        SVC(),
        {"C": [0.01, 1.0, 100.0], "kernel": ["linear", "rbf"], "shrinking": [True]},
        cv=3,
    ).fit(X, Y)


@pytest.fixture(scope="module")
def randomized():
    return RandomizedSearchCV(
        TREE, {"max_depth": range(1, 8)}, n_iter=5, cv=3, random_state=0
    ).fit(X, Y)


def _scores(search, key="mean_test_score"):
    return np.asarray(search.cv_results_[key], dtype=float)


def _legend(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


# -- plot_convergence ---------------------------------------------------------


@needs_matplotlib
def test_convergence_draws_the_running_best_of_each_search(bayes, grid, randomized):
    ax = plot_convergence(bayes, randomized, grid)
    lines = ax.get_lines()
    assert len(lines) == 3
    assert _legend(ax) == ["BayesSearchCV", "RandomizedSearchCV", "GridSearchCV"]
    for line, search in zip(lines, (bayes, randomized, grid)):
        scores = _scores(search)
        x, y = line.get_xdata(), line.get_ydata()
        np.testing.assert_array_equal(x, np.arange(1, len(scores) + 1))
        np.testing.assert_array_equal(y, np.maximum.accumulate(scores))
        assert np.all(np.diff(y) >= 0)
        assert y[-1] == search.best_score_
    assert ax.get_xlabel() == "Candidates evaluated"
    assert ax.get_ylabel() == "Best mean test score so far"


@needs_matplotlib
def test_convergence_labels(bayes, grid):
    ax = plot_convergence(bayes, grid, bayes)
    assert _legend(ax) == ["BayesSearchCV", "GridSearchCV", "BayesSearchCV #2"]
    ax = plot_convergence(bayes, grid, labels=["bayes", "grid"])
    assert _legend(ax) == ["bayes", "grid"]
    with pytest.raises(ValueError, match="labels has 1 entries for 2 searches"):
        plot_convergence(bayes, grid, labels=["bayes"])


@needs_matplotlib
def test_convergence_draws_on_the_given_axes(bayes):
    _, ax = plt.subplots()
    assert plot_convergence(bayes, ax=ax) is ax
    assert len(ax.get_lines()) == 1


@needs_matplotlib
def test_convergence_failed_candidates_do_not_break_the_running_best(grid):
    failing = copy.deepcopy(grid)
    scores = np.array([np.nan, 0.5, np.nan, 0.7, 0.6, np.nan])
    failing.cv_results_["mean_test_score"] = scores
    (line,) = plot_convergence(failing).get_lines()
    np.testing.assert_array_equal(line.get_ydata(), [np.nan, 0.5, 0.5, 0.7, 0.7, 0.7])


@needs_matplotlib
def test_convergence_with_several_metrics():
    scoring = ["accuracy", "f1_macro"]
    search = GridSearchCV(
        TREE, {"max_depth": [1, 2, 3]}, scoring=scoring, refit="f1_macro", cv=3
    ).fit(X, Y)
    (line,) = plot_convergence(search).get_lines()
    expected = np.maximum.accumulate(_scores(search, "mean_test_f1_macro"))
    np.testing.assert_array_equal(line.get_ydata(), expected)
    ax = plot_convergence(search, metric="accuracy")
    expected = np.maximum.accumulate(_scores(search, "mean_test_accuracy"))
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), expected)
    assert ax.get_ylabel() == "Best mean test accuracy so far"

    search.set_params(refit=False).fit(X, Y)
    with pytest.raises(ValueError, match=r"choose the metric to plot with metric="):
        plot_convergence(search)
    with pytest.raises(ValueError, match=r"'recall' is not a scored metric"):
        plot_convergence(search, metric="recall")


@needs_matplotlib
def test_convergence_every_text_inside_the_figure(svc_search, grid):
    ax = plot_convergence(svc_search, grid)
    assert ax.get_ylabel() == "Best mean test score so far"  # two scorings
    assert plot_convergence(svc_search).get_ylabel() == (
        "Best mean test accuracy so far"
    )
    assert _outside(ax.figure) == []
    assert all(float(tick).is_integer() for tick in ax.get_xticks())


@needs_matplotlib
def test_convergence_needs_fitted_searches():
    with pytest.raises(ValueError, match="at least one fitted search"):
        plot_convergence()
    with pytest.raises(NotFittedError):
        plot_convergence(GridSearchCV(TREE, {"max_depth": [1, 2]}))


# -- plot_param_scores --------------------------------------------------------


def _offsets(ax):
    (collection,) = ax.collections
    return np.asarray(collection.get_offsets())


def _tick_labels(ax):
    return [label.get_text() for label in ax.get_xticklabels()]


@needs_matplotlib
def test_param_scores_one_panel_per_searched_hyperparameter(grid):
    # shrinking took a single value: not a searched hyperparameter.
    axes = plot_param_scores(grid)
    assert axes.shape == (2,)
    assert [ax.get_xlabel() for ax in axes] == ["C", "kernel"]
    assert axes[0].get_ylabel() == "Mean test score"
    scores = _scores(grid)

    c_values = np.asarray(grid.cv_results_["param_C"], dtype=float)
    np.testing.assert_array_equal(
        _offsets(axes[0]), np.column_stack([c_values, scores])
    )
    assert axes[0].get_xscale() == "log"

    kernels = list(grid.cv_results_["param_kernel"])
    positions = [["linear", "rbf"].index(kernel) for kernel in kernels]
    np.testing.assert_array_equal(
        _offsets(axes[1]), np.column_stack([positions, scores])
    )
    assert _tick_labels(axes[1]) == ["'linear'", "'rbf'"]
    assert axes[1].get_xscale() == "linear"


@needs_matplotlib
def test_param_scores_linear_scale_within_two_decades(randomized):
    (ax,) = plot_param_scores(randomized)
    assert ax.get_xscale() == "linear"
    depths = np.asarray(randomized.cv_results_["param_max_depth"], dtype=float)
    np.testing.assert_array_equal(
        _offsets(ax), np.column_stack([depths, _scores(randomized)])
    )


@needs_matplotlib
def test_param_scores_categories_of_any_kind():
    search = GridSearchCV(
        Pipeline([("scale", StandardScaler()), ("tree", TREE)]),
        {
            "scale": [StandardScaler(), MinMaxScaler(), "passthrough"],
            "tree__max_depth": [None, 2],
            "tree__class_weight": [None, "balanced"],
        },
        cv=3,
    ).fit(X, Y)
    axes = plot_param_scores(search)
    labels = {ax.get_xlabel(): _tick_labels(ax) for ax in axes}
    assert labels == {
        "scale": ["StandardScaler()", "MinMaxScaler()", "'passthrough'"],
        "tree__class_weight": ["None", "'balanced'"],
        "tree__max_depth": ["None", "2"],
    }
    scale_panel = axes[[ax.get_xlabel() for ax in axes].index("scale")]
    assert np.all(np.isin(_offsets(scale_panel)[:, 0], [0, 1, 2]))


@needs_matplotlib
def test_param_scores_skip_masked_values_and_failed_candidates():
    search = GridSearchCV(
        SVC(),
        [
            {"kernel": ["linear"], "C": [1.0, 10.0]},
            {"kernel": ["rbf"], "C": [1.0, 10.0], "gamma": [0.1, 1.0]},
        ],
        cv=3,
    ).fit(X, Y)
    search.cv_results_["mean_test_score"][-1] = np.nan
    axes = plot_param_scores(search, params=["gamma", "C"])
    assert [ax.get_xlabel() for ax in axes] == ["gamma", "C"]
    scores = _scores(search)
    # gamma: the four rbf candidates, less the failed one.
    np.testing.assert_array_equal(
        _offsets(axes[0]), np.column_stack([[0.1, 1.0, 0.1], scores[2:5]])
    )
    c_values = np.asarray(search.cv_results_["param_C"], dtype=float)
    np.testing.assert_array_equal(
        _offsets(axes[1]), np.column_stack([c_values[:5], scores[:5]])
    )


@needs_matplotlib
def test_param_scores_grid_of_panels_beyond_four():
    space = {
        "max_depth": [1, 3],
        "min_samples_leaf": [1, 5],
        "min_samples_split": [2, 10],
        "criterion": ["gini", "entropy"],
        "splitter": ["best", "random"],
    }
    search = GridSearchCV(TREE, space, cv=3).fit(X, Y)
    axes = plot_param_scores(search)
    assert axes.shape == (5,)
    assert len(axes[0].figure.axes) == 5
    rows = {ax.get_subplotspec().rowspan.start for ax in axes}
    columns = {ax.get_subplotspec().colspan.start for ax in axes}
    assert rows == {0, 1}
    assert columns == {0, 1, 2}


@needs_matplotlib
def test_param_scores_read_as_they_are(svc_search):
    axes = plot_param_scores(svc_search)
    assert axes[0].get_ylabel() == "Mean test accuracy"
    kernel = axes[2]
    # in the space's order, whichever the search met first
    assert _tick_labels(kernel) == ["'rbf'", "'sigmoid'"]
    assert set(_offsets(kernel)[:, 0]) <= {0.0, 1.0}
    assert not kernel.get_lines()  # points, no line between categories
    assert np.all((_offsets(axes[0])[:, 1] > 0) & (_offsets(axes[0])[:, 1] <= 1))
    assert _outside(axes[0].figure) == []


@needs_matplotlib
@pytest.mark.parametrize("seed", range(3))
def test_param_scores_categories_in_the_order_the_space_lists_them(seed):
    search = BayesSearchCV(
        SVC(),
        [
            (
                {
                    "kernel": Categorical(["sigmoid", "linear", "rbf"]),
                    "C": (0.1, 10.0, "log-uniform"),
                },
                6,
            ),
            {"kernel": ["poly"], "degree": [2, 3]},
        ],
        n_iter=8,
        cv=2,
        random_state=seed,
    ).fit(X, Y)
    met = search.cv_results_["param_kernel"]
    assert len(set(met)) == 4
    kernel = plot_param_scores(search, params=["kernel"])[0]
    assert _tick_labels(kernel) == ["'sigmoid'", "'linear'", "'rbf'", "'poly'"]
    declared = ["sigmoid", "linear", "rbf", "poly"]
    assert list(_offsets(kernel)[:, 0]) == [declared.index(value) for value in met]
    # a grid search's in its grid's order
    grid = GridSearchCV(SVC(), {"kernel": ["rbf", "linear"], "C": [1, 2]}, cv=2)
    grid.fit(X, Y)
    assert _tick_labels(plot_param_scores(grid, params=["kernel"])[0]) == [
        "'rbf'",
        "'linear'",
    ]


@needs_matplotlib
def test_param_scores_long_category_names_inside_the_figure():
    search = GridSearchCV(
        Pipeline([("scale", StandardScaler()), ("tree", TREE)]),
        {
            "scale": [
                StandardScaler(with_mean=False),
                MinMaxScaler(feature_range=(0, 2)),
                "passthrough",
            ],
            "tree__max_depth": [1, 2],
        },
        cv=2,
    ).fit(X, Y)
    axes = plot_param_scores(search)
    assert _outside(axes[0].figure) == []
    texts = [text.get_text() for text in _texts(axes[0].figure)]
    assert "'passthrough'" in texts
    assert "MinMaxScaler(feature_r..." in texts


@needs_matplotlib
def test_param_scores_errors(grid):
    with pytest.raises(ValueError, match=r"\['degree'\] not in the search"):
        plot_param_scores(grid, params=["C", "degree"])
    single = GridSearchCV(TREE, {"max_depth": [2]}, cv=3).fit(X, Y)
    with pytest.raises(ValueError, match="took a single value"):
        plot_param_scores(single)
    (ax,) = plot_param_scores(single, params=["max_depth"])
    assert _offsets(ax).shape == (1, 2)


# -- plot_objective -----------------------------------------------------------


def _panels(ax):
    """The panels of plot_objective's grid, row by row, by their labels."""
    if not ax.axison:
        # the holder of a grid: the panels follow it, then the colour bar
        return [
            panel for panel in ax.figure.axes[1:] if panel.get_label() != "<colorbar>"
        ]
    return [ax]


def _diagonal(ax):
    return [panel for panel in _panels(ax) if panel.get_lines()]


def _maps(ax):
    return [panel for panel in _panels(ax) if not panel.get_lines()]


def _colour_bar(ax):
    (colour_bar,) = [a for a in ax.figure.axes if a.get_label() == "<colorbar>"]
    return colour_bar


def _x_ticks(panel):
    return [label.get_text() for label in panel.get_xticklabels()]


def _y_ticks(panel):
    return [label.get_text() for label in panel.get_yticklabels()]


def _texts(fig):
    """Every text a reader sees: no empty one, no tick label off its axis."""
    fig.canvas.draw()
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not (ax.axison and axis.get_visible()):
                hidden.update(id(text) for text in axis.findobj(Text))
                continue
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                loc = tick.get_loc()
                if not (tick.get_visible() and loc is not None and low <= loc <= high):
                    hidden.update((id(tick.label1), id(tick.label2)))
    return [
        text
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text() and id(text) not in hidden
    ]


def _outside(fig):
    """The texts drawn, at least in part, outside the figure."""
    renderer = fig.canvas.get_renderer()
    # a pixel of rounding
    frame = fig.bbox.padded(1)
    return [
        text.get_text()
        for text in _texts(fig)
        if not frame.contains(*text.get_window_extent(renderer).min)
        or not frame.contains(*text.get_window_extent(renderer).max)
    ]


@needs_matplotlib
def test_objective_shows_the_score_named_by_the_scoring(svc_search):
    ax = plot_objective(svc_search, n_points=8, n_samples=30)
    diagonal = _diagonal(ax)
    assert [panel.get_xlabel() for panel in diagonal] == ["C", "gamma", "kernel"]
    assert [panel.get_ylabel() for panel in diagonal] == ["Mean test accuracy"] * 3
    assert _colour_bar(ax).get_ylabel() == "Mean test accuracy"
    words = " ".join(text.get_text() for text in _texts(ax.figure)).lower()
    assert "minus" not in words
    assert "partial dependence" not in words
    # accuracies, not their negatives: the curves, and the maps' colours
    for panel in diagonal:
        scores = panel.get_lines()[0].get_ydata()
        assert np.all((scores > 0) & (scores <= 1))
    for panel in _maps(ax):
        values = panel.collections[0].get_array()  # a mesh's cells, a contour's
        assert np.all((values > 0) & (values <= 1))
    low, high = _colour_bar(ax).get_ylim()
    assert 0 <= low < high <= 1.1


@needs_matplotlib
def test_objective_values_are_the_surrogate_s_prediction_of_the_score(svc_search):
    result = svc_search.optimizer_results_[0]
    ax = plot_objective(svc_search, n_points=8, sample_source="result")
    c_panel = _diagonal(ax)[0]
    curve = c_panel.get_lines()[0]
    points = [[c, *result.x[1:]] for c in curve.get_xdata()]
    predicted = result.models[-1].predict(result.space.transform(points))
    np.testing.assert_allclose(curve.get_ydata(), -predicted)
    # the best candidate scored best: its score is the search's best score
    assert -result.fun == pytest.approx(svc_search.best_score_)


@needs_matplotlib
def test_objective_draws_categories_apart_with_their_names(svc_search):
    ax = plot_objective(svc_search, n_points=8, n_samples=30)
    kernel = _diagonal(ax)[2]
    assert _x_ticks(kernel) == ["'rbf'", "'sigmoid'"]
    # points at the categories' positions, no line from one to the next
    scores = kernel.get_lines()[0]
    np.testing.assert_array_equal(scores.get_xdata(), [0, 1])
    assert scores.get_marker() == "o"
    for line in kernel.get_lines():
        assert len(line.get_xdata()) <= 2 or line.get_linestyle() == "None"
    # on the maps of the kernel's row: cells, one row per kernel, no contour
    kernel_row = [panel for panel in _maps(ax) if panel.get_ylabel() == "kernel"]
    assert len(kernel_row) == 1  # the other map of the row shares its y axis
    c_by_kernel, gamma_by_kernel = _panels(ax)[3:5]
    assert _y_ticks(c_by_kernel) == ["'rbf'", "'sigmoid'"]
    kinds = {n: _map_kinds(p) for n, p in (("C", c_by_kernel), ("g", gamma_by_kernel))}
    assert kinds == {"C": {"QuadMesh"}, "g": {"QuadMesh"}}
    mesh = c_by_kernel.collections[0]
    assert mesh.get_array().shape == (2, 8)  # 2 kernels by 8 values of C
    points = c_by_kernel.collections[1].get_offsets()
    kernels = [point[2] for point in svc_search.optimizer_results_[0].x_iters]
    np.testing.assert_array_equal(
        points[:, 1], [["'rbf'", "'sigmoid'"].index(k) for k in kernels]
    )
    # between two ranges of numbers, a contour
    (gamma_by_c,) = [p for p in _maps(ax) if p.get_ylabel() == "gamma"]
    assert _map_kinds(gamma_by_c) == {"QuadContourSet"}


def _map_kinds(panel):
    return {type(c).__name__ for c in panel.collections} - {"PathCollection"}


@needs_matplotlib
def test_objective_legend_colour_bar_and_candidates(svc_search):
    ax = plot_objective(svc_search, n_points=8, n_samples=30)
    assert _legend(ax) == ["candidates evaluated", "best candidate"]
    result = svc_search.optimizer_results_[0]
    (gamma_by_c,) = [p for p in _maps(ax) if p.get_ylabel() == "gamma"]
    points, best = gamma_by_c.collections[-2:]
    np.testing.assert_allclose(
        points.get_offsets(), [point[:2] for point in result.x_iters]
    )
    np.testing.assert_allclose(best.get_offsets(), [result.x[:2]])
    assert best.get_paths()[0] is not points.get_paths()[0]  # a star, not a dot
    for panel in _diagonal(ax):
        (best_line,) = [
            line for line in panel.get_lines() if line.get_linestyle() == "--"
        ]
        assert best_line.get_color() == "red"


@needs_matplotlib
@pytest.mark.parametrize("n_dimensions", [1, 3])
def test_objective_every_text_inside_the_figure(svc_search, n_dimensions):
    plot_dims = ["C", "gamma", "kernel"][:n_dimensions]
    ax = plot_objective(svc_search, n_points=8, n_samples=30, plot_dims=plot_dims)
    assert _outside(ax.figure) == []
    # what the test reads: tick labels, axis labels, the legend
    texts = [text.get_text() for text in _texts(ax.figure)]
    assert "candidates evaluated" in texts
    assert "Mean test accuracy" in texts
    assert "'sigmoid'" in texts or n_dimensions == 1


@needs_matplotlib
def test_objective_of_a_single_hyperparameter_is_one_panel(svc_search):
    ax = plot_objective(svc_search, n_points=8, n_samples=30, plot_dims=["gamma"])
    assert ax.figure.axes == [ax]
    assert ax.get_xlabel() == "gamma"
    assert ax.get_xscale() == "log"
    assert ax.get_ylabel() == "Mean test accuracy"
    assert _legend(ax) == ["candidates evaluated", "best candidate"]


@needs_matplotlib
def test_objective_of_a_continuous_space(bayes):
    ax = plot_objective(bayes, n_points=8, n_samples=30)
    panels = _panels(ax)
    # A 2 x 2 grid less its upper corner: two curves and one map.
    assert len(panels) == 3
    diagonal = _diagonal(ax)
    assert [panel.get_xlabel() for panel in diagonal] == ["C", "gamma"]
    # scoring=None: the estimator's own score, named as cv_results_ names it
    assert all(panel.get_ylabel() == "Mean test score" for panel in diagonal)
    for panel in diagonal:
        assert panel.get_xscale() == "log"
        curve = panel.get_lines()[0]
        assert len(curve.get_xdata()) == 8
        assert np.all(np.isfinite(curve.get_ydata()))
    (contour,) = _maps(ax)
    assert (contour.get_xscale(), contour.get_yscale()) == ("log", "log")
    result = bayes.optimizer_results_[0]
    points, best = contour.collections[-2:]
    np.testing.assert_allclose(points.get_offsets(), result.x_iters)
    np.testing.assert_allclose(best.get_offsets(), [result.x])


@needs_matplotlib
def test_objective_of_a_space_walked_as_a_grid():
    search = BayesSearchCV(
        SVC(), {"C": [0.1, 1, 10, 100], "kernel": ["linear", "rbf"]}, cv=2
    ).fit(X, Y)
    result = search.optimizer_results_[0]
    assert result.models == []
    transforms = [d.transform_ for d in result.space.dimensions]
    ax = plot_objective(search, n_points=8, n_samples=30)
    c_panel, kernel = _diagonal(ax)
    assert [c_panel.get_xlabel(), kernel.get_xlabel()] == ["C (rank)", "kernel"]
    # the ranks are labelled with the numbers they stand for
    assert _x_ticks(c_panel) == ["0.1", "1", "10", "100"]
    np.testing.assert_array_equal(c_panel.get_lines()[0].get_xdata(), [0, 1, 2, 3])
    assert _x_ticks(kernel) == ["'linear'", "'rbf'"]
    # The Gaussian process is fitted for the plot, not kept on the search.
    assert search.optimizer_results_[0].models == []
    assert [d.transform_ for d in result.space.dimensions] == transforms


@needs_matplotlib
def test_objective_of_a_per_second_search_plots_the_objective_alone():
    search = BayesSearchCV(
        SVC(),
        {"C": (0.1, 10.0)},
        n_iter=3,
        cv=2,
        random_state=0,
        optimizer_kwargs={
            "acq_func": "EIps",
            "n_initial_points": 3,
            "acq_optimizer_kwargs": {"n_points": 100},
        },
    ).fit(X, Y)
    result = search.optimizer_results_[0]
    # The surrogate predicts the objective and the log fit time.
    assert result.models[-1].predict(result.space.transform([[1.0]])).shape == (1, 2)
    ax = plot_objective(search, n_points=8, sample_source="result")
    curve = ax.get_lines()[0]
    points = result.space.transform(np.asarray(curve.get_xdata())[:, None])
    expected = -result.models[-1].predict(points)[:, 0]
    np.testing.assert_allclose(curve.get_ydata(), expected)


@needs_matplotlib
def test_objective_draws_on_the_given_axes(bayes):
    fig, (_, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    assert plot_objective(bayes, n_points=8, n_samples=30, ax=right) is right
    assert not right.axison
    # the left axes untouched; the grid (3 panels, a colour bar) on the right
    assert len(fig.axes) == 2 + 3 + 1
    assert all(
        panel.get_position().x0 >= right.get_position().x0 - 1e-9
        for panel in fig.axes[2:]
    )


@needs_matplotlib
def test_objective_options(svc_search):
    ax = plot_objective(
        svc_search,
        n_points=8,
        n_samples=30,
        plot_dims=["kernel", "C"],
        dimensions=["Kernel", "Regularisation C"],
        levels=[0.0, 0.5, 1.0],
        show_points=False,
        minimum=[1.0, 0.1, "'sigmoid'"],
    )
    kernel, c_panel = _diagonal(ax)
    assert (kernel.get_xlabel(), c_panel.get_xlabel()) == ("Kernel", "Regularisation C")
    (c_by_kernel,) = _maps(ax)
    # no candidates, the star at the point given
    (star,) = [
        c for c in c_by_kernel.collections if type(c).__name__ == "PathCollection"
    ]
    np.testing.assert_allclose(star.get_offsets(), [[1, 1.0]])
    np.testing.assert_array_equal(_colour_bar(ax).get_yticks(), [0, 0.5, 1])
    assert _legend(ax) == ["candidates evaluated", "point given"]
    with pytest.raises(
        ValueError, match="minimum has 2 coordinates for a sub-space of 3"
    ):
        plot_objective(svc_search, minimum=[1.0, 0.1])
    with pytest.raises(ValueError, match="sample_source='best'"):
        plot_objective(svc_search, sample_source="best")
    with pytest.raises(ValueError, match="dimensions has 1 labels for 3 dimensions"):
        plot_objective(svc_search, dimensions=["C"])


@needs_matplotlib
def test_objective_is_the_same_plot_twice(svc_search):
    first = plot_objective(svc_search, n_points=8, n_samples=30)
    second = plot_objective(svc_search, n_points=8, n_samples=30)
    for a, b in zip(_diagonal(first), _diagonal(second)):
        np.testing.assert_array_equal(
            a.get_lines()[0].get_ydata(), b.get_lines()[0].get_ydata()
        )


@needs_matplotlib
def test_objective_needs_a_searched_subspace():
    search = BayesSearchCV(
        TREE,
        [{"max_depth": [2]}, {"max_depth": (3, 8)}],
        n_iter=4,
        cv=2,
        random_state=0,
    ).fit(X, Y)
    assert search.optimizer_results_[0] is None
    with pytest.raises(ValueError, match="sub-space 0 has no optimizer record"):
        plot_objective(search, subspace=0)
    with pytest.raises(ValueError, match=r"subspace=2 is out of range"):
        plot_objective(search, subspace=2)
    ax = plot_objective(search, subspace=1, n_points=8, n_samples=30)
    assert ax.figure.axes == [ax]
    # a few integers: each a point on a line, labelled as integers
    curve = ax.get_lines()[0]
    np.testing.assert_array_equal(curve.get_xdata(), [3, 4, 5, 6, 7, 8])
    assert curve.get_marker() == "o"


@needs_matplotlib
def test_objective_needs_a_bayesian_search(grid):
    with pytest.raises(TypeError, match="surrogate model of a BayesSearchCV"):
        plot_objective(grid)


# -- without matplotlib -------------------------------------------------------


@pytest.mark.parametrize("plot", [plot_convergence, plot_param_scores, plot_objective])
def test_missing_matplotlib_names_the_extra(monkeypatch, plot):
    # None in sys.modules makes the import fail, as if not installed.
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "sklearn_hp\[plot\]"'):
        plot(GridSearchCV(TREE, {"max_depth": [1, 2]}))


# -- plot_importances ---------------------------------------------------------


@needs_matplotlib
def test_importances_bars_with_intervals_and_a_map_of_the_strongest_pair(grid):
    axes = plot_importances(grid)
    assert len(axes) == 2
    bars = axes[0]
    # the most important at the top: C (kernel comes second); shrinking took
    # one value and is not listed
    labels = [label.get_text() for label in bars.get_yticklabels()]
    assert labels == ["kernel", "C"]
    assert bars.get_xlabel() == "Share of the score's variance explained"
    assert len(bars.patches) == 2
    heat = axes[1]
    assert (heat.get_xlabel(), heat.get_ylabel()) == ("C", "kernel")
    assert heat.get_xscale() == "log"
    # the category axis shows the categories, not numbers
    assert [t.get_text() for t in heat.get_yticklabels()] == ["'linear'", "'rbf'"]
    assert _legend(heat) == ["candidates", "best"]
    colour_bar = heat.get_figure().axes[-1]
    assert colour_bar.get_ylabel() == "Mean test score"
    assert heat.get_title().startswith("Interaction: ")


@needs_matplotlib
def test_importances_without_pairs_and_of_sub_spaces():
    search = GridSearchCV(
        SVC(),
        [
            {"kernel": ["linear"], "C": [0.01, 0.1, 1.0, 10.0]},
            {"kernel": ["rbf"], "C": [0.01, 1.0, 100.0], "gamma": [0.01, 1.0]},
        ],
        cv=3,
    ).fit(X, Y)
    (bars,) = plot_importances(search, n_pairs=0)
    labels = [label.get_text() for label in bars.get_yticklabels()]
    assert sorted(labels) == [
        "C [sub-space 0]",
        "C [sub-space 1]",
        "gamma [sub-space 1]",
    ]


@needs_matplotlib
def test_importances_errors(grid):
    with pytest.raises(ValueError, match="n_pairs must be an integer >= 0, got -1"):
        plot_importances(grid, n_pairs=-1)
    constant = GridSearchCV(SVC(), {"C": [1.0]}, cv=3).fit(X, Y)
    with pytest.raises(ValueError, match="no hyperparameter of the search varied"):
        plot_importances(constant)
    with pytest.raises(NotFittedError):
        plot_importances(GridSearchCV(SVC(), {"C": [1.0]}))
