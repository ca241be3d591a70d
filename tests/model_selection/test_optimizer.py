"""The optimizer's parts give what scikit-learn's and scikit-optimize's code gives."""

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.base import clone, is_regressor
from sklearn.gaussian_process import GaussianProcessRegressor as SklearnGP
from sklearn.gaussian_process.kernels import (
    RBF,
    ConstantKernel,
    Matern,
    RationalQuadratic,
    WhiteKernel,
)
from skopt.callbacks import DeltaYStopper
from skopt.learning import GaussianProcessRegressor, GradientBoostingQuantileRegressor
from skopt.learning.gaussian_process.kernels import HammingKernel
from skopt.learning.gaussian_process.kernels import WhiteKernel as SkoptWhiteKernel
from skopt.space import Categorical, Integer, Real, Space
from skopt.utils import cook_estimator, normalize_dimensions

from sklearn_hp.model_selection._optimizer import (
    Optimizer,
    OptimizerRecord,
    initial_design,
    initial_points_for,
)
from sklearn_hp.model_selection._optimizer import _warping as warping_module
from sklearn_hp.model_selection._optimizer._acquisition import (
    RESOLUTION,
    Hedge,
    acquisition,
    apart_from,
    best_first,
    polish,
    polished,
    pool,
    pool_size,
)
from sklearn_hp.model_selection._optimizer._coordinates import (
    Coordinates,
    FiniteGrid,
    initial_points,
    maximin_latin_hypercube,
)
from sklearn_hp.model_selection._optimizer._gaussian_process import (
    KERNEL_PRIORS,
    GaussianProcess,
    GaussianProcessLearner,
    NegativeLogPosterior,
    default_kernel,
    normalised,
    optimise_kernel,
    with_noise,
)
from sklearn_hp.model_selection._optimizer._optimizer import (
    IMPROVEMENT,
    PLATEAU_STEPS,
    PLATEAU_WIDENING,
    STAGNATION_PATIENCE,
    plateau_ties,
    since_improvement,
)
from sklearn_hp.model_selection._optimizer._surrogates import GBRTSurrogate
from sklearn_hp.model_selection._optimizer._told import Observations
from sklearn_hp.model_selection._optimizer._warping import (
    compress_far_outliers,
    failures_as_poor,
    learnt_rows,
    surrogate_targets,
)

DIMENSIONS = [
    Real(1e-4, 1e3, prior="log-uniform"),
    Integer(1, 9),
    Categorical(["a", "b"]),
    Categorical(["p", "q", "r"]),
]


def _space():
    return Space(normalize_dimensions(DIMENSIONS))


def _ask_and_tell(optimizer, n, objective=None, seed=0):
    rng = np.random.RandomState(seed)
    for _ in range(n):
        points = optimizer.ask()
        values = [objective(p) if objective else rng.normal() for p in points]
        optimizer.tell(points, values)
    return optimizer


def _skopt_kernel(space):
    """scikit-optimize's default kernel, with the noise term its fit adds."""
    gp = cook_estimator("GP", space=space.dimensions)
    return gp.get_params()["kernel"] + SkoptWhiteKernel()


@pytest.fixture
def fitted_gp():
    """A kernel learnt by scikit-learn on 20 of 30 points, and points to predict.

    Of scikit-optimize's classes, which its Gaussian process recognises.
    """
    space = _space()
    rng = np.random.RandomState(0)
    X = np.asarray(space.transform(space.rvs(30, random_state=rng)), dtype=float)
    y = rng.normal(size=30) * 3 + 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        learnt = SklearnGP(kernel=_skopt_kernel(space), normalize_y=True)
        kernel = learnt.fit(X[:20], y[:20]).kernel_
    predicted = np.asarray(space.transform(space.rvs(200, random_state=rng)), float)
    return kernel, X, y, predicted


def _skopt_gp(kernel, **params):
    return GaussianProcessRegressor(
        kernel=kernel, noise="gaussian", normalize_y=True, **params
    )


# -- the Gaussian process ------------------------------------------------------


def test_default_kernel_is_scikit_optimize_kernel_with_a_noise_term():
    for dimensions in (DIMENSIONS, [Categorical(["a", "b"]), Categorical([1, 2, 3])]):
        space = Space(normalize_dimensions(dimensions))
        expected = _skopt_kernel(space)
        kernel = default_kernel(space)
        assert repr(kernel) == repr(expected)
        assert [h.name for h in kernel.hyperparameters] == [
            h.name for h in expected.hyperparameters
        ]
        np.testing.assert_array_equal(kernel.bounds, expected.bounds)
        np.testing.assert_array_equal(kernel.theta, expected.theta)


def test_fit_with_a_fixed_kernel_is_scikit_optimize_fit(fitted_gp):
    kernel, X, y, predicted = fitted_gp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _skopt_gp(kernel, optimizer=None).fit(X, y)
    fast = GaussianProcess(kernel).fit(X, y)
    for ours, theirs in zip(
        fast.predict(predicted, return_std=True),
        expected.predict(predicted, return_std=True),
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    # the same noise, entering the observations' covariance only
    assert fast.noise_level == pytest.approx(expected.noise_)
    np.testing.assert_allclose(fast.predict(predicted), expected.predict(predicted))


def test_optimising_the_kernel_is_scikit_learn_fit(fitted_gp):
    kernel, X, y, predicted = fitted_gp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = SklearnGP(kernel=kernel, normalize_y=True).fit(X, y)
        skopt_model = _skopt_gp(kernel).fit(X, y)
    learnt = optimise_kernel(kernel, X, normalised(y)[2], maxiter=None)
    np.testing.assert_allclose(learnt.theta, expected.kernel_.theta, rtol=1e-6)
    fast = GaussianProcess(learnt).fit(X, y)
    for ours, theirs in zip(
        fast.predict(predicted, return_std=True),
        skopt_model.predict(predicted, return_std=True),
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)
    # the start is not modified
    assert not np.allclose(kernel.theta, learnt.theta)


@pytest.mark.parametrize(
    "kernel",
    [
        ConstantKernel(2.0)
        * Matern(length_scale=[1.0, 0.5, 2.0, 1.0, 1.0, 0.3], nu=2.5)
        + WhiteKernel(0.1),
        ConstantKernel(1.0) * HammingKernel(length_scale=[1.0] * 6),
        RBF(length_scale=1.5) ** 2 + WhiteKernel(0.5, noise_level_bounds="fixed"),
        ConstantKernel(1.0, "fixed") * RationalQuadratic(length_scale=0.7, alpha=2.0),
    ],
    ids=["matern-white", "hamming", "exponentiation", "rational-quadratic"],
)
def test_likelihood_and_gradient_are_scikit_learn_ones(fitted_gp, kernel):
    _, X, y, _ = fitted_gp
    model = SklearnGP(kernel=kernel, optimizer=None, normalize_y=True).fit(X, y)
    before = kernel.theta.copy()
    objective = NegativeLogPosterior(kernel, X, normalised(y)[2], alpha=1e-10)
    rng = np.random.RandomState(0)
    for _ in range(3):
        theta = kernel.theta + rng.normal(scale=0.5, size=kernel.theta.shape)
        value, gradient = objective(theta)
        expected, expected_gradient = model.log_marginal_likelihood(
            theta, eval_gradient=True
        )
        assert value == pytest.approx(-expected, rel=1e-10)
        np.testing.assert_allclose(gradient, -expected_gradient, rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(kernel.theta, before)


def test_priors_add_minus_the_log_gamma_densities(fitted_gp):
    kernel, X, y, _ = fitted_gp
    y = normalised(y)[2]
    priors = {"length_scale": (3.0, 6.0), "noise_level": (1.1, 0.05)}
    likelihood = NegativeLogPosterior(kernel, X, y)
    posterior = NegativeLogPosterior(kernel, X, y, priors=priors)
    names = [h.name for h in kernel.hyperparameters if not h.fixed]
    assert names == [
        "k1__k1__constant_value",
        "k1__k2__length_scale",
        "k2__noise_level",
    ]
    rng = np.random.RandomState(0)
    for _ in range(3):
        theta = kernel.theta + rng.normal(scale=0.5, size=kernel.theta.shape)
        lengths, noise = np.exp(theta[1:-1]), np.exp(theta[-1])
        # minus the log of Gamma(shape, rate) densities of the values, with the
        # Jacobian of the log scale, up to a constant
        prior = (
            -stats.gamma.logpdf(lengths, 3.0, scale=1 / 6.0).sum()
            - np.log(lengths).sum()
            - stats.gamma.logpdf(noise, 1.1, scale=1 / 0.05)
            - np.log(noise)
        )
        constant = len(lengths) * (stats.gamma.logpdf(1.0, 3.0, scale=1 / 6.0) + 6.0)
        constant += stats.gamma.logpdf(1.0, 1.1, scale=1 / 0.05) + 0.05
        value, gradient = posterior(theta)
        assert value == pytest.approx(likelihood(theta)[0] + prior + constant)
        step = 1e-6
        numeric = [
            (posterior(theta + step * e)[0] - posterior(theta - step * e)[0])
            / (2 * step)
            for e in np.eye(len(theta))
        ]
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-6)


def test_a_few_steps_from_the_last_kernel_raise_the_likelihood(fitted_gp):
    kernel, X, y, _ = fitted_gp
    learnt = optimise_kernel(kernel, X, normalised(y)[2], maxiter=3)
    judge = SklearnGP(kernel=kernel, optimizer=None, normalize_y=True).fit(X, y)
    assert judge.log_marginal_likelihood(learnt.theta) > judge.log_marginal_likelihood(
        kernel.theta
    )


def test_kernel_is_learnt_as_observations_grow_by_half_restarted_by_four():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(27, 2))
    y = np.sin(6 * X[:, 0]) + X[:, 1] + rng.normal(scale=0.01, size=27)
    learner = GaussianProcessLearner(
        with_noise(ConstantKernel() * Matern(length_scale=[1.0, 1.0]), "gaussian"),
        priors=KERNEL_PRIORS,
    )
    learnt, restarted = [], []
    for n in range(5, 28):
        learner.fit(X[:n], y[:n], rng)
        learnt.append(learner.n_at_kernel_fit)
        restarted.append(learner.n_at_restarts)
    # learnt at 5 (at most 20 steps), 8, 12, 18 (8 steps from the last
    # kernel), and from random starts at 27, four times the first 5 and more
    assert sorted(set(learnt)) == [5, 8, 12, 18, 27]
    assert sorted(set(restarted)) == [5, 27]
    # a (bounded) optimum of the posterior under the priors, better than
    # random starts
    kernel = learner.kernel
    objective = NegativeLogPosterior(kernel, X, normalised(y)[2], priors=KERNEL_PRIORS)
    value, gradient = objective(kernel.theta)
    inside = np.all(np.abs(kernel.theta - kernel.bounds.T) > 1e-3, axis=0)
    assert np.abs(gradient[inside]).max() < 1e-2
    starts = np.random.RandomState(1)
    for _ in range(5):
        assert value <= objective(starts.uniform(*kernel.bounds.T))[0]


