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
    return [panel for panel in ax.figure.axes if panel is not ax]


@needs_matplotlib
def test_objective_of_a_continuous_space(bayes):
    ax = plot_objective(bayes, n_points=8, n_samples=30)
    panels = _panels(ax)
    # A 2 x 2 grid: two partial dependences, one contour, one empty panel.
    assert len(panels) == 4
    diagonal = [panel for panel in panels if panel.get_lines()]
    assert [panel.get_xlabel() for panel in diagonal] == ["C", "gamma"]
    assert all(panel.get_ylabel() == "Minus the score" for panel in diagonal)
    for panel in diagonal:
        curve = panel.get_lines()[0]
        assert len(curve.get_xdata()) == 8
        assert np.all(np.isfinite(curve.get_ydata()))
    # The contour shows the candidates evaluated, (C, gamma), and the best.
    (contour,) = [panel for panel in panels if len(panel.collections) > 1]
    points, best = contour.collections[-2:]
    result = bayes.optimizer_results_[0]
    np.testing.assert_allclose(points.get_offsets(), result.x_iters)
    np.testing.assert_allclose(best.get_offsets(), [result.x])


@needs_matplotlib
def test_objective_of_a_space_walked_as_a_grid():
    search = BayesSearchCV(
        SVC(), {"C": [0.1, 1, 10, 100], "kernel": ["linear", "rbf"]}, cv=3
    ).fit(X, Y)
    result = search.optimizer_results_[0]
    assert result.models == []
    transforms = [d.transform_ for d in result.space.dimensions]
    ax = plot_objective(search, n_points=8, n_samples=30)
    diagonal = [panel for panel in _panels(ax) if panel.get_lines()]
    assert [panel.get_xlabel() for panel in diagonal] == ["C (rank)", "kernel"]
    # The Gaussian process is fitted for the plot, not kept on the search.
    assert search.optimizer_results_[0].models == []
    assert [d.transform_ for d in result.space.dimensions] == transforms


@needs_matplotlib
def test_objective_of_a_per_second_search_plots_the_objective_alone():
    search = BayesSearchCV(
        SVC(),
        {"C": (0.1, 10.0)},
        n_iter=3,
        cv=3,
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
    (panel,) = _panels(ax)
    curve = panel.get_lines()[0]
    points = result.space.transform(np.asarray(curve.get_xdata())[:, None])
    expected = result.models[-1].predict(points)[:, 0]
    np.testing.assert_allclose(curve.get_ydata(), expected)


@needs_matplotlib
def test_objective_needs_a_searched_subspace():
    search = BayesSearchCV(
        TREE,
        [{"max_depth": [2]}, {"max_depth": (3, 8)}],
        n_iter=4,
        cv=3,
        random_state=0,
    ).fit(X, Y)
    assert search.optimizer_results_[0] is None
    with pytest.raises(ValueError, match="sub-space 0 has no optimizer record"):
        plot_objective(search, subspace=0)
    with pytest.raises(ValueError, match=r"subspace=2 is out of range"):
        plot_objective(search, subspace=2)
    ax = plot_objective(search, subspace=1, n_points=8, n_samples=30)
    assert len(_panels(ax)) == 1


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
