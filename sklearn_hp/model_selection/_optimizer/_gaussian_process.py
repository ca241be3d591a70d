"""The default surrogate: a Gaussian process whose kernel is learnt now and then.

Here: the default kernel (scikit-optimize's shape, with a learnt white-noise
term) and the Gamma priors on its hyperparameters; minus their
log-posterior and its gradient; the L-BFGS-B optimisation of them;
:class:`GaussianProcess`, the posterior of one kernel (fitted by one Cholesky
factorisation, predicting a noise-free mean and standard deviation); and
:class:`GaussianProcessLearner`, which decides when a kernel is worth
learning again as observations come. Built on scikit-learn's public kernels
and scipy. A Gaussian process the user gives is not fitted here: it is a
regressor like any other (:mod:`._surrogates`).
"""

import math
import warnings

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.optimize import minimize
from scipy.spatial.distance import cdist
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.gaussian_process.kernels import (
    ConstantKernel,
    Matern,
    Product,
    Sum,
    WhiteKernel,
)
from sklearn.utils import check_random_state
from skopt.learning.gaussian_process.kernels import HammingKernel

from ._warping import learnt_rows

# Priors of the default kernel's hyperparameters: the shape and rate of a
# Gamma distribution over each value (BoTorch's long-standing defaults for
# inputs scaled to [0, 1] and standardised outputs). Learnt by maximum
# likelihood alone from the few points of a search's start, the kernel often
# explains every value as noise, or sets a length scale on a bound, and the
# surrogate then predicts nothing.
KERNEL_PRIORS = {
    "length_scale": (3.0, 6.0),
    "constant_value": (2.0, 0.15),
    "noise_level": (1.1, 0.05),
}
# Growth of the number of observations that makes the kernel's
# hyperparameters worth optimising again, from the last optimum, and from
# several random starts.
KERNEL_REFIT_GROWTH = 1.5
KERNEL_RESTART_GROWTH = 4.0
REFINE_STEPS = 8
# The first optimisation, from the default kernel on the initial points only,
# is refined as observations come: run to convergence, it took 50 to 70
# evaluations of the likelihood, mostly to move hyperparameters that the few
# points hardly determine.
FIRST_FIT_STEPS = 20
# The most observations the kernel's hyperparameters are learnt from: the best
# half and an even spread of the others (:func:`._warping.learnt_rows`).
KERNEL_LEARNT = 64


def default_kernel(space, noise="gaussian"):
    """Return scikit-optimize's default kernel for ``space``, with a noise term.

    ``ConstantKernel(1.0, (0.01, 1000)) * Matern(nu=2.5)`` with one length
    scale per transformed coordinate within (0.01, 100), or a
    ``HammingKernel`` when every dimension is categorical, as
    ``skopt.utils.cook_estimator("GP", space=...)`` builds it; plus
    :func:`with_noise`'s term.

    Parameters
    ----------
    space : skopt.space.Space
        The space, normalised.
    noise : "gaussian", float or None, default="gaussian"
        See :func:`with_noise`.

    Returns
    -------
    kernel : sklearn.gaussian_process.kernels.Kernel
    """
    n_dims = space.transformed_n_dims
    if space.is_categorical:
        shape = HammingKernel(length_scale=np.ones(n_dims))
    else:
        shape = Matern(
            length_scale=np.ones(n_dims),
            length_scale_bounds=[(0.01, 100.0)] * n_dims,
            nu=2.5,
        )
    return with_noise(ConstantKernel(1.0, (0.01, 1000.0)) * shape, noise)


def with_noise(kernel, noise):
    """Return ``kernel`` plus a white-noise term, as scikit-optimize adds it.

    Parameters
    ----------
    kernel : Kernel
        The kernel of the noise-free function.
    noise : "gaussian", float or None
        ``"gaussian"``: a noise level learnt with the other hyperparameters; a
        number: that noise level, fixed; None (or 0): no noise term.

    Returns
    -------
    kernel : Kernel
    """
    if not noise:
        return kernel
    if noise == "gaussian":
        return kernel + WhiteKernel()
    return kernel + WhiteKernel(noise_level=noise, noise_level_bounds="fixed")