def test_refits_with_one_kernel_are_independent_models(fitted_gp):
    kernel, X, y, predicted = fitted_gp
    before = kernel.theta.copy()
    learner = GaussianProcessLearner(kernel, priors=KERNEL_PRIORS)
    first = learner.fit(X[:20], y[:20])
    expected_first = first.predict(predicted, return_std=True)
    learnt = learner.kernel
    # 29 observations, fewer than half as many again: the kernel is kept
    second = learner.fit(X[:29], y[:29])
    assert learner.kernel is learnt
    for ours, theirs in zip(first.predict(predicted, return_std=True), expected_first):
        np.testing.assert_array_equal(ours, theirs)
    fresh = GaussianProcess(learnt).fit(X[:29], y[:29])
    for ours, theirs in zip(
        second.predict(predicted, return_std=True),
        fresh.predict(predicted, return_std=True),
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    # the lies of a batch teach the kernel nothing
    learner.fit(X, y, learn_kernel=False)
    assert learner.kernel is learnt
    np.testing.assert_array_equal(kernel.theta, before)


def test_a_noise_level_given_as_a_number_stays_fixed():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(30, 1))
    y = np.sin(6 * X[:, 0]) + rng.normal(scale=0.3, size=30)
    learner = GaussianProcessLearner(
        with_noise(ConstantKernel(1.0) * Matern(length_scale=1.0, nu=2.5), 0.1)
    )
    for n in range(3, 31):
        model = learner.fit(X[:n], y[:n], rng)
    # refined from the kernel learnt with random restarts (at 12 observations)
    assert learner.n_at_restarts == 12 < learner.n_at_kernel_fit
    noise = learner.kernel.get_params()["k2"]
    assert noise.noise_level == 0.1
    assert noise.noise_level_bounds == "fixed"
    assert model.noise_level == 0.1


def test_a_gaussian_process_given_is_fitted_by_its_own_fit():
    gp = GaussianProcessRegressor(
        kernel=ConstantKernel(1.0) * Matern(length_scale=1.0, nu=2.5),
        noise=0.1,
        normalize_y=True,
    )
    optimizer = Optimizer(
        [Real(0.0, 1.0)], base_estimator=gp, random_state=0, n_initial_points=3
    )
    _ask_and_tell(optimizer, 8, lambda p: float(np.sin(6 * p[0])))
    result = optimizer.result()
    (model,) = result.models
    assert type(model) is GaussianProcessRegressor
    assert model.get_params()["noise"] == 0.1
    assert not hasattr(gp, "X_train_")
    X = np.asarray(result.space.transform(result.x_iters))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = clone(gp).fit(X, surrogate_targets(result.func_vals))
    np.testing.assert_allclose(model.predict(X), expected.predict(X))


def test_nearly_repeated_points_are_fitted_with_a_little_more_noise():
    X = np.array([[0.1], [0.1], [0.1 + 1e-12], [0.5]])
    kernel = ConstantKernel(1000.0) * Matern(length_scale=50.0)
    with pytest.raises(np.linalg.LinAlgError):
        SklearnGP(kernel=kernel, alpha=0.0, optimizer=None).fit(X, [1, 1, 1, 2])
    model = GaussianProcess(kernel, alpha=0.0).fit(X, [1.0, 1.0, 1.0, 2.0])
    mean, std = model.predict(X, return_std=True)
    np.testing.assert_allclose(mean, [1.0, 1.0, 1.0, 2.0], atol=1e-5)
    assert np.all(std < 1e-3)


def test_dropping_the_covariance_keeps_the_predictions(fitted_gp):
    kernel, X, y, predicted = fitted_gp
    model = GaussianProcess(kernel).fit(X, y)
    expected = model.predict(predicted, return_std=True)
    model.drop_covariance()
    assert model.cholesky_ is None
    for ours, theirs in zip(model.predict(predicted, return_std=True), expected):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


# The first 9 candidates of an SVC search: log10 C, log10 gamma, kernel, accuracy
SVC_START = [
    (1.32, -0.35, "sigmoid", 0.8685),
    (1.27, -2.88, "rbf", 0.9671),
    (-0.22, -2.31, "sigmoid", 0.9460),
    (0.80, -1.07, "rbf", 0.9531),
    (2.15, -4.96, "rbf", 0.9460),
    (0.05, -0.40, "rbf", 0.8498),
    (0.09, -4.91, "rbf", 0.6268),
    (2.89, -0.39, "rbf", 0.8451),
    (-1.97, -1.00, "sigmoid", 0.9249),
]


