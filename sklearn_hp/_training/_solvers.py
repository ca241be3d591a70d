"""The solvers of the training loop: gradient-descent update rules.

Each updates a flat vector of learned parameters in place from its gradient
(SGD with momentum, Adam) and keeps its own state between steps. "Solver", as
the estimators' ``solver`` hyperparameter says, and not "optimizer": in this
package an optimizer proposes hyperparameters (``model_selection``).
"""

import numpy as np


class SGDSolver:
    """Stochastic gradient descent with (heavy-ball) momentum.

    Parameters
    ----------
    size : int
        Number of parameters.
    dtype : numpy dtype
        Floating point type of the parameters.
    learning_rate : float
        Step size.
    momentum : float
        Fraction of the previous update added to the current one.
    """

    def __init__(self, size, dtype, learning_rate, momentum):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocity = np.zeros(size, dtype=dtype)

    def resume(self, previous):
        """Take over the state of ``previous`` if it is of the same kind and shape."""
        if isinstance(previous, SGDSolver) and _same_layout(
            previous.velocity, self.velocity
        ):
            self.velocity[...] = previous.velocity

    def step(self, params, gradient):
        """Move ``params`` against ``gradient``."""
        if self.momentum:
            self.velocity *= self.momentum
            self.velocity -= self.learning_rate * gradient
            params += self.velocity
        else:
            params -= self.learning_rate * gradient


class AdamSolver:
    """Adam (Kingma & Ba, 2015) with bias-corrected moment estimates.

    Parameters
    ----------
    size : int
        Number of parameters.
    dtype : numpy dtype
        Floating point type of the parameters.
    learning_rate : float
        Step size.
    beta_1, beta_2 : float
        Decay rates of the first and second moment estimates.
    epsilon : float
        Added to the denominator for numerical stability.
    """

    def __init__(self, size, dtype, learning_rate, beta_1, beta_2, epsilon):
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_steps = 0
        self.first_moment = np.zeros(size, dtype=dtype)
        self.second_moment = np.zeros(size, dtype=dtype)
        self._buffer = np.empty(size, dtype=dtype)

    def resume(self, previous):
        """Take over the state of ``previous`` if it is of the same kind and shape."""
        if isinstance(previous, AdamSolver) and _same_layout(
            previous.first_moment, self.first_moment
        ):
            self.n_steps = previous.n_steps
            self.first_moment[...] = previous.first_moment
            self.second_moment[...] = previous.second_moment

    def step(self, params, gradient):
        """Move ``params`` against ``gradient``."""
        self.n_steps += 1
        beta_1, beta_2 = self.beta_1, self.beta_2
        m, v, buffer = self.first_moment, self.second_moment, self._buffer
        # m <- beta_1 m + (1 - beta_1) g;  v <- beta_2 v + (1 - beta_2) g^2
        m *= beta_1
        np.multiply(gradient, 1 - beta_1, out=buffer)
        m += buffer
        v *= beta_2
        np.square(gradient, out=buffer)
        buffer *= 1 - beta_2
        v += buffer
        step_size = (
            self.learning_rate
            * (1 - beta_2**self.n_steps) ** 0.5
            / (1 - beta_1**self.n_steps)
        )
        np.sqrt(v, out=buffer)
        buffer += self.epsilon
        np.divide(m, buffer, out=buffer)
        buffer *= step_size
        params -= buffer


def _same_layout(previous, current):
    return previous.shape == current.shape and previous.dtype == current.dtype
