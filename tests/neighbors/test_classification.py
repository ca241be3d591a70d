import numpy as np
import pytest
from sklearn import config_context
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, make_blobs
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from sklearn_hp import KNearestNeighborsClassifier


def _datasets():
    cancer_X, cancer_y = load_breast_cancer(return_X_y=True)
    digits_X, digits_y = load_digits(return_X_y=True)
    blobs_X, blobs_y = make_blobs(n_samples=400, centers=4, random_state=0)
    return {
        "iris": load_iris(return_X_y=True),
        "breast_cancer": (StandardScaler().fit_transform(cancer_X), cancer_y),
        # Integer pixels: many exactly tied distances.
        "digits": (digits_X, digits_y),
        "blobs": (blobs_X, blobs_y),
    }


DATASETS = _datasets()


def _split(name):
    X, y = DATASETS[name]
    order = np.random.RandomState(0).permutation(len(X))
    train, test = order[: len(X) * 2 // 3], order[len(X) * 2 // 3 :]
    return X[train], X[test], y[train], y[test]


@pytest.mark.parametrize("name", sorted(DATASETS))
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("n_neighbors", [1, 5, 12])
def test_predictions_are_those_of_scikit_learn(name, weights, n_neighbors):
    X_train, X_test, y_train, _ = _split(name)
    ours = KNearestNeighborsClassifier(n_neighbors, weights=weights)
    theirs = KNeighborsClassifier(n_neighbors, weights=weights)
    ours.fit(X_train, y_train)
    theirs.fit(X_train, y_train)
    # Where the last neighbour ties with the next sample, either is a nearest
    # neighbour: scikit-learn's pick follows how its threads split the work
    # (digits' integer pixels tie often). The distances agree everywhere.
    distances = theirs.kneighbors(X_test, n_neighbors + 1)[0]
    np.testing.assert_allclose(
        ours.kneighbors(X_test)[0], distances[:, :-1], rtol=1e-10, atol=1e-12
    )
    untied = distances[:, -1] - distances[:, -2] > 1e-9
    assert untied.mean() > 0.75  # iris, measured to 0.1 cm, ties most
    np.testing.assert_array_equal(
        ours.predict(X_test[untied]), theirs.predict(X_test[untied])
    )
    np.testing.assert_allclose(
        ours.predict_proba(X_test[untied]),
        theirs.predict_proba(X_test[untied]),
        atol=1e-12,
    )


@pytest.mark.parametrize("p", [1, 1.5, 3, np.inf])
def test_minkowski_distances_are_those_of_scikit_learn(p):
    X_train, X_test, y_train, _ = _split("breast_cancer")
    ours = KNearestNeighborsClassifier(7, p=p).fit(X_train, y_train)
    theirs = KNeighborsClassifier(7, p=p, algorithm="brute").fit(X_train, y_train)
    our_distances, our_indices = ours.kneighbors(X_test)
    their_distances, their_indices = theirs.kneighbors(X_test)
    np.testing.assert_allclose(our_distances, their_distances, rtol=1e-10)
    # Neighbours at the same distance may come in another order.
    distinct = np.diff(their_distances, axis=1) > 1e-9
    untied = np.hstack([distinct[:, :1], distinct[:, 1:] & distinct[:, :-1]])
    np.testing.assert_array_equal(
        our_indices[:, :-1][untied], their_indices[:, :-1][untied]
    )
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))


def test_neighbours_of_the_training_set_exclude_each_sample_itself():
    X, _, y, _ = _split("iris")  # iris holds duplicate samples
    ours = KNearestNeighborsClassifier(4).fit(X, y)
    theirs = KNeighborsClassifier(4).fit(X, y)
    our_distances, our_indices = ours.kneighbors()
    their_distances, _ = theirs.kneighbors()
    # Equidistant neighbours may be picked in another order.
    np.testing.assert_allclose(our_distances, their_distances, rtol=1e-10)
    assert not (our_indices == np.arange(len(X))[:, None]).any()


def test_chunking_does_not_change_the_result():
    X_train, X_test, y_train, _ = _split("digits")
    model = KNearestNeighborsClassifier(5).fit(X_train, y_train)
    expected = model.kneighbors(X_test)
    with config_context(working_memory=0.01):  # about one query row per chunk
        chunked = model.kneighbors(X_test)
    np.testing.assert_array_equal(chunked[1], expected[1])
    np.testing.assert_allclose(chunked[0], expected[0])


def test_callable_weights():
    X_train, X_test, y_train, _ = _split("blobs")

    def gaussian(distances):
        return np.exp(-(distances**2))

    ours = KNearestNeighborsClassifier(9, weights=gaussian).fit(X_train, y_train)
    theirs = KNeighborsClassifier(9, weights=gaussian).fit(X_train, y_train)
    np.testing.assert_allclose(ours.predict_proba(X_test), theirs.predict_proba(X_test))


def test_exact_match_takes_every_vote_with_distance_weights():
    X = np.array([[0.0], [1.0], [1.0], [1.0]])
    y = np.array(["a", "b", "b", "b"])
    model = KNearestNeighborsClassifier(4, weights="distance").fit(X, y)
    np.testing.assert_array_equal(model.predict_proba([[0.0]]), [[1.0, 0.0]])


def test_what_it_learns_is_the_training_set_and_grows_with_it():
    X, y = DATASETS["breast_cancer"]
    small = KNearestNeighborsClassifier().fit(X[:100], y[:100])
    large = KNearestNeighborsClassifier().fit(X, y)
    assert small.X_fit_.shape == (100, 30)
    assert large.X_fit_.shape == (len(X), 30)
    assert large.n_samples_fit_ == len(X)
    np.testing.assert_array_equal(large.classes_[large.y_fit_], y)


def test_too_many_neighbours_is_a_clear_error():
    model = KNearestNeighborsClassifier(10).fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        model.predict([[0.5]])
    with pytest.raises(ValueError, match="n_neighbors must be a positive integer"):
        model.kneighbors([[0.5]], n_neighbors=0)


def test_return_distance_false():
    X_train, X_test, y_train, _ = _split("iris")
    model = KNearestNeighborsClassifier(3).fit(X_train, y_train)
    np.testing.assert_array_equal(
        model.kneighbors(X_test, return_distance=False), model.kneighbors(X_test)[1]
    )