def signal_part(kernel):
    """Return the part of ``kernel`` without its white-noise term.

    A Gaussian process predicts the noise-free function: the noise enters the
    covariance of the observations only.
    """
    if isinstance(kernel, Sum):
        if isinstance(kernel.k2, WhiteKernel):
            return kernel.k1
        if isinstance(kernel.k1, WhiteKernel):
            return kernel.k2
    return kernel


def cross_covariance(kernel, X, Y):
    """Return ``kernel(X, Y)``, computed directly for the default kernel's shape.

    ``ConstantKernel * Matern(nu=2.5)`` (the signal part of
    :func:`default_kernel`) is ``c * (1 + s + s**2 / 3) * exp(-s)`` with ``s``
    the distance scaled by the length scales times sqrt(5): computed in
    place, it costs half of scikit-learn's ``__call__``, which the
    prediction of every point of a pool pays. Any other kernel is called.

    Parameters
    ----------
    kernel : Kernel
    X : ndarray of shape (n_rows, n_features)
    Y : ndarray of shape (n_columns, n_features)

    Returns
    -------
    K : ndarray of shape (n_rows, n_columns)
    """
    parts = (
        (kernel.k1, kernel.k2)
        if isinstance(kernel, Product) and isinstance(kernel.k1, ConstantKernel)
        else None
    )
    if parts is None or type(parts[1]) is not Matern or parts[1].nu != 2.5:
        return kernel(X, Y)
    constant, matern = parts
    length_scale = np.asarray(matern.length_scale, dtype=float)
    K = cdist(X / length_scale, Y / length_scale)
    K *= math.sqrt(5.0)
    decay = np.exp(-K)
    K = 1.0 + K + K**2 / 3.0
    K *= decay
    K *= constant.constant_value
    return K


def normalised(y, normalize_y=True):
    """Return ``(mean, std, (y - mean) / std)`` as a Gaussian process learns ``y``."""
    y = np.asarray(y, dtype=float)
    mean, std = (np.mean(y), np.std(y)) if normalize_y else (0.0, 1.0)
    std = std if std > 0 else 1.0
    return float(mean), float(std), (y - mean) / std


class NegativeLogPosterior:
    """Minus the log-marginal likelihood of kernel hyperparameters, and its gradient.

    As ``-GaussianProcessRegressor.log_marginal_likelihood(theta,
    eval_gradient=True)`` (Rasmussen & Williams, Algorithm 2.1 and Eq. 5.9),
    with the kernel's own values and gradient. The hyperparameters are set on
    the kernels that hold them, as the public attributes their names give:
    ``Kernel.theta`` lists them anew, with ``dir`` and
    ``inspect.signature``, on every call, which costs more than the algebra
    on a search's few dozen points.

    Parameters
    ----------
    kernel : Kernel
        The kernel; copied, not modified.
    X : ndarray of shape (n_observations, n_features)
    y : ndarray of shape (n_observations,)
        The values, as the Gaussian process learns them (normalised).
    alpha : float, default=1e-10
        Added to the diagonal of the kernel matrix.
    priors : dict or None, default=None
        The name of a kind of hyperparameter (the last part of its name,
        ``"length_scale"``) to the shape and rate of a Gamma prior on its
        value; minus the log of their densities, up to a constant, is added,
        so that minimising gives the hyperparameters' posterior mode.
    """

    def __init__(self, kernel, X, y, alpha=1e-10, priors=None):
        self.kernel = kernel.clone_with_theta(kernel.theta)
        self.X, self.y, self.alpha = X, np.asarray(y, dtype=float), alpha
        self._setters = _theta_setters(self.kernel)
        self._priors = _prior_terms(self.kernel, priors or {})

    def __call__(self, theta):
        """Return minus the log-posterior at log-scale ``theta``, and its gradient."""
        if self._setters is None:
            self.kernel.theta = theta
        else:
            _assign(self._setters, theta)
        K, K_gradient = self.kernel(self.X, eval_gradient=True)
        K[np.diag_indices_from(K)] += self.alpha
        try:
            L = cholesky(K, lower=True, check_finite=False)
        except np.linalg.LinAlgError:
            return np.inf, np.zeros_like(theta)
        weights = cho_solve((L, True), self.y, check_finite=False)
        n = len(self.y)
        value = (
            0.5 * self.y @ weights
            + np.log(np.diag(L)).sum()
            + 0.5 * n * np.log(2 * np.pi)
        )
        inner = np.outer(weights, weights) - cho_solve(
            (L, True), np.eye(n), check_finite=False
        )
        gradient = -0.5 * np.einsum("ij,jik->k", inner, K_gradient)
        for columns, shape, rate in self._priors:
            # a Gamma density of exp(theta), on the log scale theta lives on
            scaled = rate * np.exp(theta[columns])
            value += np.sum(scaled) - shape * np.sum(theta[columns])
            gradient[columns] += scaled - shape
        return value, gradient


