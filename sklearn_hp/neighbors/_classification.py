"""k-nearest-neighbours classification: the non-parametric case."""

from numbers import Integral, Real

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils import gen_batches
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.extmath import row_norms
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class KNearestNeighborsClassifier(ClassifierMixin, BaseEstimator):
    """Classifier voting among the k nearest training samples.

    Nothing is optimised during ``fit``: what the model learns is the training
    set itself, kept in ``X_fit_`` and ``y_fit_``, so the number of learned
    values grows with the data (``n_samples * n_features`` stored features).
    The hyperparameters, ``n_neighbors``, ``weights`` and ``p``, say how that
    stored data is used to vote.

    Neighbours are found by brute force: the distances from each query to all
    training samples, in chunks bounded by scikit-learn's ``working_memory``.
    For the same settings, predictions are those of
    :class:`~sklearn.neighbors.KNeighborsClassifier`.

    Parameters
    ----------
    n_neighbors : int, default=5
        Number of neighbours that vote.

    weights : {"uniform", "distance"} or callable, default="uniform"
        Weight of each neighbour's vote. ``"uniform"``: equal votes;
        ``"distance"``: the inverse of the distance, so that an exact match
        outvotes everything else; a callable receives the array of distances
        and returns an array of weights of the same shape.

    p : float, default=2
        Power of the Minkowski distance: 1 is the Manhattan distance, 2 the
        Euclidean distance, ``numpy.inf`` the Chebyshev distance.

    Attributes
    ----------
    X_fit_ : ndarray of shape (`n_samples_fit_`, `n_features_in_`)
        The stored training samples: the learned parameters of the model.

    y_fit_ : ndarray of shape (`n_samples_fit_`,)
        Index into ``classes_`` of the class of each stored sample.

    classes_ : ndarray of shape (n_classes,)
        Class labels.

    n_samples_fit_ : int
        Number of stored training samples.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when ``X`` has
        feature names that are all strings.

    See Also
    --------
    sklearn.neighbors.KNeighborsClassifier : scikit-learn's version, with tree
        indexes and more metrics.
    GradientDescentClassifier : A parametric model: its size does not grow
        with the data.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_hp import KNearestNeighborsClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> model = KNearestNeighborsClassifier(n_neighbors=3).fit(X, y)
    >>> model.X_fit_.shape
    (150, 4)
    >>> model.predict([[5.0, 3.4, 1.5, 0.2], [6.5, 3.0, 5.5, 2.0]])
    array([0, 2])
    >>> distances, indices = model.kneighbors([[5.0, 3.4, 1.5, 0.2]], n_neighbors=2)
    >>> indices
    array([[ 7, 39]])
    """

    _parameter_constraints: dict = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "weights": [StrOptions({"uniform", "distance"}), callable],
        "p": [Interval(Real, 1, None, closed="both")],
    }

    def __init__(self, n_neighbors=5, *, weights="uniform", p=2):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.p = p

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Store the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, self.y_fit_ = np.unique(y, return_inverse=True)
        self.X_fit_ = X
        self.n_samples_fit_ = X.shape[0]
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Find the nearest stored samples of each query.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            Query samples. If None, the neighbours of each stored sample are
            returned, the sample itself excluded.
        n_neighbors : int, default=None
            Number of neighbours; ``self.n_neighbors`` if None.
        return_distance : bool, default=True
            Whether to return the distances as well.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors)
            Distances to the neighbours, nearest first. Only returned if
            ``return_distance=True``.
        indices : ndarray of shape (n_queries, n_neighbors)
            Indices of the neighbours in ``X_fit_``.
        """
        check_is_fitted(self)
        if n_neighbors is None:
            n_neighbors = self.n_neighbors
        elif not isinstance(n_neighbors, Integral) or n_neighbors < 1:
            raise ValueError(
                f"n_neighbors must be a positive integer, got {n_neighbors!r}."
            )
        query_is_train = X is None
        if query_is_train:
            X = self.X_fit_
            # Each sample is its own nearest neighbour: ask for one more.
            n_neighbors += 1
        else:
            X = validate_data(self, X, reset=False, dtype=np.float64)
        if n_neighbors > self.n_samples_fit_:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = "
                f"{n_neighbors - query_is_train}, n_samples_fit = "
                f"{self.n_samples_fit_}, n_samples = {X.shape[0]}"
            )

        distances, indices = self._nearest(X, n_neighbors)
        if query_is_train:
            distances, indices = _drop_self(distances, indices)
        return (distances, indices) if return_distance else indices

    def _nearest(self, X, n_neighbors):
        """Sorted distances and indices of the nearest stored samples."""
        n_queries, n_fit = X.shape[0], self.n_samples_fit_
        distances = np.empty((n_queries, n_neighbors), dtype=np.float64)
        indices = np.empty((n_queries, n_neighbors), dtype=np.intp)
        # Rows of distances (and, for p != 2, of feature-wise differences)
        # held in memory at once.
        row_bytes = 8 * n_fit * (1 if self.p == 2 else X.shape[1])
        working_memory = get_config()["working_memory"] * 2**20
        chunk = int(min(n_queries, max(1, working_memory // row_bytes)))
        if self.p == 2:
            fit_norms = row_norms(self.X_fit_, squared=True)
        for rows in gen_batches(n_queries, chunk):
            if self.p == 2:
                # |x - y|^2 = |x|^2 - 2 x.y + |y|^2: one matrix product.
                scores = X[rows] @ self.X_fit_.T
                scores *= -2
                scores += row_norms(X[rows], squared=True)[:, np.newaxis]
                scores += fit_norms
                np.maximum(scores, 0, out=scores)
            else:
                scores = self._minkowski_power(X[rows])
            # The k smallest, then sorted by (distance, index) so that ties
            # go to the earlier training sample.
            candidates = np.argpartition(scores, n_neighbors - 1, axis=1)[
                :, :n_neighbors
            ]
            candidate_scores = np.take_along_axis(scores, candidates, axis=1)
            order = np.lexsort((candidates, candidate_scores), axis=1)
            indices[rows] = np.take_along_axis(candidates, order, axis=1)
            distances[rows] = np.take_along_axis(candidate_scores, order, axis=1)
        if self.p == 2:
            np.sqrt(distances, out=distances)
        elif np.isfinite(self.p) and self.p != 1:
            distances **= 1.0 / self.p
        return distances, indices

    def _minkowski_power(self, X):
        """``sum |x - y|^p`` (the max for ``p=inf``) to every stored sample."""
        differences = np.abs(X[:, np.newaxis, :] - self.X_fit_[np.newaxis, :, :])
        if self.p == np.inf:
            return differences.max(axis=2)
        if self.p != 1:
            differences **= self.p
        return differences.sum(axis=2)

    def _votes(self, X):
        """Weighted votes of the neighbours, one column per class."""
        distances, indices = self.kneighbors(X)
        if self.weights == "uniform":
            weights = np.ones_like(distances)
        elif self.weights == "distance":
            with np.errstate(divide="ignore"):
                weights = 1.0 / distances
            # An exact match takes all the votes of its query.
            exact = np.isinf(weights)
            exact_rows = exact.any(axis=1)
            weights[exact_rows] = exact[exact_rows]
        else:
            weights = np.asarray(self.weights(distances), dtype=np.float64)
        votes = np.zeros((indices.shape[0], len(self.classes_)))
        rows = np.repeat(np.arange(indices.shape[0]), indices.shape[1])
        np.add.at(votes, (rows, self.y_fit_[indices].ravel()), weights.ravel())
        return votes

    def predict_proba(self, X):
        """Share of the (weighted) neighbour votes that each class gets.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            Query samples.

        Returns
        -------
        proba : ndarray of shape (n_queries, n_classes)
            Class probabilities, columns ordered as ``classes_``.
        """
        votes = self._votes(X)
        totals = votes.sum(axis=1, keepdims=True)
        totals[totals == 0] = 1.0
        return votes / totals

    def predict(self, X):
        """Predict the class with the most (weighted) neighbour votes.

        Ties go to the class that comes first in ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            Query samples.

        Returns
        -------
        y_pred : ndarray of shape (n_queries,)
            Predicted classes.
        """
        votes = self._votes(X)
        return self.classes_[votes.argmax(axis=1)]


def _drop_self(distances, indices):
    """Remove each stored sample from its own neighbour list.

    Where duplicates of a sample sort before it, the sample may be missing
    from its list; the last neighbour is dropped instead.
    """
    n_samples = indices.shape[0]
    is_self = indices == np.arange(n_samples)[:, np.newaxis]
    missing = ~is_self.any(axis=1)
    is_self[missing, -1] = True
    keep = ~is_self
    shape = (n_samples, indices.shape[1] - 1)
    return distances[keep].reshape(shape), indices[keep].reshape(shape)