def test_default_surrogate_learns_from_a_search_start():
    # By likelihood alone, the kernel learnt on these points' scores calls
    # all of their differences noise (its amplitude on its lower bound) and
    # predicts the same value everywhere; under the default priors, on the
    # warped values, the surrogate follows them.
    dimensions = [
        Real(1e-2, 1e3, prior="log-uniform"),
        Real(1e-5, 1.0, prior="log-uniform"),
        Categorical(["rbf", "sigmoid"]),
    ]
    points = [[10**c, 10**g, kernel] for c, g, kernel, _ in SVC_START]
    y = np.array([-score for *_, score in SVC_START])
    targets = surrogate_targets(y)
    predictions = {}
    for name, surrogate in [
        ("default", "GP"),
        ("given", cook_estimator("GP", space=dimensions)),
    ]:
        optimizer = Optimizer(
            dimensions, base_estimator=surrogate, n_initial_points=6, random_state=0
        )
        optimizer.tell(points, y.tolist())
        (model,) = optimizer.result().models
        X = optimizer.space.transform(points)
        predictions[name] = model.predict(X)
        if name == "given":
            # learnt by likelihood alone, as scikit-optimize does
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = clone(surrogate).fit(X, targets).predict(X)
            np.testing.assert_allclose(predictions[name], expected)
        else:
            # scikit-optimize's kernel, with its noise term
            expected = default_kernel(optimizer.space)
            assert repr(model.kernel.clone_with_theta(expected.theta)) == repr(expected)
    assert np.corrcoef(predictions["default"], targets)[0, 1] > 0.9
    assert np.ptp(predictions["default"]) / np.ptp(targets) > 0.3
    assert not np.allclose(predictions["given"], predictions["default"], atol=1e-3)


def test_the_default_surrogate_learns_its_kernel_under_the_priors():
    optimizer = Optimizer(
        [Real(0.0, 1.0), Real(0.0, 1.0)], random_state=0, n_initial_points=5
    )
    noise = np.random.RandomState(0)
    _ask_and_tell(
        optimizer,
        27,
        lambda x: float(np.sin(6 * x[0]) + x[1] + noise.normal(scale=0.01)),
    )
    # at 27 observations, learnt from random starts to convergence: an
    # optimum of the posterior, not of the likelihood
    result = optimizer.result()
    kernel = result.models[-1].kernel
    X = np.asarray(result.space.transform(result.x_iters))
    y = normalised(surrogate_targets(result.func_vals))[2]
    _, gradient = NegativeLogPosterior(kernel, X, y, priors=KERNEL_PRIORS)(kernel.theta)
    inside = np.all(np.abs(kernel.theta - kernel.bounds.T) > 1e-3, axis=0)
    assert np.abs(gradient[inside]).max() < 1e-2
    likelihood = NegativeLogPosterior(kernel, X, y)(kernel.theta)[1]
    assert np.abs(likelihood[inside]).max() > 1e-2


def test_gradient_boosting_surrogate_is_a_regressor():
    assert not is_regressor(GradientBoostingQuantileRegressor())
    assert is_regressor(GBRTSurrogate())
    rng = np.random.RandomState(0)
    X, y = rng.uniform(size=(40, 2)), rng.normal(size=40)
    mean, std = GBRTSurrogate(random_state=0).fit(X, y).predict(X, return_std=True)
    assert mean.shape == std.shape == (40,)
    assert np.all(std >= 0)


# -- the values learnt -----------------------------------------------------------


def test_only_far_outliers_are_compressed():
    rng = np.random.RandomState(0)
    y = np.concatenate([rng.normal(size=19), [1e6]])
    compressed = compress_far_outliers(y)
    np.testing.assert_array_equal(compressed[:-1], y[:-1])
    first, third = np.percentile(y, [25, 75])
    fence = third + 3 * (third - first)
    assert fence < compressed[-1] < fence + 20 * (third - first)
    np.testing.assert_array_equal(np.argsort(compressed), np.argsort(y))
    # a well-behaved objective is learnt as it is
    np.testing.assert_array_equal(compress_far_outliers(y[:-1]), y[:-1])
    np.testing.assert_array_equal(compress_far_outliers([2.0, 1e9]), [2.0, 1e9])


def test_surrogate_targets_are_warped_towards_normal_in_the_same_order():
    rng = np.random.RandomState(0)
    # minus accuracies: most candidates near the best, a tail of bad ones
    y = -(1.0 - rng.gamma(1.0, 0.02, size=40))
    targets = surrogate_targets(y)
    np.testing.assert_array_equal(np.argsort(targets), np.argsort(y))
    assert targets.mean() == pytest.approx(0.0, abs=1e-12)
    assert targets.std() == pytest.approx(1.0)
    assert abs(stats.skew(targets)) < abs(stats.skew(y)) / 4
    # the units and offset of the score do not matter
    np.testing.assert_allclose(surrogate_targets(1000.0 * y - 7.0), targets)
    # the power is the most likely one, as scipy finds it (within the grid's step)
    z = (y - y.mean()) / y.std()
    expected = stats.yeojohnson(z)[0]
    expected = (expected - expected.mean()) / expected.std()
    np.testing.assert_allclose(targets, expected, atol=0.05)
    # equal values, or too few to warp, are learnt as they are
    np.testing.assert_array_equal(surrogate_targets([-1.0] * 7), [-1.0] * 7)
    np.testing.assert_array_equal(surrogate_targets([0.5, -0.5]), [0.5, -0.5])


def test_a_failure_is_worse_than_every_success_by_half_their_spread():
    values = failures_as_poor([1.0, np.nan, 3.0, np.nan])
    np.testing.assert_array_equal(values, [1.0, 4.0, 3.0, 4.0])
    # at least a thousandth of the worst value's magnitude
    np.testing.assert_array_equal(
        failures_as_poor([-2000.0, np.nan]), [-2000.0, -1998.0]
    )
    np.testing.assert_array_equal(failures_as_poor([0.5, np.nan]), [0.5, 0.501])
    assert failures_as_poor([np.nan, np.nan]) is None


def test_failures_are_learnt_as_poor_values_derived_at_each_fit():
    optimizer = Optimizer([Real(0.0, 1.0)], random_state=0, n_initial_points=3)
    # while no value is finite, nothing is fitted and the points are random
    optimizer.tell(optimizer.ask(3), [np.nan] * 3)
    assert optimizer.result().models == []
    np.testing.assert_array_equal(optimizer.result().func_vals, [0.0, 0.0, 0.0])
    assert len(optimizer.ask(2)) == 2
    optimizer.tell(optimizer.ask(2), [1.0, 2.0])
    np.testing.assert_array_equal(optimizer.result().func_vals, [2.5] * 3 + [1, 2])
    # the poor value moves with the values told, so that it stays the worst
    optimizer.tell(optimizer.ask(), [10.0])
    result = optimizer.result()
    np.testing.assert_array_equal(result.func_vals, [14.5] * 3 + [1, 2, 10])
    (model,) = result.models
    X = np.asarray(result.space.transform(result.x_iters))
    expected = GaussianProcess(model.kernel).fit(X, surrogate_targets(result.func_vals))
    np.testing.assert_allclose(model.predict(X), expected.predict(X))
    assert np.argmax(model.predict(X)) < 3


# -- coordinates and the pool ----------------------------------------------------


def test_transform_is_scikit_optimize_transform():
    space = _space()
    points = space.rvs(50, random_state=1)
    np.testing.assert_allclose(
        Coordinates(space).transform(points), space.transform(points)
    )


@pytest.mark.parametrize("continuous", [False, True], ids=["pool", "polished"])
def test_decoding_is_scikit_optimize_inverse_transform(continuous):
    dimensions = [
        *DIMENSIONS,
        Categorical([True, False]),
        Integer(2, 500, prior="log-uniform"),
        Real(-1.0, 1.0),
    ]
    space = Space(normalize_dimensions(dimensions))
    coordinates = Coordinates(space)
    rows = coordinates.sample(300, np.random.RandomState(0))
    if continuous:
        # rows that L-BFGS moved: categories between their table rows
        rows = rows + np.random.RandomState(0).uniform(-0.3, 0.3, rows.shape)
        low, high = np.asarray(space.transformed_bounds).T
        rows = np.clip(rows, low, high)
    decoded = coordinates.decode(rows)
    expected = space.inverse_transform(rows)
    assert decoded == expected
    for ours, theirs in zip(decoded, expected):
        for dimension, value, other in zip(dimensions, ours, theirs):
            if isinstance(dimension, Categorical):
                # the category itself, where scikit-optimize gives numpy's copy
                assert any(value is category for category in dimension.categories)
            else:
                assert type(value) is type(other)