def optimise_kernel(kernel, X, y, *, alpha=1e-10, maxiter=None, priors=None, starts=()):
    """Return ``kernel`` with the hyperparameters L-BFGS-B finds best.

    What scikit-learn's ``GaussianProcessRegressor.fit`` does (L-BFGS-B on
    the log-marginal likelihood, with its gradient, over the
    hyperparameters' bounds, from ``kernel``'s and from each of ``starts``,
    keeping the best) without its input validation and copies, which cost
    milliseconds on the few dozen points of a search.

    Parameters
    ----------
    kernel : Kernel
        The start; not modified.
    X : ndarray of shape (n_observations, n_features)
    y : ndarray of shape (n_observations,)
        The values, as the Gaussian process learns them (normalised).
    alpha : float, default=1e-10
    maxiter : int or None, default=None
        Most L-BFGS-B iterations from each start. A few from the last
        optimum, learnt on most of the same observations, come close to the
        new one; None runs to convergence, as scikit-learn does.
    priors : dict or None, default=None
        See :class:`NegativeLogPosterior`: the hyperparameters' posterior
        mode instead of the most likely.
    starts : sequence of ndarray, default=()
        More log-scale starts.

    Returns
    -------
    kernel : Kernel
        A new kernel.
    """
    objective = NegativeLogPosterior(kernel, X, y, alpha=alpha, priors=priors)
    options = {} if maxiter is None else {"maxiter": maxiter}
    best_theta, best_value = kernel.theta, np.inf
    for start in [kernel.theta, *starts]:
        with warnings.catch_warnings():
            # an optimum on a bound, or a step limit reached, is expected
            warnings.simplefilter("ignore")
            optimum = minimize(
                objective,
                start,
                method="L-BFGS-B",
                jac=True,
                bounds=kernel.bounds,
                options=options,
            )
        if optimum.fun < best_value:
            best_theta, best_value = optimum.x, optimum.fun
    return kernel.clone_with_theta(best_theta)


