import re

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

from sklearn_hp import GradientDescentClassifier, GradientDescentRegressor


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _converged(model_class, **params):
    """Settings under which gradient descent reaches the exact optimum."""
    defaults = dict(
        solver="sgd",
        momentum=0.0,
        learning_rate=0.2,
        batch_size=10_000,
        max_iter=50_000,
        tol=1e-13,
        n_iter_no_change=50,
        random_state=0,
    )
    return model_class(**{**defaults, **params})


@pytest.mark.parametrize("alpha", [0.0, 1.0, 30.0])
def test_regressor_reaches_the_ridge_solution(diabetes, alpha):
    X, y = diabetes
    model = _converged(GradientDescentRegressor, alpha=alpha).fit(X, y)
    ridge = Ridge(alpha=alpha).fit(X, y)
    np.testing.assert_allclose(model.coef_, ridge.coef_, rtol=1e-3, atol=1e-2)
    assert model.intercept_ == pytest.approx(ridge.intercept_, rel=1e-5)


@pytest.mark.parametrize("alpha", [0.1, 1.0, 10.0])
def test_classifier_reaches_the_logistic_regression_solution(iris, alpha):
    X, y = iris
    model = _converged(GradientDescentClassifier, alpha=alpha, learning_rate=1.0)
    model.fit(X, y)
    reference = LogisticRegression(C=1 / alpha, tol=1e-10, max_iter=10_000).fit(X, y)
    # Softmax parameters are defined up to a constant per feature.
    centred = model.coef_ - model.coef_.mean(axis=0)
    np.testing.assert_allclose(centred, reference.coef_, rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(
        model.predict_proba(X), reference.predict_proba(X), atol=1e-4
    )


def test_binary_classifier_reaches_the_logistic_regression_solution():
    X, y = make_classification(n_samples=300, n_features=5, random_state=0)
    model = _converged(GradientDescentClassifier, alpha=1.0, learning_rate=1.0)
    model.fit(X, y)
    reference = LogisticRegression(C=1.0, tol=1e-10).fit(X, y)
    assert model.coef_.shape == (1, 5)
    assert model.intercept_.shape == (1,)
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=1e-4)
    np.testing.assert_allclose(model.intercept_, reference.intercept_, rtol=1e-4)
    np.testing.assert_allclose(
        model.decision_function(X), reference.decision_function(X), atol=1e-4
    )
    np.testing.assert_allclose(
        model.predict_log_proba(X), reference.predict_log_proba(X), atol=1e-4
    )


def test_batch_size_changes_how_not_what_is_minimised(diabetes):
    X, y = diabetes
    full_batch = _converged(GradientDescentRegressor, alpha=50.0).fit(X, y)
    mini_batch = GradientDescentRegressor(
        alpha=50.0,
        batch_size=32,
        learning_rate=0.002,
        max_iter=300,
        n_iter_no_change=300,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning):
        mini_batch.fit(X, y)
    np.testing.assert_allclose(mini_batch.coef_, full_batch.coef_, atol=0.5)


def test_units_of_the_target_do_not_change_training(diabetes):
    X, y = diabetes
    model = GradientDescentRegressor(random_state=0).fit(X, y)
    rescaled = GradientDescentRegressor(random_state=0).fit(X, 1000 * y - 7)
    assert rescaled.n_iter_ == model.n_iter_
    np.testing.assert_allclose(rescaled.coef_, 1000 * model.coef_, rtol=1e-8)
    np.testing.assert_allclose(rescaled.predict(X), 1000 * model.predict(X) - 7)


def test_multi_output_regression(diabetes):
    X, y = diabetes
    Y = np.column_stack([y, -2 * y + 3])
    model = GradientDescentRegressor(random_state=0).fit(X, Y)
    assert model.coef_.shape == (2, X.shape[1])
    assert model.intercept_.shape == (2,)
    np.testing.assert_allclose(model.coef_[1], -2 * model.coef_[0], rtol=1e-6)
    assert model.predict(X).shape == (len(X), 2)


