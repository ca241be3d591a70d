"""The one training loop of the gradient-trained estimators.

:class:`BaseGradientDescent` owns the hyperparameters of the solver and the
loop over epochs and mini-batches (shuffling, early stopping, convergence,
``warm_start`` and ``partial_fit``). Subclasses only say what network they are
(no hidden layer for the linear models) and how its parameters are exposed
(``coef_``/``intercept_`` or ``coefs_``/``intercepts_``); the regression and
classification bases add the target encoding, the loss and the predictions.
"""

from __future__ import annotations

import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted, validate_data

from ..utils._sklearn_compat import Interval, StrOptions, _fit_context
from ..utils._typing import MatrixLike, RandomStateLike
from ._network import DenseNetwork, forward_pass
from ._solvers import AdamSolver, SGDSolver


class BaseGradientDescent(BaseEstimator, metaclass=ABCMeta):
    """Hyperparameters and training loop shared by the gradient-trained models.

    The network's parameters live in one flat vector during training (see
    :class:`~sklearn_hp._training._network.DenseNetwork`); they are exposed as
    fitted attributes only at the end of ``fit``/``partial_fit``.
    """

    _parameter_constraints: dict = {
        "solver": [StrOptions({"adam", "sgd"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        solver: Literal["adam", "sgd"] = "adam",
        learning_rate: float = 0.01,
        batch_size: int | Literal["auto"] = "auto",
        max_iter: int = 1000,
        alpha: float = 0.0001,
        tol: float = 0.001,
        n_iter_no_change: int = 5,
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
        self.solver = solver
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.alpha = alpha
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.momentum = momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.shuffle = shuffle
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    # -- what a subclass says about itself ----------------------------------

    def _hidden_layers(self):
        """Sizes of the hidden layers: none for a linear model."""
        return ()

    def _hidden_activation(self):
        return "identity"

    def _dropout(self):
        return 0.0

    @abstractmethod
    def _export_parameters(self, coefs, intercepts):
        """Set the public fitted attributes from per-layer weights and biases."""

    @abstractmethod
    def _import_parameters(self):
        """Per-layer weights and biases from the public fitted attributes."""

    @abstractmethod
    def _encode_targets(self, y, *, continuing, incremental, classes):
        """Return ``(target, output)`` for :class:`DenseNetwork`.

        ``continuing`` is True when training starts from fitted parameters
        (``warm_start`` or ``partial_fit``), ``incremental`` for
        ``partial_fit``; ``classes`` is the argument of ``partial_fit``.
        """

    @abstractmethod
    def _validation_score(self, raw_output, target):
        """Score of the raw network output on encoded targets."""

    def _to_internal(self, coefs, intercepts):
        """Map public parameters to the parametrisation used in training."""
        return coefs, intercepts

    def _to_public(self, coefs, intercepts):
        """Inverse of :meth:`_to_internal`."""
        return coefs, intercepts

    # -- fitting ---------------------------------------------------------------

    def _fit(self, X, y, *, incremental, classes=None):
        # Set only once a training run has finished, so a failed fit is not
        # mistaken for parameters to continue from.
        fitted = hasattr(self, "_solver")
        continuing = fitted and (incremental or self.warm_start)
        X, y = self._validate_training_data(X, y, reset=not continuing)
        target, output = self._encode_targets(
            y, continuing=continuing, incremental=incremental, classes=classes
        )
        if output != "softmax":
            target = target.astype(X.dtype, copy=False)
        # The logistic and identity targets have one column per output unit.
        n_outputs = len(self.classes_) if output == "softmax" else target.shape[1]
        network = DenseNetwork(
            (X.shape[1], *self._hidden_layers(), n_outputs),
            self._hidden_activation(),
            output,
            dtype=X.dtype,
        )

        if incremental and fitted:
            random_state = self._random_state
        else:
            random_state = check_random_state(self.random_state)
        self._random_state = random_state

        if continuing:
            coefs, intercepts = self._import_parameters()
            shapes = [coef.shape for coef in coefs]
            if shapes != network.weight_shapes:
                raise ValueError(
                    f"Cannot continue training: the fitted weights have shapes "
                    f"{shapes} but the data and hyperparameters need "
                    f"{network.weight_shapes}. Set warm_start=False, or keep "
                    "the architecture and the number of features and outputs."
                )
            params = network.pack(*self._to_internal(coefs, intercepts))
        else:
            params = network.initialize(random_state)

        solver = self._make_solver(params)
        if incremental and fitted:
            # partial_fit goes on with the moments of the previous calls, under
            # the hyperparameters as they are now.
            solver.resume(self._solver)

        if not (incremental and fitted):
            self.n_iter_ = 0
            self.loss_curve_ = []
            self.best_loss_ = np.inf
            self.validation_scores_ = None
            self.best_validation_score_ = None

        validation = None
        if self.early_stopping and not incremental:
            stratify = None if output == "identity" else target.ravel()
            X, X_val, target, target_val = train_test_split(
                X,
                target,
                test_size=self.validation_fraction,
                random_state=random_state,
                stratify=stratify,
            )
            validation = (X_val, target_val)
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf

        # Overflow shows as a non-finite loss, which _run_epochs reports.
        with np.errstate(over="ignore", invalid="ignore"):
            params = self._run_epochs(
                network,
                params,
                solver,
                X,
                target,
                n_epochs=1 if incremental else self.max_iter,
                validation=validation,
                random_state=random_state,
                check_convergence=not incremental,
            )
        self._export_parameters(*self._to_public(*network.unpack(params)))
        self._solver = solver
        return self

    def _validate_training_data(self, X, y, reset):
        return validate_data(
            self,
            X,
            y,
            reset=reset,
            accept_sparse="csr",
            dtype=FLOAT_DTYPES,
            multi_output=self.__sklearn_tags__().target_tags.multi_output,
            y_numeric=not isinstance(self, ClassifierMixin),
        )

    def _make_solver(self, params):
        if self.solver == "adam":
            return AdamSolver(
                params.size,
                params.dtype,
                self.learning_rate,
                self.beta_1,
                self.beta_2,
                self.epsilon,
            )
        return SGDSolver(params.size, params.dtype, self.learning_rate, self.momentum)

    def _run_epochs(
        self,
        network,
        params,
        solver,
        X,
        target,
        *,
        n_epochs,
        validation,
        random_state,
        check_convergence,
    ):
        n_samples = X.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n_samples)
        else:
            batch_size = min(self.batch_size, n_samples)
        alpha_over_n = self.alpha / n_samples
        dropout = self._dropout()
        gradient = np.empty_like(params)
        best_params = None
        n_no_improvement = 0

        views = network.bind(params, gradient)
        # One batch holds every sample: its gradient does not depend on the order.
        shuffle = self.shuffle and batch_size < n_samples

        order = np.arange(n_samples)

        for _ in range(n_epochs):
            if shuffle:
                random_state.shuffle(order)
                X_epoch, target_epoch = _rows(X, order), target.take(order, axis=0)
            else:
                X_epoch, target_epoch = X, target
            loss_sum = 0.0
            for start in range(0, n_samples, batch_size):
                stop = min(start + batch_size, n_samples)
                batch_loss = network.loss_gradient(
                    params,
                    X_epoch[start:stop],
                    target_epoch[start:stop],
                    gradient,
                    alpha_over_n,
                    dropout,
                    random_state,
                    views=views,
                )
                loss_sum += batch_loss * (stop - start)
                solver.step(params, gradient)
            loss = loss_sum / n_samples + network.penalty(params, alpha_over_n)
            self.n_iter_ += 1
            if not np.isfinite(loss):
                raise ValueError(
                    f"{type(self).__name__} diverged at epoch {self.n_iter_}: the "
                    f"loss is {loss}. Lower learning_rate (now "
                    f"{self.learning_rate}) or standardise the features."
                )
            self.loss_curve_.append(loss)
            progress = loss < self.best_loss_ - self.tol
            self.best_loss_ = min(self.best_loss_, loss)
            message = f"Epoch {self.n_iter_}, loss = {loss:.8f}"

            if validation is not None:
                X_val, target_val = validation
                score = self._validation_score(
                    network.forward(params, X_val), target_val
                )
                self.validation_scores_.append(score)
                progress = score >= self.best_validation_score_ + self.tol
                if score > self.best_validation_score_:
                    self.best_validation_score_ = score
                    best_params = params.copy()
                message += f", validation score = {score:.6f}"
            if self.verbose:
                print(message)

            n_no_improvement = 0 if progress else n_no_improvement + 1
            if check_convergence and n_no_improvement > self.n_iter_no_change:
                if self.verbose:
                    print(
                        f"No progress of at least tol={self.tol} in "
                        f"{self.n_iter_no_change} epochs: stopping."
                    )
                break
        else:
            if check_convergence:
                warnings.warn(
                    f"{type(self).__name__} stopped at max_iter={self.max_iter} "
                    "epochs while still making progress; raise max_iter or "
                    "learning_rate to let it converge.",
                    ConvergenceWarning,
                )
        return params if best_params is None else best_params

    # -- prediction --------------------------------------------------------------

    def _raw_output(self, X):
        """Output of the last layer, before any output activation."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, accept_sparse="csr", dtype=FLOAT_DTYPES)
        coefs, intercepts = self._import_parameters()
        return forward_pass(coefs, intercepts, X, self._hidden_activation())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _rows(X, order):
    """Rows ``order`` of a dense or sparse matrix (``take`` is the faster copy)."""
    return X.take(order, axis=0) if isinstance(X, np.ndarray) else X[order]


class BaseGradientRegressor(RegressorMixin, BaseGradientDescent):
    """Squared-error training on a standardised target.

    The target is centred and scaled to unit variance before training, so
    that ``learning_rate`` and ``tol`` mean the same whatever the units of
    ``y``; the scaling is folded into the last layer's weights and biases,
    so the fitted attributes predict ``y`` in its own units.
    """

    def _encode_targets(self, y, *, continuing, incremental, classes):
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if not (continuing and incremental):
            self._target_mean = Y.mean(axis=0)
            scale = Y.std(axis=0)
            scale[scale == 0] = 1.0
            self._target_scale = scale
        return (Y - self._target_mean) / self._target_scale, "identity"

    def _to_internal(self, coefs, intercepts):
        *coefs, last_coef = coefs
        *intercepts, last_intercept = intercepts
        scale, mean = self._target_scale, self._target_mean
        return (
            [*coefs, last_coef / scale],
            [*intercepts, (last_intercept - mean) / scale],
        )

    def _to_public(self, coefs, intercepts):
        *coefs, last_coef = coefs
        *intercepts, last_intercept = intercepts
        scale, mean = self._target_scale, self._target_mean
        return (
            [*coefs, last_coef * scale],
            [*intercepts, last_intercept * scale + mean],
        )

    def _validation_score(self, raw_output, target):
        # R^2 is unchanged by standardising both the target and the output.
        return r2_score(target, raw_output)

    def predict(self, X: MatrixLike) -> np.ndarray:
        """Predict the target of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predicted values; one-dimensional for a single target.
        """
        y_pred = self._raw_output(X)
        return y_pred.ravel() if y_pred.shape[1] == 1 else y_pred

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: MatrixLike, y: ArrayLike) -> BaseGradientRegressor:
        """Train the model on ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X: MatrixLike, y: ArrayLike) -> BaseGradientRegressor:
        """Run one epoch over ``X`` and ``y``, continuing from the current state.

        The first call fixes the target's standardisation; later calls reuse
        it together with the solver's state.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._fit(X, y, incremental=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class BaseGradientClassifier(ClassifierMixin, BaseGradientDescent):
    """Log-loss training: logistic for two classes, softmax for more."""

    def _encode_targets(self, y, *, continuing, incremental, classes):
        check_classification_targets(y)
        name = type(self).__name__
        if classes is not None:
            classes = unique_labels(classes)
        if not continuing:
            if incremental and classes is None:
                raise ValueError(
                    f"classes must be passed on the first call to {name}.partial_fit."
                )
            self.classes_ = unique_labels(y) if classes is None else classes
        elif classes is not None and not np.array_equal(classes, self.classes_):
            raise ValueError(
                f"classes={classes!r} differs from the classes of the first call "
                f"to partial_fit, {self.classes_!r}."
            )
        elif not incremental and not np.array_equal(unique_labels(y), self.classes_):
            raise ValueError(
                "warm_start=True needs y to hold the same classes as the previous "
                f"fit: got {unique_labels(y)!r}, expected {self.classes_!r}."
            )
        if len(self.classes_) < 2:
            raise ValueError(
                f"{name} needs samples of at least 2 classes in the data; got "
                f"1 class: {self.classes_[0]!r}."
            )
        unknown = ~np.isin(y, self.classes_)
        if unknown.any():
            raise ValueError(
                f"y contains labels {np.unique(y[unknown])!r} that are not in "
                f"classes {self.classes_!r}."
            )
        encoded = np.searchsorted(self.classes_, y)
        if len(self.classes_) == 2:
            return encoded.astype(np.float64).reshape(-1, 1), "logistic"
        return encoded, "softmax"

    def _validation_score(self, raw_output, target):
        if raw_output.shape[1] == 1:
            return accuracy_score(target.ravel(), raw_output.ravel() > 0)
        return accuracy_score(target, raw_output.argmax(axis=1))

    def decision_function(self, X: MatrixLike) -> np.ndarray:
        """Raw scores (logits) of the classes.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, the log-odds of ``classes_[1]``; otherwise one
            column per class.
        """
        scores = self._raw_output(X)
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict_proba(self, X: MatrixLike) -> np.ndarray:
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities, columns ordered as ``classes_``.
        """
        scores = self._raw_output(X)
        if scores.shape[1] == 1:
            positive = expit(scores)
            return np.hstack([1 - positive, positive])
        return softmax(scores, axis=1)

    def predict_log_proba(self, X: MatrixLike) -> np.ndarray:
        """Logarithm of the probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns ordered as ``classes_``.
        """
        scores = self._raw_output(X)
        if scores.shape[1] == 1:
            return np.hstack([-np.logaddexp(0, scores), -np.logaddexp(0, -scores)])
        return log_softmax(scores, axis=1)

    def predict(self, X: MatrixLike) -> np.ndarray:
        """Predict the class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes.
        """
        scores = self._raw_output(X)
        if scores.shape[1] == 1:
            return self.classes_[(scores.ravel() > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: MatrixLike, y: ArrayLike) -> BaseGradientClassifier:
        """Train the model on ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(
        self, X: MatrixLike, y: ArrayLike, classes: ArrayLike | None = None
    ) -> BaseGradientClassifier:
        """Run one epoch over ``X`` and ``y``, continuing from the current state.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            Every class the model will ever see. Required on the first call,
            since a later batch may hold classes this one lacks.

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._fit(X, y, incremental=True, classes=classes)