class GaussianProcess(RegressorMixin, BaseEstimator):
    """The posterior of a Gaussian process with one kernel.

    What scikit-optimize's ``GaussianProcessRegressor`` predicts once fitted
    with ``optimizer=None``: the noise-free mean and standard deviation,
    the white-noise term of the kernel entering the covariance of the
    observations only. Fitting costs one kernel matrix and its Cholesky
    factorisation, without input validation: the optimizer gives it arrays
    it built.

    Parameters
    ----------
    kernel : Kernel
        The kernel, with its white-noise term if it has one; not modified.
    alpha : float, default=1e-10
        Added to the diagonal of the kernel matrix.
    normalize_y : bool, default=True
        Whether the values are learnt standardised.

    Attributes
    ----------
    X_train_ : ndarray of shape (n_observations, n_features)
        The observations' points.
    y_mean_, y_std_ : float
        The mean and standard deviation the values were normalised by (0 and
        1 without ``normalize_y``).
    weights_ : ndarray of shape (n_observations,)
        The kernel matrix's inverse times the normalised values.
    cholesky_ : ndarray of shape (n_observations, n_observations) or None
        The kernel matrix's lower Cholesky factor; None once dropped by
        :meth:`drop_covariance`, computed again when a standard deviation
        is asked for.
    """

    def __init__(self, kernel=None, alpha=1e-10, normalize_y=True):
        self.kernel = kernel
        self.alpha = alpha
        self.normalize_y = normalize_y

    def fit(self, X, y):
        """Learn the observations ``X``, ``y`` with the kernel as it is.

        Parameters
        ----------
        X : ndarray of shape (n_observations, n_features)
        y : ndarray of shape (n_observations,)

        Returns
        -------
        self : GaussianProcess
        """
        X = np.asarray(X, dtype=float)
        mean, std, targets = normalised(y, self.normalize_y)
        self.X_train_ = X
        self.y_mean_, self.y_std_ = mean, std
        self.cholesky_ = self._factor()
        self.weights_ = cho_solve((self.cholesky_, True), targets, check_finite=False)
        return self

    def _factor(self):
        K = self.kernel(self.X_train_)
        diagonal = np.diag_indices_from(K)
        K[diagonal] += self.alpha
        jitter = 1e-10 * np.mean(K[diagonal])
        for _ in range(6):
            try:
                return cholesky(K, lower=True, check_finite=False)
            except np.linalg.LinAlgError:
                # Rounding, on points nearly repeated: a little more noise
                # keeps the search going, where scikit-learn would raise.
                K[diagonal] += jitter
                jitter *= 100
        return cholesky(K, lower=True, check_finite=False)

    def predict(self, X, return_std=False):
        """Predict the noise-free mean, and optionally its standard deviation.

        Parameters
        ----------
        X : ndarray of shape (n_points, n_features)
        return_std : bool, default=False

        Returns
        -------
        mean : ndarray of shape (n_points,)
        std : ndarray of shape (n_points,)
            Only with ``return_std=True``.
        """
        X = np.asarray(X, dtype=float)
        signal = signal_part(self.kernel)
        K_trans = cross_covariance(signal, X, self.X_train_)
        mean = K_trans @ self.weights_ * self.y_std_ + self.y_mean_
        if not return_std:
            return mean
        factor = self.cholesky_ if self.cholesky_ is not None else self._factor()
        v = solve_triangular(factor, K_trans.T, lower=True, check_finite=False)
        variance = signal.diag(X) - np.einsum("ij,ij->j", v, v)
        # Rounding can make a variance slightly negative; it is zero.
        variance = np.maximum(variance, 0.0) * self.y_std_**2
        return mean, np.sqrt(variance)

    def drop_covariance(self):
        """Forget the Cholesky factor, quadratic in the observations.

        The mean is predicted as before; a standard deviation costs the
        factorisation again.

        Returns
        -------
        self : GaussianProcess
        """
        self.cholesky_ = None
        return self

    @property
    def noise_level(self):
        """The level of the kernel's white-noise term, 0 without one."""
        parts = (self.kernel.k1, self.kernel.k2) if isinstance(self.kernel, Sum) else ()
        noise = [part for part in parts if isinstance(part, WhiteKernel)]
        return noise[0].noise_level if noise else 0.0


