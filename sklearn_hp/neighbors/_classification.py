"""k-nearest-neighbours classification: the non-parametric case."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import repeat
from numbers import Integral, Real
from typing import Literal

import numpy as np
from joblib import cpu_count
from numpy.typing import ArrayLike
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import gen_batches, gen_even_slices
from sklearn.utils.extmath import row_norms
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._sklearn_compat import Interval, StrOptions, _fit_context

# Largest block of distances computed at once, in MiB.
_MAX_CHUNK_MIB = 32
# Fewer query rows than this per thread are not worth a thread.
_MIN_ROWS_PER_THREAD = 64


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

    def __init__(
        self,
        n_neighbors: int = 5,
        *,
        weights: Literal["uniform", "distance"]
        | Callable[[np.ndarray], np.ndarray] = "uniform",
        p: float = 2,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.p = p

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: ArrayLike, y: ArrayLike) -> KNearestNeighborsClassifier:
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

    def kneighbors(
        self,
        X: ArrayLike | None = None,
        n_neighbors: int | None = None,
        return_distance: bool = True,
    ) -> tuple[np.ndarray, np.ndarray] | np.ndarray:
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
        # Rows of distances held in memory at once: within working_memory, and
        # small enough to stay clear of the page faults of fresh huge arrays.
        chunk_bytes = min(get_config()["working_memory"], _MAX_CHUNK_MIB) * 2**20
        chunk = int(min(n_queries, max(1, chunk_bytes // (16 * n_fit))))
        powers = self._gram_distances if self._uses_gram_matrix() else self._powers
        # numpy's selection releases the GIL: threads share the rows of a chunk.
        n_threads = min(cpu_count(), max(1, n_queries // _MIN_ROWS_PER_THREAD))
        with ThreadPoolExecutor(n_threads) as pool:
            for rows in gen_batches(n_queries, chunk):
                scores = powers(X[rows])
                n_rows = rows.stop - rows.start
                parts = list(gen_even_slices(n_rows, min(n_threads, n_rows)))
                selections = pool.map(
                    _smallest, [scores[part] for part in parts], repeat(n_neighbors)
                )
                for part, (part_distances, part_indices) in zip(parts, selections):
                    distances[rows][part] = part_distances
                    indices[rows][part] = part_indices
        if self.p == 2:
            np.sqrt(distances, out=distances)
        elif np.isfinite(self.p) and self.p != 1:
            distances **= 1.0 / self.p
        return distances, indices

    def _uses_gram_matrix(self):
        """Whether scikit-learn would compute these distances by matrix product.

        ``KNeighborsClassifier(algorithm="auto")`` searches a k-d tree, which sums
        squared differences feature by feature, unless there are more than 15
        features or ``n_neighbors`` reaches half the samples; then it expands
        ``|x - y|^2`` into a matrix product. Computing the distances the same
        way rounds them the same way, so near-ties break the same way.
        """
        return self.p == 2 and (
            self.n_features_in_ > 15 or self.n_neighbors >= self.n_samples_fit_ // 2
        )

    def _gram_distances(self, X):
        """Squared Euclidean distances as ``|x|^2 - 2 x.y + |y|^2``."""
        scores = X @ self.X_fit_.T
        scores *= -2
        scores += row_norms(X, squared=True)[:, np.newaxis]
        scores += row_norms(self.X_fit_, squared=True)
        return np.maximum(scores, 0, out=scores)

    def _powers(self, X):
        """``sum |x - y|^p`` (the max for ``p=inf``), summed feature by feature."""
        scores = np.zeros((X.shape[0], self.n_samples_fit_))
        term = np.empty_like(scores)
        for feature in range(X.shape[1]):
            np.subtract(X[:, feature, np.newaxis], self.X_fit_[:, feature], out=term)
            if self.p == 2:
                np.square(term, out=term)
            else:
                np.abs(term, out=term)
                if self.p == np.inf:
                    np.maximum(scores, term, out=scores)
                    continue
                if self.p != 1:
                    np.power(term, self.p, out=term)
            scores += term
        return scores

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
        n_queries, n_classes = indices.shape[0], len(self.classes_)
        # Sum the weights per (query, class) cell with one bincount.
        cells = self.y_fit_[indices] + n_classes * np.arange(n_queries)[:, np.newaxis]
        votes = np.bincount(
            cells.ravel(), weights=weights.ravel(), minlength=n_queries * n_classes
        )
        return votes.reshape(n_queries, n_classes)

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
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

    def predict(self, X: ArrayLike) -> np.ndarray:
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


def _smallest(scores, k):
    """Select the ``k`` smallest scores of each row and their columns, in order.

    Equal scores are ordered by column, and where the k-th smallest score is
    tied with another one the lowest columns are kept: the earlier training
    sample wins, as in scikit-learn.
    """
    n_columns = scores.shape[1]
    if k < n_columns:
        columns = np.argpartition(scores, k - 1, axis=1)[:, :k]
        kth = np.take_along_axis(scores, columns, axis=1).max(axis=1)
        tied = np.count_nonzero(scores <= kth[:, np.newaxis], axis=1) > k
        for row in np.flatnonzero(tied):
            columns[row] = np.argsort(scores[row], kind="stable")[:k]
    else:
        columns = np.broadcast_to(np.arange(n_columns), scores.shape).copy()
    selected = np.take_along_axis(scores, columns, axis=1)
    order = np.lexsort((columns, selected), axis=1)
    return (
        np.take_along_axis(selected, order, axis=1),
        np.take_along_axis(columns, order, axis=1),
    )


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
