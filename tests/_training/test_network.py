import numpy as np
import pytest
from scipy import sparse

from sklearn_hp._training import HIDDEN_ACTIVATIONS, DenseNetwork
from sklearn_hp._training._solvers import AdamSolver, SGDSolver


def _problem(output, n_samples=7, n_features=4, n_outputs=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features))
    if output == "identity":
        target = rng.normal(size=(n_samples, n_outputs))
    elif output == "logistic":
        target = rng.randint(2, size=(n_samples, 1)).astype(float)
        n_outputs = 1
    else:
        target = rng.randint(n_outputs, size=n_samples)
    return X, target, n_outputs


def _objective(network, params, X, target, alpha_over_n):
    gradient = np.empty_like(params)
    loss = network.loss_gradient(params, X, target, gradient, alpha_over_n)
    return loss + network.penalty(params, alpha_over_n), gradient


@pytest.mark.parametrize("output", ["identity", "logistic", "softmax"])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("hidden", [(), (5,), (5, 3)])
def test_gradient_matches_finite_differences(output, activation, hidden):
    X, target, n_outputs = _problem(output)
    network = DenseNetwork((X.shape[1], *hidden, n_outputs), activation, output, float)
    params = network.initialize(np.random.RandomState(1))
    # Linear models start at zero; move away so every term is exercised.
    params += np.random.RandomState(2).normal(scale=0.3, size=params.size)
    alpha_over_n = 0.3

    _, gradient = _objective(network, params, X, target, alpha_over_n)
    numerical = np.empty_like(params)
    step = 1e-6
    for i in range(params.size):
        shifted = params.copy()
        shifted[i] += step
        upper, _ = _objective(network, shifted, X, target, alpha_over_n)
        shifted[i] -= 2 * step
        lower, _ = _objective(network, shifted, X, target, alpha_over_n)
        numerical[i] = (upper - lower) / (2 * step)
    np.testing.assert_allclose(gradient, numerical, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("output", ["identity", "logistic", "softmax"])
def test_sparse_input_gives_dense_results(output):
    X, target, n_outputs = _problem(output)
    network = DenseNetwork((X.shape[1], 5, n_outputs), "tanh", output, float)
    params = network.initialize(np.random.RandomState(0))
    dense_grad, sparse_grad = np.empty_like(params), np.empty_like(params)
    dense_loss = network.loss_gradient(params, X, target, dense_grad, 0.1)
    sparse_loss = network.loss_gradient(
        params, sparse.csr_matrix(X), target, sparse_grad, 0.1
    )
    assert sparse_loss == pytest.approx(dense_loss)
    np.testing.assert_allclose(sparse_grad, dense_grad)
    np.testing.assert_allclose(
        network.forward(params, sparse.csr_matrix(X)), network.forward(params, X)
    )


def test_layout_puts_weights_first():
    network = DenseNetwork((10, 20, 1), "relu", "logistic", float)
    assert network.n_weights == 10 * 20 + 20 * 1
    assert network.size == 241
    params = np.arange(network.size, dtype=float)
    coefs, intercepts = network.unpack(params)
    assert [c.shape for c in coefs] == [(10, 20), (20, 1)]
    assert [b.shape for b in intercepts] == [(20,), (1,)]
    assert coefs[0][0, 0] == 0
    assert intercepts[0][0] == network.n_weights
    np.testing.assert_array_equal(network.pack(coefs, intercepts), params)


def test_dropout_masks_change_the_gradient_only_in_training():
    X, target, n_outputs = _problem("identity", n_samples=50)
    network = DenseNetwork((X.shape[1], 30, n_outputs), "relu", "identity", float)
    params = network.initialize(np.random.RandomState(0))
    plain, dropped = np.empty_like(params), np.empty_like(params)
    network.loss_gradient(params, X, target, plain, 0.0)
    network.loss_gradient(
        params,
        X,
        target,
        dropped,
        0.0,
        dropout=0.5,
        random_state=np.random.RandomState(0),
    )
    assert not np.allclose(plain, dropped)


def test_solvers_minimise_a_quadratic():
    target = np.array([1.0, -2.0, 3.0])
    for solver in (
        SGDSolver(3, float, learning_rate=0.1, momentum=0.9),
        SGDSolver(3, float, learning_rate=0.1, momentum=0.0),
        AdamSolver(3, float, learning_rate=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8),
    ):
        params = np.zeros(3)
        for _ in range(500):
            solver.step(params, params - target)
        np.testing.assert_allclose(params, target, atol=1e-3)


def test_solvers_resume_only_a_matching_state():
    adam = AdamSolver(
        3, float, learning_rate=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8
    )
    adam.step(np.zeros(3), np.ones(3))
    resumed = AdamSolver(
        3, float, learning_rate=0.5, beta_1=0.9, beta_2=0.999, epsilon=1e-8
    )
    resumed.resume(adam)
    assert resumed.n_steps == 1
    np.testing.assert_array_equal(resumed.first_moment, adam.first_moment)
    assert resumed.learning_rate == 0.5

    for other in (
        SGDSolver(3, float, learning_rate=0.1, momentum=0.9),
        AdamSolver(4, float, learning_rate=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8),
    ):
        fresh = AdamSolver(
            3, float, learning_rate=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8
        )
        fresh.resume(other)
        assert fresh.n_steps == 0