class GaussianProcessLearner:
    """Learns a Gaussian process's kernel as observations come, now and then.

    Each :meth:`fit` returns a new :class:`GaussianProcess` of the
    observations. The kernel's hyperparameters are optimised only when the
    observations have grown by :data:`KERNEL_REFIT_GROWTH` since the last
    time, by :data:`REFINE_STEPS` L-BFGS-B steps from the kernel learnt then
    (the first time, at most :data:`FIRST_FIT_STEPS` from the initial
    kernel), and to convergence from that kernel and ``n_restarts`` random
    starts when they have grown by :data:`KERNEL_RESTART_GROWTH` since the
    last restarts; in between the kernel learnt last is kept, which costs one
    Cholesky factorisation.

    Parameters
    ----------
    kernel : Kernel
        The initial kernel, with its white-noise term.
    priors : dict or None, default=None
        See :class:`NegativeLogPosterior`.
    n_restarts : int, default=2
    alpha : float, default=1e-10
    normalize_y : bool, default=True

    Attributes
    ----------
    kernel : Kernel or None
        The kernel learnt last; None before the first :meth:`fit`.
    n_at_kernel_fit : int
        The observations the kernel was last optimised on.
    n_at_restarts : int
        The observations of the last optimisation from random starts (or of
        the first optimisation).
    """

    def __init__(
        self, kernel, *, priors=None, n_restarts=2, alpha=1e-10, normalize_y=True
    ):
        self.initial_kernel = kernel
        self.priors = priors
        self.n_restarts = n_restarts
        self.alpha = alpha
        self.normalize_y = normalize_y
        self.kernel = None
        self.n_at_kernel_fit = 0
        self.n_at_restarts = 0

    def fit(self, X, y, random_state=None, learn_kernel=True, n_told=None):
        """Return a Gaussian process of ``X``, ``y``, its kernel learnt if due.

        Parameters
        ----------
        X : ndarray of shape (n_observations, n_features)
        y : ndarray of shape (n_observations,)
        random_state : RandomState instance or None, default=None
            Draws the random starts.
        learn_kernel : bool, default=True
            False keeps the kernel learnt last whatever the observations (the
            lies of a batch teach the kernel nothing); the first fit learns
            one anyway.
        n_told : int or None, default=None
            The observations told, of which ``X``, ``y`` may be a part
            (:func:`._warping.learnt_rows`): their growth makes a kernel due.
            None: ``len(y)``.

        Returns
        -------
        model : GaussianProcess
        """
        n = len(y) if n_told is None else n_told
        due = self.kernel is None or (
            learn_kernel and n >= KERNEL_REFIT_GROWTH * self.n_at_kernel_fit
        )
        if due:
            self.kernel = self._learnt_kernel(X, y, random_state, n)
            self.n_at_kernel_fit = n
        return GaussianProcess(
            self.kernel, alpha=self.alpha, normalize_y=self.normalize_y
        ).fit(X, y)

    def _learnt_kernel(self, X, y, random_state, n):
        # a few length scales and levels are learnt as well from fewer
        # points, at a fraction of the cost
        rows = learnt_rows(y, KERNEL_LEARNT)
        X, y = X[rows], y[rows]
        targets = normalised(y, self.normalize_y)[2]
        learn = {"alpha": self.alpha, "priors": self.priors}
        if self.kernel is None:
            # The first optimisation starts from the initial kernel only; the
            # random restarts come when the observations have grown.
            self.n_at_restarts = n
            return optimise_kernel(
                self.initial_kernel, X, targets, maxiter=FIRST_FIT_STEPS, **learn
            )
        if n < KERNEL_RESTART_GROWTH * self.n_at_restarts:
            return optimise_kernel(
                self.kernel, X, targets, maxiter=REFINE_STEPS, **learn
            )
        bounds = self.kernel.bounds
        starts = check_random_state(random_state).uniform(
            bounds[:, 0], bounds[:, 1], size=(self.n_restarts, len(bounds))
        )
        self.n_at_restarts = n
        return optimise_kernel(self.kernel, X, targets, starts=starts, **learn)


def _free_hyperparameters(kernel):
    """Yield each free hyperparameter of ``kernel`` and its columns of ``theta``."""
    start = 0
    for hyperparameter in kernel.hyperparameters:
        if not hyperparameter.fixed:
            size = hyperparameter.n_elements
            yield hyperparameter, slice(start, start + size)
            start += size


def _prior_terms(kernel, priors):
    """``(columns of theta, shape, rate)`` of each free hyperparameter with a prior."""
    return [
        (columns, *priors[kind])
        for hyperparameter, columns in _free_hyperparameters(kernel)
        if (kind := hyperparameter.name.rsplit("__", 1)[-1]) in priors
    ]


def _theta_setters(kernel):
    """Where each free hyperparameter of ``kernel`` lives, in ``theta``'s order.

    ``(kernel, parameter, columns of theta, whether an array)`` for each: a
    hyperparameter ``k1__k2__length_scale`` is the parameter
    ``length_scale`` of the kernel ``kernel.get_params()["k1__k2"]``. None
    when setting them so does not give the kernel the ``theta`` it was given
    (a kernel that stores its hyperparameters otherwise).
    """
    parts = kernel.get_params(deep=True)
    setters = []
    for hyperparameter, columns in _free_hyperparameters(kernel):
        path, _, name = hyperparameter.name.rpartition("__")
        owner = parts.get(path) if path else kernel
        if owner is None or name not in owner.get_params(deep=False):
            return None
        setters.append((owner, name, columns, hyperparameter.n_elements > 1))
    theta = kernel.theta
    moved = theta + 0.125
    _assign(setters, moved)
    works = np.allclose(kernel.theta, moved)
    kernel.theta = theta
    return setters if works else None


def _assign(setters, theta):
    """Set log-scale hyperparameters ``theta`` where ``setters`` say they live."""
    for owner, name, columns, is_array in setters:
        value = np.exp(theta[columns])
        setattr(owner, name, value if is_array else value[0])
