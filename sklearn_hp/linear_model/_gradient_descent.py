"""Linear and logistic regression fitted by mini-batch gradient descent."""

import numpy as np

from .._training import (
    BaseGradientClassifier,
    BaseGradientRegressor,
    fill_training_docstring,
)


class _LinearModelMixin:
    """A network without hidden layer, exposed as ``coef_`` and ``intercept_``."""

    def _export_parameters(self, coefs, intercepts):
        (coef,), (intercept,) = coefs, intercepts
        self.coef_ = coef.T.copy()
        self.intercept_ = intercept.copy()

    def _import_parameters(self):
        coef = np.atleast_2d(self.coef_)
        return [coef.T], [np.atleast_1d(self.intercept_)]


@fill_training_docstring(
    learning_rate=0.01, max_iter=1000, tol=0.001, n_iter_no_change=5
)
class GradientDescentRegressor(_LinearModelMixin, BaseGradientRegressor):
    """Linear regression ``y = X @ coef_ + intercept_`` fitted by gradient descent.

    The hyperparameters (``learning_rate``, ``batch_size``, ``max_iter``,
    ``alpha`` ...) are fixed before training and only say *how* the model is
    fitted; the learned parameters, ``coef_`` and ``intercept_``, are found by
    mini-batch gradient descent on the squared error with an L2 penalty. Their
    number, ``n_features + 1`` per target, does not grow with the data: the
    model is parametric. With enough epochs the solution approaches that of
    :class:`~sklearn.linear_model.Ridge` with the same ``alpha``.

    Parameters
    ----------
    {solver_parameters}

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Learned weight of each feature (a row per target when ``y`` has
        several columns).

    intercept_ : float or ndarray of shape (n_targets,)
        Learned bias.

    {training_attributes}

    See Also
    --------
    GradientDescentClassifier : The same solver on the log loss.
    NeuralNetworkRegressor : Hidden layers between the features and the target.
    sklearn.linear_model.SGDRegressor : Plain SGD in compiled code.
    sklearn.linear_model.Ridge : Closed-form solution of the same objective.

    Notes
    -----
    The target is standardised before training (each column centred and
    scaled to unit variance) so that ``learning_rate`` and ``tol`` do not
    depend on the units of ``y``. The scaling is folded back into ``coef_``
    and ``intercept_`` and does not change the minimised objective.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn_hp import GradientDescentRegressor
    >>> X, y = make_regression(n_samples=1000, n_features=3, noise=1.0, random_state=0)
    >>> model = GradientDescentRegressor(random_state=0).fit(X, y)
    >>> model.coef_.shape, type(model.intercept_).__name__
    ((3,), 'float64')
    >>> round(model.score(X, y), 3)
    1.0
    """

    def _export_parameters(self, coefs, intercepts):
        super()._export_parameters(coefs, intercepts)
        if self.coef_.shape[0] == 1:
            self.coef_ = self.coef_[0]
            self.intercept_ = self.intercept_[0]


@fill_training_docstring(
    learning_rate=0.01, max_iter=1000, tol=0.001, n_iter_no_change=5
)
class GradientDescentClassifier(_LinearModelMixin, BaseGradientClassifier):
    """Logistic (two classes) or softmax (more) regression fitted by gradient descent.

    The learned parameters are one weight per feature and one bias per class
    (a single row for two classes), found by mini-batch gradient descent on
    the log loss with an L2 penalty; the hyperparameters fix how that descent
    runs. The probabilities come from the logistic function of
    ``X @ coef_.T + intercept_`` (two classes) or its softmax.

    Parameters
    ----------
    {solver_parameters}

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Learned weight of each feature: one row for two classes (the log-odds
        of ``classes_[1]``), one row per class otherwise.

    intercept_ : ndarray of shape (1,) or (n_classes,)
        Learned bias of each row of ``coef_``.

    classes_ : ndarray of shape (n_classes,)
        Class labels.

    {training_attributes}

    See Also
    --------
    GradientDescentRegressor : The same solver on the squared error.
    NeuralNetworkClassifier : Hidden layers between the features and the classes.
    sklearn.linear_model.LogisticRegression : Second-order solvers of the same
        objective, with ``C = 1 / alpha``.
    sklearn.linear_model.SGDClassifier : Plain SGD in compiled code.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn_hp import GradientDescentClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> model = GradientDescentClassifier(random_state=0).fit(X, y)
    >>> model.coef_.shape, model.intercept_.shape
    ((3, 4), (3,))
    >>> model.predict(X[:3])
    array([0, 0, 0])
    >>> model.score(X, y) > 0.9
    True
    """
