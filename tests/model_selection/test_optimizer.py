"""The optimizer's fast paths give what scikit-optimize's own code gives."""

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.base import clone, is_regressor
from skopt.learning import GaussianProcessRegressor, GradientBoostingQuantileRegressor
from skopt.learning.gaussian_process.kernels import (
    RBF,
    ConstantKernel,
    HammingKernel,
    Matern,
    RationalQuadratic,
    WhiteKernel,
)
from skopt.space import Categorical, Integer, Real, Space
from skopt.utils import cook_estimator, normalize_dimensions

from sklearn_hp.model_selection._optimizer import (
    _KERNEL_PRIORS,
    GBRTSurrogate,
    Optimizer,
    OptimizerRecord,
    _best_first,
    _far_outliers_compressed,
    _fit_with_kernel,
    _gp_mean_and_std,
    _kernel_with_noise,
    _KernelPosterior,
    _NegativeLogMarginalLikelihood,
    _normalised,
    _optimised_kernel,
    _surrogate_targets,
)

DIMENSIONS = [
    Real(1e-4, 1e3, prior="log-uniform"),
    Integer(1, 9),
    Categorical(["a", "b"]),
    Categorical(["p", "q", "r"]),
]


@pytest.fixture
def fitted_gp():
    space = Space(normalize_dimensions(DIMENSIONS))
    rng = np.random.RandomState(0)
    X = np.asarray(space.transform(space.rvs(30, random_state=rng)), dtype=float)
    y = rng.normal(size=30) * 3 + 5
    gp = cook_estimator("GP", space=space.dimensions, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        learnt = clone(gp).set_params(n_restarts_optimizer=0).fit(X[:20], y[:20])
    pool = np.asarray(space.transform(space.rvs(200, random_state=rng)), dtype=float)
    return gp, _kernel_with_noise(learnt), X, y, pool


def test_fit_with_a_fixed_kernel_is_scikit_optimize_fit(fitted_gp):
    gp, kernel, X, y, pool = fitted_gp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = clone(gp).set_params(kernel=kernel, optimizer=None).fit(X, y)
    fast = _fit_with_kernel(clone(gp), kernel, X, y)
    for ours, theirs in zip(
        fast.predict(pool, return_std=True), expected.predict(pool, return_std=True)
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    assert fast.noise_ == pytest.approx(expected.noise_)


def test_optimising_the_kernel_is_scikit_optimize_fit(fitted_gp):
    gp, kernel, X, y, pool = fitted_gp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = clone(gp).set_params(kernel=kernel, n_restarts_optimizer=0)
        expected.fit(X, y)
    learnt = _optimised_kernel(gp, kernel, X, y, maxiter=None)
    np.testing.assert_allclose(
        learnt.theta, _kernel_with_noise(expected).theta, rtol=1e-6
    )
    fast = _fit_with_kernel(clone(gp), learnt, X, y)
    for ours, theirs in zip(
        fast.predict(pool, return_std=True), expected.predict(pool, return_std=True)
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


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
    gp, _, X, y, _ = fitted_gp
    model = _fit_with_kernel(clone(gp).set_params(noise=None), kernel, X, y)
    objective = _NegativeLogMarginalLikelihood(kernel, X, model.y_train_, gp.alpha)
    rng = np.random.RandomState(0)
    for _ in range(3):
        theta = kernel.theta + rng.normal(scale=0.5, size=kernel.theta.shape)
        value, gradient = objective(theta)
        expected, expected_gradient = model.log_marginal_likelihood(
            theta, eval_gradient=True
        )
        assert value == pytest.approx(-expected, rel=1e-10)
        np.testing.assert_allclose(gradient, -expected_gradient, rtol=1e-8, atol=1e-10)


def test_priors_add_minus_the_log_gamma_densities(fitted_gp):
    gp, kernel, X, y, _ = fitted_gp
    y = _normalised(gp, y)[2]
    priors = {"length_scale": (3.0, 6.0), "noise_level": (1.1, 0.05)}
    likelihood = _NegativeLogMarginalLikelihood(kernel, X, y, gp.alpha)
    posterior = _NegativeLogMarginalLikelihood(kernel, X, y, gp.alpha, priors=priors)
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
    spreads, kernels = {}, {}
    for name, surrogate in [
        ("default", "GP"),
        ("given", cook_estimator("GP", space=dimensions)),
    ]:
        optimizer = Optimizer(
            dimensions, base_estimator=surrogate, n_initial_points=6, random_state=0
        )
        optimizer.tell(points, y.tolist())
        predicted = optimizer.models[-1].predict(optimizer._transform(points))
        targets = _surrogate_targets(y)
        spreads[name] = np.ptp(predicted) / np.ptp(targets)
        kernels[name] = optimizer.models[-1].kernel_.theta
        if name == "default":
            assert np.corrcoef(predicted, targets)[0, 1] > 0.9
    assert spreads["default"] > 0.3
    # a surrogate the user gives is learnt without the priors
    assert kernels["given"].shape == kernels["default"].shape
    assert not np.allclose(kernels["given"], kernels["default"], atol=1e-3)


def test_random_restarts_use_the_priors_and_keep_the_best():
    optimizer = Optimizer(
        [Real(0.0, 1.0), Real(0.0, 1.0)], random_state=0, n_initial_points=5
    )
    rng = np.random.RandomState(0)
    for _ in range(27):
        x = optimizer.ask()
        optimizer.tell([x], [float(np.sin(6 * x[0]) + x[1] + rng.normal(scale=0.01))])
    # kernels learnt at 5, 8, 12, 18 and, from random starts, 27 observations
    assert optimizer._n_at_restarts == 27 == optimizer._n_at_kernel_fit
    kernel = optimizer._posterior.kernel
    X = np.asarray(optimizer._Xt)
    targets = _surrogate_targets(optimizer.yi)
    y = _normalised(optimizer.base_estimator_, targets)[2]
    objective = _NegativeLogMarginalLikelihood(
        kernel, X, y, optimizer.base_estimator_.alpha, priors=_KERNEL_PRIORS
    )
    value, gradient = objective(kernel.theta)
    # a (bounded) optimum of the posterior, not of the likelihood
    inside = np.all(np.abs(kernel.theta - kernel.bounds.T) > 1e-3, axis=0)
    assert np.abs(gradient[inside]).max() < 1e-2
    rng = np.random.RandomState(1)
    for _ in range(5):
        start = rng.uniform(kernel.bounds[:, 0], kernel.bounds[:, 1])
        assert value <= objective(start)[0]


def test_a_few_steps_from_the_last_kernel_raise_the_likelihood(fitted_gp):
    gp, kernel, X, y, _ = fitted_gp
    learnt = _optimised_kernel(gp, kernel, X, y, maxiter=3)
    kept = _fit_with_kernel(clone(gp), kernel, X, y)
    assert kept.log_marginal_likelihood(learnt.theta) > kept.log_marginal_likelihood(
        kernel.theta
    )


def test_refits_with_one_kernel_are_independent_models(fitted_gp):
    gp, kernel, X, y, pool = fitted_gp
    posterior = _KernelPosterior(gp, kernel)
    first = posterior.fit(X[:20], y[:20])
    before = first.predict(pool, return_std=True)
    second = posterior.fit(X, y)
    for ours, theirs in zip(first.predict(pool, return_std=True), before):
        np.testing.assert_array_equal(ours, theirs)
    expected = _fit_with_kernel(clone(gp), kernel, X, y)
    for ours, theirs in zip(
        second.predict(pool, return_std=True), expected.predict(pool, return_std=True)
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    assert gp.kernel is not kernel
    assert not hasattr(gp, "kernel_")


def test_a_noise_level_given_as_a_number_stays_fixed():
    gp = GaussianProcessRegressor(
        kernel=ConstantKernel(1.0) * Matern(length_scale=1.0, nu=2.5),
        noise=0.1,
        normalize_y=True,
    )
    optimizer = Optimizer(
        [Real(0.0, 1.0)],
        base_estimator=gp,
        random_state=0,
        n_initial_points=3,
        acq_func="EI",
    )
    rng = np.random.RandomState(0)
    for _ in range(30):
        x = optimizer.ask()
        optimizer.tell([x], [float(np.sin(6 * x[0]) + rng.normal(scale=0.3))])
    # refined from the kernel learnt with random restarts (at 12 observations)
    assert optimizer._n_at_restarts == 12 < optimizer._n_at_kernel_fit
    noise = optimizer._posterior.kernel.get_params()["k2"]
    assert noise.noise_level == 0.1
    assert noise.noise_level_bounds == "fixed"
    assert optimizer.models[-1].noise_ == 0.1


@pytest.mark.parametrize("continuous", [False, True], ids=["pool", "polished"])
def test_decoding_is_scikit_optimize_inverse_transform(continuous):
    dimensions = [
        *DIMENSIONS,
        Categorical([True, False]),
        Integer(2, 500, prior="log-uniform"),
        Real(-1.0, 1.0),
    ]
    optimizer = Optimizer(dimensions, random_state=0)
    rows = optimizer._sample_transformed(300)
    if continuous:
        # rows that L-BFGS moved: categories between their table rows
        rows = rows + np.random.RandomState(0).uniform(-0.3, 0.3, rows.shape)
        low, high = np.asarray(optimizer.space.transformed_bounds).T
        rows = np.clip(rows, low, high)
    decoded = optimizer._decode(rows)
    expected = optimizer.space.inverse_transform(rows)
    assert decoded == expected
    for ours, theirs in zip(decoded, expected):
        for dimension, value, other in zip(dimensions, ours, theirs):
            if isinstance(dimension, Categorical):
                # the category itself, where scikit-optimize gives numpy's copy
                assert any(value is category for category in dimension.categories)
            else:
                assert type(value) is type(other)


def test_pool_samples_follow_the_priors():
    optimizer = Optimizer(
        [Integer(1, 3), Real(1e-3, 1e3, prior="log-uniform"), Real(-2.0, 2.0)],
        random_state=0,
    )
    rows = optimizer._sample_transformed(6000)
    points = optimizer.space.inverse_transform(rows)
    # integers evenly, each at its own normalised value
    counts = np.bincount([point[0] for point in points], minlength=4)[1:]
    assert counts.min() > 1800
    np.testing.assert_array_equal(rows[:, 0], optimizer.space.transform(points)[:, 0])
    # a log-uniform prior is uniform in the logarithm, a uniform one in the value
    for column, expected in (
        (1, stats.loguniform(1e-3, 1e3)),
        (2, stats.uniform(-2, 4)),
    ):
        values = np.array([point[column] for point in points])
        assert stats.kstest(values, expected.cdf).pvalue > 1e-3


def test_only_far_outliers_are_compressed():
    rng = np.random.RandomState(0)
    y = np.concatenate([rng.normal(size=19), [1e6]])
    compressed = _far_outliers_compressed(y)
    np.testing.assert_array_equal(compressed[:-1], y[:-1])
    first, third = np.percentile(y, [25, 75])
    fence = third + 3 * (third - first)
    assert fence < compressed[-1] < fence + 20 * (third - first)
    np.testing.assert_array_equal(np.argsort(compressed), np.argsort(y))
    # a well-behaved objective is learnt as it is
    np.testing.assert_array_equal(_far_outliers_compressed(y[:-1]), y[:-1])
    np.testing.assert_array_equal(_far_outliers_compressed([2.0, 1e9]), [2.0, 1e9])


def test_surrogate_targets_are_warped_towards_normal_in_the_same_order():
    rng = np.random.RandomState(0)
    # minus accuracies: most candidates near the best, a tail of bad ones
    y = -(1.0 - rng.gamma(1.0, 0.02, size=40))
    targets = _surrogate_targets(y)
    np.testing.assert_array_equal(np.argsort(targets), np.argsort(y))
    assert targets.mean() == pytest.approx(0.0, abs=1e-12)
    assert targets.std() == pytest.approx(1.0)
    assert abs(stats.skew(targets)) < abs(stats.skew(y)) / 4
    # the units and offset of the score do not matter
    np.testing.assert_allclose(_surrogate_targets(1000.0 * y - 7.0), targets)
    # the power is the most likely one, as scipy finds it (within the grid's step)
    z = (y - y.mean()) / y.std()
    expected = stats.yeojohnson(z)[0]
    expected = (expected - expected.mean()) / expected.std()
    np.testing.assert_allclose(targets, expected, atol=0.05)
    # equal values, or too few to warp, are learnt as they are
    np.testing.assert_array_equal(_surrogate_targets([-1.0] * 7), [-1.0] * 7)
    np.testing.assert_array_equal(_surrogate_targets([0.5, -0.5]), [0.5, -0.5])


def test_proposals_do_not_depend_on_the_units_of_the_score():
    def proposals(scale, offset):
        optimizer = Optimizer(DIMENSIONS, random_state=0, n_initial_points=4)
        rng = np.random.RandomState(0)
        points = []
        for _ in range(12):
            point = optimizer.ask()
            points.append(point)
            value = np.log10(point[0]) ** 2 + point[1] / 9 + rng.normal(scale=0.1)
            optimizer.tell([point], [scale * value + offset])
        return points

    # scikit-optimize's acquisition functions add xi = 0.01 in the units of
    # the values; on the warped values it means the same for any units
    assert proposals(1.0, 0.0) == proposals(1e-3, 5.0) == proposals(100.0, -3.0)


def test_local_pool_points_of_an_integer_are_integers():
    optimizer = Optimizer(
        [Integer(1, 7), Real(0.0, 1.0)], random_state=0, n_initial_points=3
    )
    for x in ([1, 0.1], [4, 0.5], [7, 0.9], [3, 0.3]):
        optimizer.tell([x], [float(x[0] + x[1])])
    pool = optimizer._pool(optimizer.models[-1])
    np.testing.assert_allclose(pool[:, 0] * 6, np.round(pool[:, 0] * 6), atol=1e-12)


def test_proposals_are_apart_from_every_point_seen():
    optimizer = Optimizer(
        [Real(0.0, 1.0), Categorical(["a", "b"])],
        random_state=0,
        n_initial_points=4,
        acq_func="EI",
    )
    for _ in range(25):
        x = optimizer.ask()
        seen = np.array([p[0] for p in optimizer.Xi if p[1] == x[1]])
        if len(seen):
            assert np.min(np.abs(seen - x[0])) >= 0.01
        # a sharp optimum, which pure exploitation would sample again and again
        optimizer.tell([x], [float(abs(x[0] - 0.3) ** 0.5 + (x[1] == "b"))])
    rows = np.array([[0.305, 0.0], [0.305, 1.0], [0.9, 0.0]])
    optimizer._Xt = [np.array([0.3, 0.0])]
    np.testing.assert_array_equal(optimizer._apart_from_seen(rows), [False, True, True])


def test_best_first_yields_every_index_once_smallest_first():
    values = np.random.RandomState(0).permutation(np.repeat(np.arange(50.0), 2))
    chunks = list(_best_first(values, first=16))
    assert [len(chunk) for chunk in chunks] == [16, 84]
    order = np.concatenate(chunks)
    assert sorted(order) == list(range(100))
    np.testing.assert_array_equal(values[order], np.sort(values))


def test_points_near_a_best_point_on_a_bound_are_not_that_point():
    # The local part of the pool moves the best points; on a bound, clipped
    # moves would land on the point itself half of the time.
    optimizer = Optimizer(
        [Real(0.0, 1.0)], random_state=0, n_initial_points=3, acq_func="EI"
    )
    for point, value in [([0.0], -1.0), ([0.5], 0.0), ([1.0], 1.0), ([0.2], 0.5)]:
        optimizer.tell([point], [value])
    pool = optimizer._pool(optimizer.models[-1])
    assert np.all((pool >= 0.0) & (pool <= 1.0))
    assert np.mean(pool[:, 0] == 0.0) < 0.01


def test_mean_and_std_are_scikit_optimize_predictions(fitted_gp):
    gp, kernel, X, y, pool = fitted_gp
    model = _fit_with_kernel(clone(gp), kernel, X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = model.predict(pool, return_std=True)
    for ours, theirs in zip(_gp_mean_and_std(model, pool), expected):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_transform_is_scikit_optimize_transform():
    optimizer = Optimizer(DIMENSIONS, random_state=0)
    points = optimizer.space.rvs(50, random_state=1)
    np.testing.assert_allclose(
        optimizer._transform(points), optimizer.space.transform(points)
    )


def test_pool_is_in_the_transformed_bounds():
    optimizer = Optimizer(DIMENSIONS, random_state=0, n_initial_points=5)
    for point in optimizer.space.rvs(8, random_state=2):
        optimizer.tell([point], [float(np.random.RandomState(0).normal())])
    pool = optimizer._pool(optimizer.models[-1])
    bounds = np.asarray(optimizer.space.transformed_bounds)
    assert np.all(pool >= bounds[:, 0] - 1e-12)
    assert np.all(pool <= bounds[:, 1] + 1e-12)


@pytest.mark.parametrize("base_estimator", ["GP", "RF", "ET", "GBRT"])
def test_batches_are_distinct_and_the_optimizer_state_is_restored(base_estimator):
    optimizer = Optimizer(
        DIMENSIONS, base_estimator=base_estimator, random_state=0, n_initial_points=4
    )
    rng = np.random.RandomState(0)
    for _ in range(6):
        point = optimizer.ask()
        optimizer.tell([point], [float(rng.normal())])
    n_observed = len(optimizer.yi)
    batch = optimizer.ask(n_points=5)
    assert len({tuple(p) for p in batch}) == 5
    assert len(optimizer.yi) == n_observed
    taken = {tuple(p) for p in optimizer.Xi}
    assert not taken & {tuple(p) for p in batch}


def test_finite_space_is_searched_exactly_and_exhausted():
    optimizer = Optimizer(
        [Integer(0, 4), Categorical(["a", "b"])], random_state=0, n_initial_points=3
    )
    assert len(optimizer._grid_points) == 10
    seen = set()
    rng = np.random.RandomState(0)
    while (point := optimizer.ask()) is not None:
        key = tuple(point)
        assert key not in seen
        seen.add(key)
        optimizer.tell([point], [float(rng.normal())])
    assert len(seen) == 10


def test_gradient_boosting_surrogate_is_a_regressor():
    assert not is_regressor(GradientBoostingQuantileRegressor())
    assert is_regressor(GBRTSurrogate())
    rng = np.random.RandomState(0)
    X, y = rng.uniform(size=(40, 2)), rng.normal(size=40)
    mean, std = GBRTSurrogate(random_state=0).fit(X, y).predict(X, return_std=True)
    assert mean.shape == std.shape == (40,)
    assert np.all(std >= 0)


def test_surrogate_work_runs_blas_on_one_thread(monkeypatch):
    # Waking a multi-threaded BLAS costs more than the surrogate's small
    # matrices need; the caller's setting is restored afterwards.
    from threadpoolctl import threadpool_info, threadpool_limits

    if not any(info["user_api"] == "blas" for info in threadpool_info()):
        pytest.skip("no BLAS library that threadpoolctl controls")
    seen = []
    fit_surrogate = Optimizer._fit_surrogate

    def recording(self, y):
        seen.extend(
            info["num_threads"]
            for info in threadpool_info()
            if info["user_api"] == "blas"
        )
        return fit_surrogate(self, y)

    monkeypatch.setattr(Optimizer, "_fit_surrogate", recording)
    optimizer = Optimizer(DIMENSIONS, random_state=0, n_initial_points=3)
    rng = np.random.RandomState(0)
    with threadpool_limits(limits=2, user_api="blas"):
        for _ in range(5):
            optimizer.tell([optimizer.ask()], [float(rng.normal())])
        optimizer.ask(n_points=3)
        after = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert seen
    assert set(seen) == {1}
    assert set(after) == {2}


@pytest.mark.parametrize("base_estimator", ["GP", "RF", "ET", "GBRT", "dummy"])
def test_record_rebuilds_what_the_optimizer_would_report(base_estimator):
    optimizer = Optimizer(
        DIMENSIONS, base_estimator=base_estimator, random_state=0, n_initial_points=4
    )
    rng = np.random.RandomState(0)
    for _ in range(9):
        optimizer.tell([optimizer.ask()], [float(rng.normal())])
    # a last observation the newest surrogate did not learn from
    optimizer.tell([optimizer.ask()], [float(rng.normal())])
    expected = optimizer.get_result()
    result = OptimizerRecord(optimizer).result()
    assert result.x_iters == expected.x_iters
    np.testing.assert_array_equal(result.func_vals, expected.func_vals)
    assert result.x == expected.x
    assert result.fun == expected.fun
    assert result.space == expected.space
    assert len(result.models) == len(expected.models)
    pool = np.asarray(
        optimizer.space.transform(optimizer.space.rvs(50, random_state=1))
    )
    # The optimizer's surrogates learnt warped values; the result's learn the
    # values told (for plots in the score's units), with the same kernel.
    for model, learnt, n in zip(result.models, expected.models, optimizer._modelled):
        X = np.asarray(optimizer._Xt[:n])
        values = _far_outliers_compressed(optimizer.yi[:n])
        if base_estimator == "GP":
            refit = _fit_with_kernel(
                clone(learnt), _kernel_with_noise(learnt), X, values
            )
        else:
            refit = clone(learnt).fit(X, values)
        np.testing.assert_allclose(model.predict(pool), refit.predict(pool), atol=1e-8)


def test_record_keeps_a_few_bytes_per_candidate():
    optimizer = Optimizer(DIMENSIONS, random_state=0, n_initial_points=4)
    rng = np.random.RandomState(0)
    for _ in range(40):
        optimizer.tell([optimizer.ask()], [float(rng.normal())])
    record = OptimizerRecord(optimizer)
    stored = sum(column.nbytes for column in record.columns) + record.yi.nbytes
    # a float, an integer, two category indices and the value told
    assert stored == 40 * (8 + 8 + 1 + 1 + 8)