@pytest.mark.parametrize("normalise", [True, False], ids=["normalised", "identity"])
def test_pool_samples_follow_the_priors(normalise):
    dimensions = [Integer(1, 3), Real(1e-3, 1e3, prior="log-uniform"), Real(-2.0, 2.0)]
    space = Space(normalize_dimensions(dimensions) if normalise else dimensions)
    rows = Coordinates(space).sample(6000, np.random.RandomState(0))
    points = space.inverse_transform(rows)
    # integers evenly, each at its own transformed value
    counts = np.bincount([point[0] for point in points], minlength=4)[1:]
    assert counts.min() > 1800
    np.testing.assert_array_equal(rows[:, 0], space.transform(points)[:, 0])
    # a log-uniform prior is uniform in the logarithm, a uniform one in the value
    for column, expected in (
        (1, stats.loguniform(1e-3, 1e3)),
        (2, stats.uniform(-2, 4)),
    ):
        values = np.array([point[column] for point in points])
        assert stats.kstest(values, expected.cdf).pvalue > 1e-3


def test_one_redrawn_rows_differ_from_the_point_in_one_dimension():
    dimensions = [
        Real(1e-3, 1e3, prior="log-uniform"),
        Categorical(["p", "q", "r"]),
        Integer(1, 9),
        Real(0.0, 1.0),
    ]
    space = Space(normalize_dimensions(dimensions))
    point = [0.1, "q", 5, 0.5]
    coordinates = Coordinates(space, fixed={3: 0.5})
    rows = coordinates.one_redrawn(point, 3000, np.random.RandomState(0))
    assert rows.shape == (3000, coordinates.n_columns)
    # every row a valid point: a category's columns are one of its rows
    points = coordinates.decode(rows)
    np.testing.assert_allclose(coordinates.transform(points), rows)
    changed = np.array([[a != b for a, b in zip(p, point)] for p in points])
    assert changed.sum(axis=1).max() == 1
    # the fixed dimension is never redrawn; each other one about a third of the
    # time, and then from its prior (a category other than the point's 2/3)
    assert not changed[:, 3].any()
    assert np.all(changed[:, :3].mean(axis=0) > 0.2)
    redrawn = [p[0] for p, c in zip(points, changed) if c[0]]
    assert stats.kstest(redrawn, stats.loguniform(1e-3, 1e3).cdf).pvalue > 1e-3


def test_one_redrawn_rows_of_a_fixed_space_are_the_point():
    coordinates = Coordinates(Space([Real(0.0, 1.0)]), fixed={0: 0.25})
    rows = coordinates.one_redrawn([0.25], 5, np.random.RandomState(0))
    np.testing.assert_array_equal(rows, 0.25)


def test_pool_is_in_the_transformed_bounds():
    space = _space()
    coordinates = Coordinates(space)
    np.testing.assert_array_equal(coordinates.bounds, space.transformed_bounds)
    centres = coordinates.transform(space.rvs(8, random_state=2))
    rows = pool(coordinates, 1000, np.random.RandomState(0), centres)
    assert rows.shape == (1000, coordinates.n_columns)
    bounds = np.asarray(space.transformed_bounds)
    assert np.all(rows >= bounds[:, 0] - 1e-12)
    assert np.all(rows <= bounds[:, 1] + 1e-12)


def test_local_pool_points_switch_a_category_now_and_then():
    space = Space(normalize_dimensions([Real(0.0, 1.0), Categorical(["p", "q", "r"])]))
    coordinates = Coordinates(space)
    centres = coordinates.transform([[0.5, "p"]])
    rows = pool(coordinates, 4000, np.random.RandomState(0), centres)
    local = [point[1] for point in coordinates.decode(rows[2000:])]
    # switched with probability 0.2, to a category drawn from the prior
    assert 0.1 < np.mean([category != "p" for category in local]) < 0.17


def test_local_pool_points_of_an_integer_are_integers():
    coordinates = Coordinates(Space(normalize_dimensions([Integer(1, 7), Real(0, 1)])))
    centres = coordinates.transform([[1, 0.1], [4, 0.5], [7, 0.9], [3, 0.3]])
    rows = pool(coordinates, 600, np.random.RandomState(0), centres)
    np.testing.assert_allclose(rows[:, 0] * 6, np.round(rows[:, 0] * 6), atol=1e-12)


def test_points_near_a_best_point_on_a_bound_are_not_that_point():
    # The local part of the pool moves the best points; on a bound, clipped
    # moves would land on the point itself half of the time.
    coordinates = Coordinates(Space([Real(0.0, 1.0)]))
    centres = np.array([[0.0], [0.5], [1.0], [0.2]])
    rows = pool(coordinates, 1000, np.random.RandomState(0), centres)
    assert np.all((rows >= 0.0) & (rows <= 1.0))
    assert np.mean(rows[:, 0] == 0.0) < 0.01
    # half of the pool is moved from the centres, the rest drawn at random
    assert np.mean(np.abs(rows[500:, 0] - 0.0) < 0.35) > 0.2


def test_points_near_a_bound_are_now_and_then_on_it():
    # A step past the bound (31% of the steps of a tenth of the range from
    # 0.95) stops on it half of the time: a best value on a bound is reached.
    coordinates = Coordinates(Space([Real(0.0, 1.0)]))
    rows = pool(coordinates, 1000, np.random.RandomState(0), np.array([[0.95]]))
    local = rows[500:, 0]
    assert 0.1 < np.mean(local == 1.0) < 0.21
    # the other steps past it are reflected into the range
    assert np.mean((local > 0.95) & (local < 1.0)) > 0.2


def test_pool_shrinks_as_predictions_get_dearer():
    # min(2000, 300 + 200 per coordinate), as 1e5 / observations, >= 300
    assert pool_size(1, 3) == 900
    assert pool_size(1, 12) == pool_size(50, 12) == 2000
    assert pool_size(200, 12) == 500
    assert pool_size(1000, 12) == 300


def test_best_first_yields_every_index_once_smallest_first():
    values = np.random.RandomState(0).permutation(np.repeat(np.arange(50.0), 2))
    chunks = list(best_first(values, first=16))
    assert [len(chunk) for chunk in chunks] == [16, 84]
    order = np.concatenate(chunks)
    assert sorted(order) == list(range(100))
    np.testing.assert_array_equal(values[order], np.sort(values))


def test_rows_apart_differ_by_a_hundredth_of_some_coordinate():
    rows = np.array([[0.305, 0.0], [0.305, 1.0], [0.9, 0.0]])
    seen = np.array([[0.3, 0.0]])
    np.testing.assert_array_equal(
        apart_from(rows, seen, np.array([0.01, 0.01])), [False, True, True]
    )
    np.testing.assert_array_equal(apart_from(rows, seen[:0], 0.01), [True] * 3)


