import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from sklearn_hp import NeuralNetworkClassifier, NeuralNetworkRegressor

# The defaults are those of scikit-learn's MLP (200 epochs at a learning rate
# of 0.001), which on data this small stop before the loss does.
pytestmark = pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(n_samples=300, n_features=10, random_state=0)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X[:500]), y[:500]


def test_learned_parameters_have_the_architecture_shape(binary):
    X, y = binary
    model = NeuralNetworkClassifier(hidden_layer_sizes=(20,), random_state=0)
    model.fit(X, y)
    assert [coef.shape for coef in model.coefs_] == [(10, 20), (20, 1)]
    assert [bias.shape for bias in model.intercepts_] == [(20,), (1,)]
    n_learned = sum(c.size for c in model.coefs_) + sum(
        b.size for b in model.intercepts_
    )
    assert n_learned == 10 * 20 + 20 + 20 * 1 + 1
    assert model.n_layers_ == 3
    assert model.n_outputs_ == 1


def test_multiclass_has_one_output_per_class(digits):
    X, y = digits
    model = NeuralNetworkClassifier(hidden_layer_sizes=(32, 16), random_state=0)
    model.fit(X, y)
    assert [coef.shape for coef in model.coefs_] == [(64, 32), (32, 16), (16, 10)]
    assert model.n_outputs_ == 10
    assert model.score(X, y) > 0.95
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.log(proba), model.predict_log_proba(X), atol=1e-8)


def test_number_of_learned_values_does_not_grow_with_the_data():
    sizes = []
    for n_samples in (100, 1000):
        X, y = make_regression(n_samples=n_samples, n_features=8, random_state=0)
        model = NeuralNetworkRegressor(hidden_layer_sizes=(16,), max_iter=20)
        with pytest.warns(ConvergenceWarning):
            model.fit(X, y)
        sizes.append(sum(c.size for c in model.coefs_ + model.intercepts_))
    assert sizes[0] == sizes[1] == 8 * 16 + 16 + 16 + 1


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
def test_activations_learn(binary, activation):
    X, y = binary
    model = NeuralNetworkClassifier(
        hidden_layer_sizes=(16,),
        activation=activation,
        learning_rate=0.01,
        random_state=0,
    ).fit(X, y)
    assert model.score(X, y) > 0.9


def test_no_hidden_layer_is_a_linear_model(binary):
    X, y = binary
    model = NeuralNetworkClassifier(hidden_layer_sizes=(), learning_rate=0.01)
    model.fit(X, y)
    assert [coef.shape for coef in model.coefs_] == [(10, 1)]


def test_dropout_trains_a_different_network_and_predicts_deterministically(binary):
    X, y = binary
    params = dict(hidden_layer_sizes=(32,), learning_rate=0.01, random_state=0)
    plain = NeuralNetworkClassifier(**params).fit(X, y)
    dropped = NeuralNetworkClassifier(dropout=0.3, **params).fit(X, y)
    assert not np.allclose(plain.coefs_[0], dropped.coefs_[0])
    np.testing.assert_array_equal(dropped.predict_proba(X), dropped.predict_proba(X))
    assert dropped.score(X, y) > 0.9


def test_regressor_predicts_in_the_units_of_the_target():
    X, y = make_regression(n_samples=300, n_features=5, noise=1.0, random_state=0)
    model = NeuralNetworkRegressor(hidden_layer_sizes=(20,), random_state=0)
    scaled = clone(model).fit(X, 1e4 * y + 3)
    model.fit(X, y)
    np.testing.assert_allclose(scaled.predict(X), 1e4 * model.predict(X) + 3)
    assert model.score(X, y) > 0.95


def test_multi_output_regression():
    X, Y = make_regression(n_samples=300, n_features=5, n_targets=3, random_state=0)
    model = NeuralNetworkRegressor(hidden_layer_sizes=(20,), learning_rate=0.01)
    model.fit(X, Y)
    assert model.predict(X).shape == (300, 3)
    assert model.coefs_[-1].shape == (20, 3)
    assert model.score(X, Y) > 0.95


def test_early_stopping_restores_the_best_epoch(digits):
    X, y = digits
    model = NeuralNetworkClassifier(
        hidden_layer_sizes=(32,),
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=3,
        learning_rate=0.01,
        random_state=0,
    ).fit(X, y)
    assert len(model.validation_scores_) == model.n_iter_
    assert model.best_validation_score_ == max(model.validation_scores_)


def test_partial_fit_continues_the_solver(binary):
    X, y = binary
    model = NeuralNetworkClassifier(hidden_layer_sizes=(16,), random_state=0)
    for _ in range(30):
        model.partial_fit(X, y, classes=[0, 1])
    assert model.n_iter_ == 30
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    first_layer = model.coefs_[0].copy()
    model.partial_fit(X[:10], y[:10])
    assert not np.array_equal(first_layer, model.coefs_[0])


def test_warm_start_keeps_the_architecture_or_refuses(binary):
    X, y = binary
    model = NeuralNetworkClassifier(hidden_layer_sizes=(8,), warm_start=True)
    model.set_params(max_iter=5)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    model.set_params(hidden_layer_sizes=(9,))
    with pytest.raises(ValueError, match="Cannot continue training"):
        model.fit(X, y)


@pytest.mark.parametrize("sizes", [(0,), (10, -1), (2.5,), ("a",), ((3,),)])
def test_bad_hidden_layer_sizes_are_named(binary, sizes):
    X, y = binary
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        NeuralNetworkClassifier(hidden_layer_sizes=sizes).fit(X, y)


def test_int_hidden_layer_size(binary):
    X, y = binary
    model = NeuralNetworkClassifier(hidden_layer_sizes=7, max_iter=3)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    assert model.coefs_[0].shape == (10, 7)


def test_float32_input_trains_in_float32(binary):
    X, y = binary
    model = NeuralNetworkClassifier(hidden_layer_sizes=(8,), max_iter=3)
    with pytest.warns(ConvergenceWarning):
        model.fit(X.astype(np.float32), y)
    assert model.coefs_[0].dtype == np.float32
