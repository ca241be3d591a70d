"""A fully connected network whose parameters live in one flat array.

The linear models are the network with no hidden layer, so the arithmetic of
every gradient-trained estimator of the package is written once, here.
"""

import numpy as np
from scipy.special import expit, log_expit
from sklearn.utils.extmath import safe_sparse_dot

HIDDEN_ACTIVATIONS = ("identity", "logistic", "tanh", "relu")

# How the raw output of the last layer is turned into a loss:
# "identity" -> squared error, "logistic" -> binary log loss (one unit),
# "softmax" -> multinomial log loss (one unit per class).
OUTPUT_LOSSES = ("identity", "logistic", "softmax")


def _activate(name, Z):
    """Apply the hidden activation ``name`` to ``Z`` in place and return it."""
    if name == "relu":
        np.maximum(Z, 0, out=Z)
    elif name == "tanh":
        np.tanh(Z, out=Z)
    elif name == "logistic":
        expit(Z, out=Z)
    return Z


def _multiply_by_derivative(name, A, delta):
    """Multiply ``delta`` in place by the activation's derivative at output ``A``."""
    if name == "relu":
        delta *= A > 0
    elif name == "tanh":
        delta *= 1 - A**2
    elif name == "logistic":
        delta *= A * (1 - A)


def _affine(A, coef, intercept, column_major=False):
    """Compute ``A @ coef + intercept``.

    The output layer has few units: there, column-major order makes the
    per-row reductions that follow (softmax, bias gradients) several times
    faster. Wide hidden layers are faster row-major.
    """
    Z = (coef.T @ A.T).T if column_major and isinstance(A, np.ndarray) else A @ coef
    Z += intercept
    return Z


def forward_pass(coefs, intercepts, X, activation):
    """Raw output of the network with layers ``coefs`` and ``intercepts``.

    The last layer is left linear: the output activation belongs to the loss
    (training) or to ``predict_proba`` (prediction).
    """
    A = X
    for layer, (coef, intercept) in enumerate(zip(coefs, intercepts)):
        A = safe_sparse_dot(A, coef)
        A += intercept
        if layer < len(coefs) - 1:
            _activate(activation, A)
    return A