def test_acquisition_functions_are_scikit_optimize_ones():
    from skopt.acquisition import gaussian_ei, gaussian_lcb, gaussian_pi

    rng = np.random.RandomState(0)
    X, y = rng.uniform(size=(15, 2)), rng.normal(size=15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = _skopt_gp(ConstantKernel() * Matern(length_scale=[1.0, 1.0]))
        model.fit(X, y)
    points = rng.uniform(size=(50, 2))
    mean, std = model.predict(points, return_std=True)
    kwargs = {"xi": 0.05, "kappa": 2.5}
    y_opt = float(np.min(y))
    np.testing.assert_allclose(
        acquisition("EI", mean, std, y_opt, kwargs),
        -gaussian_ei(points, model, y_opt, xi=0.05),
    )
    np.testing.assert_allclose(
        acquisition("PI", mean, std, y_opt, kwargs),
        -gaussian_pi(points, model, y_opt, xi=0.05),
    )
    np.testing.assert_allclose(
        acquisition("LCB", mean, std, y_opt, kwargs),
        gaussian_lcb(points, model, kappa=2.5),
    )
    # per second: times the expected inverse fit time, exp(-mean + std**2 / 2)
    # of a log-normal time
    time_mean, time_std = rng.normal(size=50), rng.uniform(size=50)
    np.testing.assert_allclose(
        acquisition("EIps", mean, std, y_opt, kwargs, time_mean, time_std),
        acquisition("EI", mean, std, y_opt, kwargs)
        * np.exp(-time_mean + time_std**2 / 2),
    )


def test_lbfgs_polish_reaches_the_minimum_within_the_bounds():
    bounds = np.array([[0.0, 1.0], [0.0, 1.0]])
    target = np.array([0.3, 1.5])  # beyond the upper bound of the second

    def objective(rows):
        return ((rows - target) ** 2).sum(axis=1)

    starts = np.random.RandomState(0).uniform(size=(3, 2))
    reached = polish(objective, starts, bounds)
    np.testing.assert_allclose(reached, [[0.3, 1.0]] * 3, atol=1e-4)
    # added to the pool, every function evaluated there
    rows, values = polished(
        lambda rows: [objective(rows), -objective(rows)],
        starts,
        [objective(starts), -objective(starts)],
        bounds,
        n_starts=2,
    )
    assert rows.shape == (7, 2)
    np.testing.assert_allclose(values[0], objective(rows))
    np.testing.assert_allclose(values[1], -objective(rows))


def test_hedge_prefers_the_function_whose_points_were_best():
    hedge = Hedge()
    rng = np.random.RandomState(0)
    assert {hedge.choose(rng) for _ in range(50)} == {0, 1, 2}

    class Predicts:
        def predict(self, X):
            return X[:, 0]

    hedge.candidates = [np.array([1.0]), np.array([-3.0]), np.array([2.0])]
    hedge.learn(Predicts())
    np.testing.assert_array_equal(hedge.gains, [-1.0, 3.0, -2.0])
    chosen = [hedge.choose(rng) for _ in range(200)]
    assert chosen.count(1) > 0.9 * len(chosen)


def test_gp_hedge_predicts_once_for_its_three_functions(monkeypatch):
    calls = []
    predict = GaussianProcess.predict

    def counting(self, X, return_std=False):
        calls.append(len(X))
        return predict(self, X, return_std)

    optimizer = _ask_and_tell(
        Optimizer(DIMENSIONS, random_state=0, n_initial_points=4), 5
    )
    monkeypatch.setattr(GaussianProcess, "predict", counting)
    optimizer.ask()
    assert len(calls) == 1
    optimizer.tell(optimizer.ask(), [0.0])
    # the gains learn from the next surrogate, at the three functions' points
    assert calls[-1] == 3


# -- proposals ---------------------------------------------------------------------


def test_the_lies_of_a_batch_are_forgotten():
    coordinates = Coordinates(Space([Integer(0, 4), Categorical(["a", "b"])]))
    grid = FiniteGrid(coordinates)
    told = Observations(coordinates, tuple, grid)
    told.add([[0, "a"], [1, "b"]], [1.0, np.nan])
    assert told.lie("cl_min") == (1.0, pytest.approx(np.log(np.finfo(float).max)))
    mark = told.mark()
    told.add([[2, "a"]], [told.lie("cl_max")[0]])
    assert told.values[-1] == 1.001
    assert (2, "a") in told.keys
    assert grid.free.sum() == 7
    told.forget_since(mark)
    assert len(told) == len(told.rows) == len(told.points) == 2
    assert told.keys == {(0, "a"), (1, "b")}
    assert grid.free.sum() == 8
    np.testing.assert_array_equal(told.shown_values(), [1.0, 1.001])


def test_proposals_do_not_depend_on_the_units_of_the_score():
    def proposals(scale, offset):
        noise = np.random.RandomState(0)

        def objective(point):
            value = np.log10(point[0]) ** 2 + point[1] / 9 + noise.normal(scale=0.1)
            return scale * value + offset

        optimizer = Optimizer(DIMENSIONS, random_state=0, n_initial_points=4)
        return _ask_and_tell(optimizer, 12, objective).result().x_iters

    # the acquisition functions add xi = 0.01 in the units of the values; on
    # the warped values it means the same for any units
    assert proposals(1.0, 0.0) == proposals(1e-3, 5.0) == proposals(100.0, -3.0)


def test_proposals_are_apart_from_every_point_seen():
    optimizer = Optimizer(
        [Real(0.0, 1.0), Categorical(["a", "b"])],
        random_state=0,
        n_initial_points=4,
        acq_func="EI",
    )
    distances = []
    for _ in range(25):
        (x,) = optimizer.ask()
        seen = [p for p in optimizer.result().x_iters if p[1] == x[1]]
        if seen:
            distances.append(np.min(np.abs(np.array([p[0] for p in seen]) - x[0])))
        # a sharp optimum, which pure exploitation would sample again and again
        optimizer.tell([x], [float(abs(x[0] - 0.3) ** 0.5 + (x[1] == "b"))])
    assert min(distances) >= RESOLUTION
    # and closes in on it: steps finer than a hundredth of the range
    assert sum(distance < 0.01 for distance in distances) >= 3
    closest = min(abs(p[0] - 0.3) for p in optimizer.result().x_iters)
    assert closest < 0.005


@pytest.mark.parametrize("base_estimator", ["GP", "RF", "ET", "GBRT"])
def test_batches_are_distinct_and_the_optimizer_state_is_restored(base_estimator):
    optimizer = _ask_and_tell(
        Optimizer(
            DIMENSIONS,
            base_estimator=base_estimator,
            random_state=0,
            n_initial_points=4,
        ),
        6,
    )
    before = optimizer.result()
    batch = optimizer.ask(n_points=5)
    assert len({tuple(p) for p in batch}) == 5
    after = optimizer.result()
    assert optimizer.n_told == 6
    assert after.x_iters == before.x_iters
    np.testing.assert_array_equal(after.func_vals, before.func_vals)
    assert [id(m) for m in after.models] == [id(m) for m in before.models]
    assert not {tuple(p) for p in before.x_iters} & {tuple(p) for p in batch}


def test_a_point_taken_by_the_search_is_never_proposed():
    taken = {(x, c) for x in range(10) for c in "ab" if (x + (c == "b")) % 2}
    optimizer = Optimizer(
        [Integer(0, 9), Categorical(["a", "b"])],
        random_state=0,
        n_initial_points=3,
        is_taken=lambda point: tuple(point) in taken,
    )
    proposed = []
    while batch := optimizer.ask(n_points=3):
        proposed += batch
        optimizer.tell(batch, [float(p[0]) for p in batch])
    assert sorted(map(tuple, proposed)) == sorted(
        {(x, c) for x in range(10) for c in "ab"} - taken
    )


def test_finite_space_is_searched_exactly_and_exhausted():
    dimensions = [Integer(0, 4), Categorical(["a", "b"])]
    optimizer = Optimizer(dimensions, random_state=0, n_initial_points=3)
    assert len(FiniteGrid.of(Coordinates(optimizer.space)).points) == 10
    seen = set()
    rng = np.random.RandomState(0)
    while points := optimizer.ask():
        key = tuple(points[0])
        assert key not in seen
        seen.add(key)
        optimizer.tell(points, [float(rng.normal())])
    assert len(seen) == 10
    assert optimizer.ask(n_points=4) == []


def test_fixed_dimensions_are_set_on_every_proposal():
    optimizer = Optimizer(
        [Real(0.0, 1.0), Real(1.0, 100.0, prior="log-uniform")],
        random_state=0,
        n_initial_points=3,
        fixed={1: 100.0},
    )
    # told points may have other values there
    optimizer.tell([[0.2, 1.0], [0.7, 10.0], [0.5, 100.0]], [1.0, 0.5, 0.2])
    for _ in range(4):
        batch = optimizer.ask(n_points=3)
        assert [p[1] for p in batch] == [100.0] * 3
        optimizer.tell(batch, [float(p[0]) for p in batch])


def test_space_constraint_holds_for_every_proposal():
    optimizer = Optimizer(
        DIMENSIONS,
        random_state=0,
        n_initial_points=4,
        space_constraint=lambda point: point[1] > 6,
    )
    _ask_and_tell(optimizer, 12)
    assert all(point[1] > 6 for point in optimizer.result().x_iters)


@pytest.mark.parametrize(
    "dimensions", [DIMENSIONS, [Integer(0, 3), Categorical(["a", "b"])]]
)
def test_space_constraint_no_point_meets_is_refused(dimensions):
    with pytest.raises(ValueError, match="space_constraint is false at"):
        Optimizer(dimensions, random_state=0, space_constraint=lambda point: False)


def test_random_search_never_draws_a_point_twice():
    optimizer = Optimizer(
        [Integer(0, 5), Categorical(["a", "b"])], base_estimator="dummy", random_state=0
    )
    proposed = []
    while batch := optimizer.ask(n_points=5):
        proposed += batch
        optimizer.tell(batch, [0.0] * len(batch))
    assert len({tuple(p) for p in proposed}) == len(proposed) == 12
    assert optimizer.result().models == []


def test_initial_points_come_from_the_generator():
    from skopt.sampler import Sobol

    def optimizer():
        return Optimizer(
            [Real(0.0, 1.0), Real(0.0, 1.0)],
            base_estimator="RF",
            initial_point_generator="sobol",
            n_initial_points=4,
            random_state=0,
        )

    # seeded by the optimizer's random state, after the surrogate's seed
    seeds = np.random.RandomState(0).randint(0, np.iinfo(np.int32).max, size=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = Sobol().generate(
            optimizer().space.dimensions, 4, random_state=int(seeds[1])
        )
    assert optimizer().ask(n_points=4) == [list(point) for point in expected]
    one_by_one = optimizer()
    for point in expected:
        assert one_by_one.ask() == [list(point)]
        one_by_one.tell([point], [0.0])
    assert len(one_by_one.ask()) == 1


def test_only_the_newest_surrogate_is_kept_unless_asked():
    assert (
        len(_ask_and_tell(Optimizer(DIMENSIONS, n_initial_points=3), 6).result().models)
        == 1
    )
    kept = _ask_and_tell(
        Optimizer(DIMENSIONS, n_initial_points=3, model_queue_size=3), 6
    )
    assert len(kept.result().models) == 3


def test_per_second_functions_learn_the_log_fit_times():
    optimizer = Optimizer(
        [Real(0.0, 1.0)], acq_func="EIps", random_state=0, n_initial_points=3
    )
    with pytest.raises(ValueError, match="fit time"):
        optimizer.tell([[0.5]], [1.0])
    for _ in range(5):
        points = optimizer.ask()
        optimizer.tell(points, [float(points[0][0])], [1.0 + 10 * points[0][0]])
    result = optimizer.record().result()
    np.testing.assert_allclose(
        result.log_time, np.log([1.0 + 10 * p[0] for p in result.x_iters])
    )
    (model,) = result.models
    assert model.predict(result.space.transform([[0.5]])).shape == (1, 2)


def test_result_feeds_scikit_optimize_callbacks():
    optimizer = Optimizer([Real(0.0, 1.0)], random_state=0, n_initial_points=3)
    assert optimizer.result().x_iters == []
    assert optimizer.record() is None
    optimizer.tell([[0.1], [0.2], [0.3]], [1.0, 1.0, 1.0])
    assert DeltaYStopper(delta=0.01, n_best=3)(optimizer.result())
    optimizer.tell([[0.4]], [0.5])
    assert not DeltaYStopper(delta=0.01, n_best=3)(optimizer.result())


def test_surrogate_work_runs_blas_on_one_thread(monkeypatch):
    # Waking a multi-threaded BLAS costs more than the surrogate's small
    # matrices need; the caller's setting is restored afterwards.
    from threadpoolctl import threadpool_info, threadpool_limits

    if not any(info["user_api"] == "blas" for info in threadpool_info()):
        pytest.skip("no BLAS library that threadpoolctl controls")
    seen = []

    def recording(method):
        def recorded(self, *args, **kwargs):
            seen.extend(
                info["num_threads"]
                for info in threadpool_info()
                if info["user_api"] == "blas"
            )
            return method(self, *args, **kwargs)

        return recorded

    monkeypatch.setattr(GaussianProcess, "fit", recording(GaussianProcess.fit))
    monkeypatch.setattr(GaussianProcess, "predict", recording(GaussianProcess.predict))
    optimizer = Optimizer(DIMENSIONS, random_state=0, n_initial_points=3)
    with threadpool_limits(limits=2, user_api="blas"):
        _ask_and_tell(optimizer, 5)
        optimizer.ask(n_points=3)
        after = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert seen
    assert set(seen) == {1}
    assert set(after) == {2}


# -- the record ---------------------------------------------------------------------


@pytest.mark.parametrize("base_estimator", ["GP", "RF", "ET", "GBRT", "dummy"])
def test_record_rebuilds_what_the_optimizer_would_report(base_estimator):
    optimizer = Optimizer(
        DIMENSIONS,
        base_estimator=base_estimator,
        random_state=0,
        n_initial_points=4,
        model_queue_size=2,
    )
    rng = np.random.RandomState(0)
    for values in (rng.normal(size=5), [np.nan], rng.normal(size=3)):
        optimizer.tell(optimizer.ask(n_points=len(values)), values)
    expected = optimizer.result()
    result = optimizer.record().result()
    assert result.x_iters == expected.x_iters
    np.testing.assert_array_equal(result.func_vals, expected.func_vals)
    assert np.isfinite(result.func_vals).all()
    assert result.x == expected.x
    assert result.fun == expected.fun
    assert result.space == expected.space
    assert len(result.models) == len(expected.models)
    assert len(result.models) == (0 if base_estimator == "dummy" else 2)
    points = np.asarray(
        optimizer.space.transform(optimizer.space.rvs(50, random_state=1))
    )
    # The optimizer's surrogates learnt warped values; the result's learn the
    # values told (for plots in the score's units), with the same kernel, on
    # the observations each had learnt: 6, then 9.
    for model, learnt, n in zip(result.models, expected.models, [6, 9]):
        X = np.asarray(optimizer.space.transform(expected.x_iters[:n]))
        values = compress_far_outliers(
            failures_as_poor(np.concatenate([expected.func_vals[:5], [np.nan]]))
            if n == 6
            else expected.func_vals[:n]
        )
        refit = clone(learnt).fit(X, values)
        np.testing.assert_allclose(model.predict(points), refit.predict(points))
        if base_estimator == "GP":
            assert model.cholesky_ is None
            assert repr(model.kernel) == repr(learnt.kernel)


def test_record_keeps_a_few_bytes_per_candidate():
    optimizer = _ask_and_tell(
        Optimizer(DIMENSIONS, random_state=0, n_initial_points=4), 40
    )
    record = optimizer.record()
    assert isinstance(record, OptimizerRecord)
    stored = sum(column.nbytes for column in record.columns) + record.yi.nbytes
    # a float, an integer, two category indices and the value told
    assert stored == 40 * (8 + 8 + 1 + 1 + 8)


def test_initial_points_for_a_budget():
    assert [initial_points_for(b) for b in (1, 3, 5, 20, 26, 50, 200)] == [
        1,
        3,
        5,
        5,
        6,
        10,
        10,
    ]


def test_a_search_starts_from_a_latin_hypercube_unless_told_otherwise():
    assert initial_design({}, 32) == {
        "n_initial_points": 7,
        "initial_point_generator": "lhs",
    }
    given = {"n_initial_points": 3, "initial_point_generator": "sobol", "xi": 1}
    assert initial_design(given, 32) == given
    assert initial_design({"initial_point_generator": "random"}, 100) == {
        "n_initial_points": 10,
        "initial_point_generator": "random",
    }


@pytest.mark.parametrize("n_points", [1, 2, 7, 10])
def test_a_latin_hypercube_has_one_point_in_each_stratum_of_each_dimension(
    n_points,
):
    space = Space(
        [Real(0, 1), Real(1e-4, 1, prior="log-uniform"), Real(-5, 5), Integer(0, 99)]
    )
    points = maximin_latin_hypercube(space, n_points, np.random.RandomState(0))
    assert len(points) == n_points
    assert all(p in space for p in points)
    columns = np.array(points, dtype=float).T
    unit = [columns[0], np.log10(columns[1]) / 4 + 1, (columns[2] + 5) / 10]
    for values in unit:
        strata = np.floor(values * n_points).astype(int)
        assert sorted(strata) == list(range(n_points))
    # integers: each stratum's share of the values
    assert sorted(columns[3] * n_points // 100) == list(range(n_points))
    # the name a user gives reaches the same design
    again = initial_points(space, "LHS", n_points, np.random.RandomState(0))
    assert again == points


def test_the_latin_hypercube_kept_is_the_most_spread():
    space = Space([Real(0, 1)] * 4)

    def closest_pair(points):
        points = np.array(points)
        gaps = points[:, None] - points[None]
        distances = np.sqrt((gaps**2).sum(-1))
        return distances[np.triu_indices(len(points), 1)].min()

    seeds = range(20)
    kept = [
        closest_pair(maximin_latin_hypercube(space, 8, np.random.RandomState(s)))
        for s in seeds
    ]
    single = [
        closest_pair(
            maximin_latin_hypercube(space, 8, np.random.RandomState(s), n_designs=1)
        )
        for s in seeds
    ]
    assert min(kept) > np.median(single)
    # 30 dimensions x 60 points: designs compared 4 at a time, the first 4
    # drawn as a search of 4 designs draws them; the best of all chunks is kept
    wide = Space([Real(0, 1)] * 30)
    first_chunk = maximin_latin_hypercube(wide, 60, np.random.RandomState(0), 4)
    every_chunk = maximin_latin_hypercube(wide, 60, np.random.RandomState(0))
    assert closest_pair(every_chunk) > closest_pair(first_chunk)


def test_the_latin_hypercube_gives_categories_their_shares():
    space = Space([Categorical(["a", "b", "c"]), Real(0, 1)])
    points = maximin_latin_hypercube(space, 6, np.random.RandomState(1))
    # each category as often: rounding would give "b" twice the ends' share
    assert sorted(p[0] for p in points) == ["a", "a", "b", "b", "c", "c"]
    assert all(type(p[0]) is str for p in points)
    weighted = Space([Categorical(["a", "b"], prior=[0.75, 0.25]), Real(0, 1)])
    points = maximin_latin_hypercube(weighted, 8, np.random.RandomState(1))
    assert sorted(p[0] for p in points) == ["a"] * 6 + ["b"] * 2


def test_the_latin_hypercube_keeps_integer_and_real_types():
    space = Space(
        [
            Integer(1, 1000, prior="log-uniform"),
            Real(0, 10, dtype=np.float32),
            Real(1, 2),
        ]
    )
    points = maximin_latin_hypercube(space, 5, np.random.RandomState(0))
    assert all(p in space for p in points)
    assert all(isinstance(p[0], int) and isinstance(p[2], float) for p in points)
    assert all(type(p[1]) is np.float32 for p in points)
    log_fifths = sorted(int(np.log10(p[0]) / 3 * 5) for p in points)
    assert log_fifths == [0, 1, 2, 3, 4]


def test_improvements_count_from_a_thousandth_of_the_range():
    # 9.995 is no improvement on 10 over a range of 10
    values = [20.0, 10.0, 12.0, 9.995, 15.0]
    assert since_improvement(values, 1e-3) == 3
    assert since_improvement([*values, 9.0], 1e-3) == 0
    assert since_improvement([np.nan, np.nan], 1e-3) == 2
    assert since_improvement([3.0], 1e-3) == 0


def test_a_stalled_search_tries_the_best_point_with_another_category():
    optimizer = Optimizer(
        [Real(0.0, 1.0), Categorical(["a", "b", "c"])],
        random_state=0,
        n_initial_points=4,
    )
    # "c" was only seen far from the best value of x: the surrogate thinks it bad
    optimizer.tell(
        [[0.1, "a"], [0.5, "b"], [0.9, "c"], [0.3, "a"]], [1.0, 2.0, 9.0, 0.5]
    )
    proposed = []
    for _ in range(STAGNATION_PATIENCE + 1):
        (point,) = optimizer.ask()
        proposed.append(point)
        optimizer.tell([point], [0.5])  # no improvement
    # the stalled search's next proposal is the best point, category changed
    explored = proposed[-1]
    assert since_improvement([1.0, 2.0, 9.0, 0.5] + [0.5] * 3, IMPROVEMENT) == (
        STAGNATION_PATIENCE
    )
    assert explored[0] == 0.3
    assert explored[1] in ("b", "c")


def test_a_stalled_search_without_categories_explores_where_it_knows_least():
    optimizer = Optimizer([Real(0.0, 1.0)], random_state=0, n_initial_points=6)
    seen = [0.4, 0.44, 0.48, 0.52, 0.56, 0.6]
    values = [1.0, 1.0, 0.5, 1.0, 1.0, 1.0]
    optimizer.tell([[x] for x in seen], values)
    # three values since the best: the next proposal explores
    assert since_improvement(values, IMPROVEMENT) == STAGNATION_PATIENCE
    (explored,) = optimizer.ask()
    # the most uncertain of random points: far from every point seen
    assert min(abs(explored[0] - x) for x in seen) > 0.2


def test_a_stalled_search_explores_along_one_axis_from_the_best_point():
    # the search has stalled around its best point, (0.5, 0.5)
    optimizer = Optimizer(
        [Real(0.0, 1.0), Real(0.0, 1.0)], random_state=0, n_initial_points=6
    )
    seen = [[0.9, 0.9], [0.1, 0.9], [0.5, 0.5], [0.52, 0.5], [0.5, 0.52], [0.48, 0.5]]
    values = [2.0, 2.0, 0.5, 1.0, 1.0, 1.0]
    optimizer.tell(seen, values)
    # three values since the best: the next proposal explores
    assert since_improvement(values, IMPROVEMENT) == STAGNATION_PATIENCE
    (explored,) = optimizer.ask()
    # one coordinate of the best point kept, the other far from it
    kept = [abs(x - 0.5) < 1e-12 for x in explored]
    assert sum(kept) == 1
    assert abs(explored[kept.index(False)] - 0.5) > 0.1


@pytest.mark.parametrize(("last", "explorations"), [(0.1, 0), (0.5, 2)])
def test_a_batch_explores_only_once_the_search_has_stalled(last, explorations):
    optimizer = Optimizer([Real(0.0, 1.0)], random_state=0, n_initial_points=5)
    # the last value improves on the best, or is the third in a row not to
    optimizer.tell([[0.1], [0.3], [0.5], [0.7], [0.9]], [1.0, 0.5, 0.6, 0.7, last])
    explored = []
    explore = optimizer._explore

    def recording(model, told, spacing):
        explored.append(True)
        return explore(model, told, spacing)

    optimizer._explore = recording
    assert len(optimizer.ask(n_points=8)) == 8
    # stalled: every fourth candidate, counting those of the batch before
    assert len(explored) == explorations


def test_plateau_ties_count_the_repeated_values_since_the_best():
    # since the best (1.0): 1.0 ties it, 1.5 ties nothing, 2.0 ties the third
    assert plateau_ties([3.0, 2.0, 2.0, 2.5, 1.0, 1.0, 1.5, 2.0], 1e-3) == 2
    # a new best resets the count; distinct values never tie
    assert plateau_ties([2.0, 2.0, 1.0], 1e-3) == 0
    assert plateau_ties([3.0, 2.0, 2.1, 2.2], 1e-3) == 0
    assert plateau_ties([1.0, np.nan, np.nan], 1e-3) == 0


def test_plateau_ties_are_those_of_each_value_with_the_earlier_ones():
    rng = np.random.RandomState(0)
    for _ in range(50):
        values = rng.randint(0, 6, size=rng.randint(1, 30)) / 7.0
        values[rng.rand(len(values)) < 0.1] = np.nan
        since = since_improvement(values, IMPROVEMENT)
        expected = sum(
            bool(np.any(values[:i] == values[i]))
            for i in range(len(values) - since, len(values))
        )
        assert plateau_ties(values, IMPROVEMENT) == expected


@pytest.mark.parametrize("plateau", [False, True])
def test_on_a_plateau_proposals_keep_further_from_the_points_seen(plateau):
    optimizer = Optimizer([Real(0.0, 1.0)], random_state=0, n_initial_points=6)
    seen = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    # the best at 0.1, then four values that tie it, or four that differ
    values = [1.0, 0.5, 0.5, 0.5, 0.5, 0.5] if plateau else [1, 0.5, 0.6, 0.7, 0.8, 0.9]
    optimizer.tell([[x] for x in seen], values)
    spacing = optimizer._spacing(optimizer._told.shown_values())
    if plateau:
        assert plateau_ties(values, IMPROVEMENT) == PLATEAU_STEPS
        assert spacing == pytest.approx(RESOLUTION * PLATEAU_WIDENING**PLATEAU_STEPS)
    else:
        assert spacing == pytest.approx(RESOLUTION)
    (point,) = optimizer.ask()
    assert min(abs(point[0] - x) for x in seen) >= spacing


def test_a_batch_believes_the_surrogate_at_each_point():
    optimizer = Optimizer([Real(-1.0, 1.0)], random_state=0, n_initial_points=6)
    seen = [-1.0, -0.6, -0.2, 0.2, 0.6, 1.0]
    optimizer.tell([[x] for x in seen], [x**2 for x in seen])
    # where a value was told the surrogate expects it; between, in between
    assert optimizer._belief([0.6]) == pytest.approx(0.36, abs=0.05)
    assert 0.04 - 0.05 < optimizer._belief([0.4]) < 0.36 + 0.05
    points = optimizer.ask(n_points=4)
    assert len({point[0] for point in points}) == 4


def test_ask_names_the_strategies():
    optimizer = Optimizer([Real(0.0, 1.0)], random_state=0)
    with pytest.raises(ValueError, match="'believer', 'cl_min', 'cl_mean' or 'cl_max'"):
        optimizer.ask(n_points=2, strategy="kb")
    for strategy in ("believer", "cl_min", "cl_mean", "cl_max"):
        assert len(optimizer.ask(n_points=2, strategy=strategy)) == 2


def test_past_the_limit_the_best_half_the_recent_and_a_spread_are_learnt():
    values = np.random.RandomState(0).permutation(100).astype(float)
    np.testing.assert_array_equal(learnt_rows(values, 100), np.arange(100))
    rows = learnt_rows(values, 20, recent=3)
    assert len(rows) == 20
    assert np.all(np.diff(rows) > 0)
    # the 3 last, the 10 best, and 7 others from the first told to the last
    assert {97, 98, 99} <= set(rows)
    assert set(np.argsort(values)[:10]) <= set(rows)
    rest = [row for row in rows if row < 97 and values[row] >= 10]
    assert len(rest) == 7
    assert rest[0] == min(i for i in range(97) if values[i] >= 10)
    # a batch's lies are kept however many
    assert set(range(85, 100)) <= set(learnt_rows(values, 20, recent=15))


def test_many_observations_cost_the_surrogate_as_many_as_the_limit(monkeypatch):
    monkeypatch.setattr(warping_module, "MAX_LEARNT", 12)
    optimizer = _ask_and_tell(
        Optimizer(DIMENSIONS, random_state=0, n_initial_points=4), 30
    )
    model = optimizer.result().models[-1]
    assert model.X_train_.shape[0] == 12
    # the record's surrogate is refitted on the same observations
    recorded = optimizer.record().result().models[-1]
    np.testing.assert_array_equal(recorded.X_train_, model.X_train_)
    # the kernel is learnt again as the observations told grow, not those learnt
    assert optimizer._learner.n_at_kernel_fit > 12
    # a batch past the limit is distinct, apart from the points seen, and
    # told the surrogate's belief at each of its points
    batch = optimizer.ask(n_points=4)
    assert len({tuple(p) for p in batch}) == 4
    seen = {tuple(p) for p in optimizer.result().x_iters}
    assert not {tuple(p) for p in batch} & seen


def test_points_pending_are_told_as_lies_and_never_proposed():
    optimizer = Optimizer(DIMENSIONS, random_state=0, n_initial_points=4)
    (first,) = optimizer.ask()
    # before the surrogate, a point pending takes an initial point's turn
    (second,) = optimizer.ask(pending=[first])
    assert second != first
    fresh = Optimizer(DIMENSIONS, random_state=0, n_initial_points=4)
    assert second == fresh.ask(n_points=2)[1]
    optimizer = _ask_and_tell(optimizer, 8)
    before = optimizer.result()
    pending = optimizer.ask(n_points=3)
    proposing = []
    propose = optimizer._propose

    def spy(pending=0):
        # what the surrogate learnt when the point is proposed
        proposing.append((optimizer.n_told, pending, len(optimizer._learnt[0])))
        return propose(pending)

    optimizer._propose = spy
    batch = optimizer.ask(n_points=2, pending=pending)
    del optimizer._propose
    assert proposing == [(11, 3, 11), (12, 4, 12)]
    assert len(batch) == 2
    assert not {tuple(p) for p in batch} & {tuple(p) for p in pending}
    after = optimizer.result()
    assert after.x_iters == before.x_iters
    assert [id(m) for m in after.models] == [id(m) for m in before.models]


def test_a_schedule_holds_the_candidates_not_told_as_pending():
    from sklearn_hp.model_selection._schedule import Schedule
    from sklearn_hp.model_selection._space import parse_search_spaces

    subspaces = parse_search_spaces({"C": stats.loguniform(1e-3, 1e3), "k": [1, 2, 3]})
    schedule = Schedule(subspaces, 12, 2, 3, False, {"n_initial_points": 3}, 0)
    seen = []
    for _ in range(3):
        batch = schedule.next_batch()
        seen.extend(batch.candidates)
        schedule.tell(
            batch, [0.5] * len(batch.candidates), [0.1] * len(batch.candidates)
        )
    (proposer,) = schedule.proposers
    assert proposer.pending == []
    asked = []
    ask = proposer.optimizer.ask

    def spy(n_points=1, strategy="believer", pending=()):
        asked.append([list(point) for point in pending])
        return ask(n_points, strategy, pending)

    proposer.optimizer.ask = spy
    # two batches asked before either is told: the second is proposed with the
    # first's points told as lies
    first, second = schedule.next_batch(), schedule.next_batch()
    assert asked[0] == []
    assert asked[1] == [list(point) for point in first.origin[1]]
    assert len(proposer.pending) == 4
    candidates = [*seen, *first.candidates, *second.candidates]
    assert len({tuple(sorted(c.items())) for c in candidates}) == len(candidates)
    schedule.tell(first, [0.4, 0.6], [0.1, 0.1])
    assert len(proposer.pending) == 2
    schedule.tell(second, [0.4, 0.6], [0.1, 0.1])
    assert proposer.pending == []
    assert proposer.optimizer.n_told == 10
