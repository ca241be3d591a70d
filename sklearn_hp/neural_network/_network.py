"""Fully connected neural networks fitted by mini-batch gradient descent."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Literal

import numpy as np

from .._training import (
    HIDDEN_ACTIVATIONS,
    BaseGradientClassifier,
    BaseGradientDescent,
    BaseGradientRegressor,
    fill_training_docstring,
)
from ..utils._sklearn_compat import Interval, StrOptions
from ..utils._typing import RandomStateLike

_NETWORK_PARAMETERS = """\
hidden_layer_sizes : int or tuple of int, default=(100,)
    Units of each hidden layer: ``(100,)`` is one hidden layer of 100 units,
    ``(64, 32)`` two layers. ``()`` leaves no hidden layer (a linear model).

activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
    Activation of the hidden units.

dropout : float, default=0.0
    Probability, in ``[0, 1)``, of zeroing each hidden unit at each training
    step (inverted dropout: the kept units are scaled up, so prediction uses
    the whole network unchanged)."""

_NETWORK_ATTRIBUTES = """\
coefs_ : list of ndarray
    Learned weight matrices, one per layer: ``coefs_[i]`` has shape
    ``(units of layer i, units of layer i + 1)``, the input layer being the
    features. With 10 features and ``hidden_layer_sizes=(20,)``,
    ``coefs_[0]`` is 10 x 20.

intercepts_ : list of ndarray
    Learned bias vectors, one per layer: ``intercepts_[i]`` has the size of
    layer ``i + 1``.

n_layers_ : int
    Number of layers, input and output included.

n_outputs_ : int
    Number of output units."""


class _NetworkMixin:
    """Hidden layers on top of the shared training loop."""

    _parameter_constraints: dict = {
        **BaseGradientDescent._parameter_constraints,
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(HIDDEN_ACTIVATIONS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes: int | Sequence[int] = (100,),
        *,
        activation: Literal["relu", "tanh", "logistic", "identity"] = "relu",
        dropout: float = 0.0,
        solver: Literal["adam", "sgd"] = "adam",
        learning_rate: float = 0.001,
        batch_size: int | Literal["auto"] = "auto",
        max_iter: int = 200,
        alpha: float = 0.0001,
        tol: float = 0.0001,
        n_iter_no_change: int = 10,
        momentum: float = 0.9,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        shuffle: bool = True,
        random_state: RandomStateLike = None,
        warm_start: bool = False,
        verbose: int = 0,
    ) -> None:
        super().__init__(
            solver=solver,
            learning_rate=learning_rate,
            batch_size=batch_size,
            max_iter=max_iter,
            alpha=alpha,
            tol=tol,
            n_iter_no_change=n_iter_no_change,
            momentum=momentum,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            shuffle=shuffle,
            random_state=random_state,
            warm_start=warm_start,
            verbose=verbose,
        )
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout

    def _hidden_layers(self):
        sizes = np.atleast_1d(np.asarray(self.hidden_layer_sizes, dtype=object))
        if sizes.ndim != 1 or not all(
            isinstance(size, Integral) and not isinstance(size, bool) and size >= 1
            for size in sizes
        ):
            raise ValueError(
                "hidden_layer_sizes must be a positive int or a sequence of "
                f"positive ints, got {self.hidden_layer_sizes!r}."
            )
        return tuple(int(size) for size in sizes)

    def _hidden_activation(self):
        return self.activation

    def _dropout(self):
        return self.dropout

    def _export_parameters(self, coefs, intercepts):
        self.coefs_ = [coef.copy() for coef in coefs]
        self.intercepts_ = [intercept.copy() for intercept in intercepts]
        self.n_layers_ = len(coefs) + 1
        self.n_outputs_ = coefs[-1].shape[1]

    def _import_parameters(self):
        return self.coefs_, self.intercepts_


@fill_training_docstring(
    learning_rate=0.001,
    network_parameters=_NETWORK_PARAMETERS,
    network_attributes=_NETWORK_ATTRIBUTES,
)
class NeuralNetworkRegressor(_NetworkMixin, BaseGradientRegressor):
    """Fully connected neural network for regression (squared error).

    The hyperparameters fix the architecture (``hidden_layer_sizes``,
    ``activation``) and how it is trained (``learning_rate``, ``batch_size``,
    ``max_iter``, ``alpha``, ``dropout`` ...); the learned parameters are the
    weight matrices ``coefs_`` and bias vectors ``intercepts_``. Their number
    is fixed by the architecture, not by the amount of data.

    Parameters
    ----------
    {network_parameters}

    {solver_parameters}

    Attributes
    ----------
    {network_attributes}

    {training_attributes}

    See Also
    --------
    NeuralNetworkClassifier : The same network trained on the log loss.
    GradientDescentRegressor : The network without hidden layer.
    sklearn.neural_network.MLPRegressor : scikit-learn's multi-layer perceptron.

    Notes
    -----
    The target is standardised before training (each column centred and
    scaled to unit variance) and the scaling is folded back into the last
    layer, so ``learning_rate`` and ``tol`` do not depend on the units of
    ``y`` and the fitted weights predict ``y`` in its own units.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn_hp import NeuralNetworkRegressor
    >>> X, y = make_regression(n_samples=200, n_features=10, random_state=0)
    >>> model = NeuralNetworkRegressor(hidden_layer_sizes=(20,), learning_rate=0.01,
    ...                                random_state=0).fit(X, y)
    >>> [coef.shape for coef in model.coefs_]
    [(10, 20), (20, 1)]
    >>> [intercept.shape for intercept in model.intercepts_]
    [(20,), (1,)]
    >>> model.score(X, y) > 0.99
    True
    """


@fill_training_docstring(
    learning_rate=0.001,
    network_parameters=_NETWORK_PARAMETERS,
    network_attributes=_NETWORK_ATTRIBUTES,
)
class NeuralNetworkClassifier(_NetworkMixin, BaseGradientClassifier):
    """Fully connected neural network for classification (log loss).

    Two classes get one logistic output unit, more classes one softmax unit
    each. The hyperparameters fix the architecture and how it is trained; the
    learned parameters are the weight matrices ``coefs_`` and bias vectors
    ``intercepts_``.

    Parameters
    ----------
    {network_parameters}

    {solver_parameters}

    Attributes
    ----------
    {network_attributes}

    classes_ : ndarray of shape (n_classes,)
        Class labels.

    {training_attributes}

    See Also
    --------
    NeuralNetworkRegressor : The same network trained on the squared error.
    GradientDescentClassifier : The network without hidden layer.
    sklearn.neural_network.MLPClassifier : scikit-learn's multi-layer perceptron.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn_hp import NeuralNetworkClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X[:, :10])
    >>> model = NeuralNetworkClassifier(hidden_layer_sizes=(20,), learning_rate=0.01,
    ...                                 early_stopping=True, random_state=0)
    >>> model = model.fit(X, y)
    >>> [coef.shape for coef in model.coefs_]
    [(10, 20), (20, 1)]
    >>> sum(c.size for c in model.coefs_) + sum(b.size for b in model.intercepts_)
    241
    >>> model.best_validation_score_ > 0.9
    True
    """