class DenseNetwork:
    """Layout and arithmetic of a fully connected feed-forward network.

    All weight matrices are stored first, then all bias vectors, in one
    contiguous vector: an solver then updates the whole model with a few
    vectorised calls, and the L2 penalty applies to ``params[:n_weights]``.

    Parameters
    ----------
    layer_sizes : tuple of int
        Units per layer, input and output layers included.

    activation : {"identity", "logistic", "tanh", "relu"}
        Activation of the hidden layers.

    output : {"identity", "logistic", "softmax"}
        Output activation, which also fixes the loss (see ``OUTPUT_LOSSES``).

    dtype : numpy dtype
        Floating point type of the parameters and of the computation.
    """

    def __init__(self, layer_sizes, activation, output, dtype):
        self.layer_sizes = tuple(int(size) for size in layer_sizes)
        self.activation = activation
        self.output = output
        self.dtype = np.dtype(dtype)
        self.weight_shapes = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        self.n_layers = len(self.weight_shapes)
        self.n_weights = sum(fan_in * fan_out for fan_in, fan_out in self.weight_shapes)
        self.size = self.n_weights + sum(self.layer_sizes[1:])

    def unpack(self, params):
        """Return lists of weight-matrix and bias views into ``params``."""
        coefs, intercepts = [], []
        start = 0
        for fan_in, fan_out in self.weight_shapes:
            stop = start + fan_in * fan_out
            coefs.append(params[start:stop].reshape(fan_in, fan_out))
            start = stop
        for _, fan_out in self.weight_shapes:
            intercepts.append(params[start : start + fan_out])
            start += fan_out
        return coefs, intercepts

    def pack(self, coefs, intercepts):
        """Copy weight matrices and bias vectors into a new flat vector."""
        params = np.empty(self.size, dtype=self.dtype)
        views_coefs, views_intercepts = self.unpack(params)
        for view, value in zip(views_coefs + views_intercepts, coefs + intercepts):
            view[...] = value
        return params

    def initialize(self, random_state):
        """Draw initial parameters.

        Hidden layers use Glorot uniform initialisation; a network without
        hidden layer is a convex linear model and starts from zero.
        """
        params = np.zeros(self.size, dtype=self.dtype)
        if self.n_layers == 1:
            return params
        coefs, intercepts = self.unpack(params)
        for (fan_in, fan_out), coef, intercept in zip(
            self.weight_shapes, coefs, intercepts
        ):
            # Glorot & Bengio (2010); the logistic activation wants a smaller bound.
            factor = 2.0 if self.activation == "logistic" else 6.0
            bound = np.sqrt(factor / (fan_in + fan_out))
            coef[...] = random_state.uniform(-bound, bound, (fan_in, fan_out))
            intercept[...] = random_state.uniform(-bound, bound, fan_out)
        return params

    def forward(self, params, X):
        """Return the raw output (before the output activation) for ``X``."""
        return forward_pass(*self.unpack(params), X, self.activation)

    def penalty(self, params, alpha_over_n):
        """L2 penalty ``alpha / (2 n) * ||W||^2`` on the weights (not the biases)."""
        weights = params[: self.n_weights]
        return 0.5 * alpha_over_n * float(np.dot(weights, weights))

    def bind(self, params, gradient):
        """Per-layer views of ``params`` and ``gradient``, for :meth:`loss_gradient`.

        Building the views once per training run, not once per batch, saves
        measurable time when batches are small.
        """
        return (*self.unpack(params), *self.unpack(gradient))

    def loss_gradient(
        self,
        params,
        X,
        target,
        gradient,
        alpha_over_n,
        dropout=0.0,
        random_state=None,
        *,
        views=None,
    ):
        """Mean loss of a batch; writes the gradient of the objective into ``gradient``.

        The objective is the mean data loss plus ``alpha / (2 n) ||W||^2`` with
        ``n`` the size of the whole training set, so that the batch size changes
        how it is minimised, not what is minimised. The returned loss is the
        data loss only.

        Parameters
        ----------
        params : ndarray of shape (size,)
            Flat parameters.
        X : {ndarray, sparse matrix} of shape (n_batch, n_features)
            Batch of inputs.
        target : ndarray
            ``(n_batch, n_outputs)`` floats for "identity", ``(n_batch, 1)``
            0/1 floats for "logistic", ``(n_batch,)`` class indices for
            "softmax".
        gradient : ndarray of shape (size,)
            Output buffer.
        alpha_over_n : float
            L2 strength divided by the number of training samples.
        dropout : float
            Probability of zeroing a hidden unit (inverted dropout).
        random_state : numpy.random.RandomState
            Source of the dropout masks.
        views : tuple, default=None
            ``self.bind(params, gradient)``, computed here if None.

        Returns
        -------
        loss : float
        """
        coefs, intercepts, coef_grads, intercept_grads = views or self.bind(
            params, gradient
        )
        n_batch = X.shape[0]
        last = self.n_layers - 1

        # Forward pass, keeping each hidden layer's output (before dropout,
        # for the activation derivative) and its dropout mask.
        inputs = [X]
        outputs = []
        masks = []
        A = X
        for layer in range(self.n_layers):
            Z = _affine(A, coefs[layer], intercepts[layer], layer == last)
            if layer == last:
                break
            A = _activate(self.activation, Z)
            outputs.append(A)
            if dropout > 0:
                keep = random_state.random_sample(A.shape) >= dropout
                mask = keep.astype(self.dtype)
                mask /= 1.0 - dropout
                masks.append(mask)
                A = A * mask
            inputs.append(A)

        # Loss and its derivative with respect to the raw output Z.
        if self.output == "identity":
            delta = Z - target
            loss = 0.5 * float(np.vdot(delta, delta)) / n_batch
        elif self.output == "logistic":
            # mean(log(1 + exp(Z)) - target * Z), with log(1 + exp(Z)) as
            # -log_expit(-Z): stable, and faster than np.logaddexp.
            loss = -float(np.mean(log_expit(-Z))) - float(np.vdot(target, Z)) / n_batch
            delta = expit(Z)
            delta -= target
        else:
            Z -= Z.max(axis=1, keepdims=True)
            log_normaliser = np.log(np.exp(Z).sum(axis=1))
            rows = np.arange(n_batch)
            loss = float(np.mean(log_normaliser - Z[rows, target]))
            delta = np.exp(Z - log_normaliser[:, None])
            delta[rows, target] -= 1
        delta /= n_batch

        # Backward pass.
        for layer in range(last, -1, -1):
            if isinstance(inputs[layer], np.ndarray):
                np.matmul(inputs[layer].T, delta, out=coef_grads[layer])
            else:  # sparse input
                coef_grads[layer][...] = inputs[layer].T @ delta
            np.add.reduce(delta, axis=0, out=intercept_grads[layer])
            if layer == 0:
                break
            delta = delta @ coefs[layer].T
            _multiply_by_derivative(self.activation, outputs[layer - 1], delta)
            if dropout > 0:
                delta *= masks[layer - 1]

        if alpha_over_n:
            gradient[: self.n_weights] += alpha_over_n * params[: self.n_weights]
        return loss