def test_single_target_gives_flat_coefficients(diabetes):
    X, y = diabetes
    model = GradientDescentRegressor(max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter=5"):
        model.fit(X, y)
    assert model.coef_.shape == (X.shape[1],)
    assert np.ndim(model.intercept_) == 0
    assert model.n_iter_ == 5
    assert len(model.loss_curve_) == 5
    assert model.best_loss_ == min(model.loss_curve_)
    assert model.validation_scores_ is None
    assert model.best_validation_score_ is None


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_solvers_fit(diabetes, solver):
    X, y = diabetes
    model = GradientDescentRegressor(solver=solver, random_state=0).fit(X, y)
    assert model.score(X, y) > 0.5


def test_diverging_training_names_the_learning_rate(diabetes):
    X, y = diabetes
    X = X * 1e3
    model = GradientDescentRegressor(solver="sgd", learning_rate=10.0, random_state=0)
    with pytest.raises(ValueError, match=re.escape("learning_rate (now 10.0)")):
        model.fit(X, y)


def test_early_stopping_keeps_the_best_epoch(iris):
    X, y = iris
    model = GradientDescentClassifier(
        early_stopping=True,
        validation_fraction=0.3,
        n_iter_no_change=3,
        random_state=0,
    ).fit(X, y)
    assert len(model.validation_scores_) == model.n_iter_
    assert model.best_validation_score_ == max(model.validation_scores_)
    assert model.n_iter_ < model.max_iter


def test_warm_start_continues_from_the_previous_fit(diabetes):
    X, y = diabetes
    model = GradientDescentRegressor(max_iter=3, warm_start=True, random_state=0)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    first_run = model.loss_curve_
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    # A new record for each fit, starting where the previous one ended.
    assert len(model.loss_curve_) == 3
    assert model.loss_curve_[0] < first_run[0]


def test_warm_start_refuses_other_classes(iris):
    X, y = iris
    model = GradientDescentClassifier(warm_start=True, max_iter=2)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    with pytest.raises(ValueError, match="same classes"):
        model.fit(X[y < 2], y[y < 2])


def test_partial_fit_runs_one_epoch_per_call(diabetes):
    X, y = diabetes
    model = GradientDescentRegressor(random_state=0)
    for _ in range(20):
        model.partial_fit(X, y)
    assert model.n_iter_ == 20
    assert len(model.loss_curve_) == 20
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    assert model.score(X, y) > 0.45


def test_partial_fit_on_batches_matches_fit_quality(iris):
    X, y = iris
    model = GradientDescentClassifier(random_state=0)
    rng = np.random.RandomState(0)
    for _ in range(200):
        batch = rng.choice(len(X), 30, replace=False)
        model.partial_fit(X[batch], y[batch], classes=[0, 1, 2])
    assert model.score(X, y) > 0.9


def test_partial_fit_needs_classes_on_the_first_call(iris):
    X, y = iris
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        GradientDescentClassifier().partial_fit(X, y)
    model = GradientDescentClassifier().partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="differs from the classes"):
        model.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=re.escape("labels array([7])")):
        model.partial_fit(X[:2], [0, 7])


def test_classifier_needs_two_classes(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="at least 2 classes"):
        GradientDescentClassifier().fit(X, np.zeros(len(X)))


def test_string_labels(iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    model = GradientDescentClassifier(random_state=0).fit(X, names)
    assert list(model.classes_) == ["setosa", "versicolor", "virginica"]
    assert set(model.predict(X)) <= set(names)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(
        model.classes_[proba.argmax(axis=1)], model.predict(X)
    )


def test_same_seed_same_model(iris):
    X, y = iris
    first = GradientDescentClassifier(random_state=3).fit(X, y)
    second = GradientDescentClassifier(random_state=3).fit(X, y)
    np.testing.assert_array_equal(first.coef_, second.coef_)


def test_partial_fit_follows_hyperparameters_changed_between_calls(iris):
    X, y = iris
    model = GradientDescentClassifier(random_state=0).partial_fit(
        X, y, classes=[0, 1, 2]
    )
    model.set_params(solver="sgd", learning_rate=0.5)
    before = model.coef_.copy()
    model.partial_fit(X, y)
    assert model._solver.learning_rate == 0.5
    assert np.abs(model.coef_ - before).max() > 0.05
