import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklearn_hp import BayesSearchCV
from sklearn_hp.model_selection._racing import cannot_win
from tests._doubles import NoisyScore

X, Y = make_classification(n_samples=200, n_features=6, random_state=0)


def test_paired_test():
    assert cannot_win([0.5, 0.52, 0.49], [0.9, 0.91, 0.92], 0.95)
    assert not cannot_win([0.9, 0.88, 0.93], [0.9, 0.91, 0.92], 0.95)
    assert not cannot_win([0.5], [0.9], 0.95)  # one fold tells nothing
    assert cannot_win([0.5, 0.5], [0.6, 0.6], 0.95)  # worse on every fold, no spread
    assert not cannot_win([0.6, 0.6], [0.6, 0.6], 0.95)


def _search(racing, **kwargs):
    return BayesSearchCV(
        NoisyScore(),
        {"quality": [0.9, 0.1, 0.2, 0.3, 0.95, 0.15]},
        cv=5,
        racing=racing,
        **kwargs,
    )


def test_racing_skips_the_folds_of_hopeless_candidates():
    NoisyScore.n_fits = 0
    full = _search(False).fit(X, Y)
    full_fits = NoisyScore.n_fits
    NoisyScore.n_fits = 0
    raced = _search(True).fit(X, Y)
    raced_fits = NoisyScore.n_fits
    assert raced_fits < full_fits
    results = raced.cv_results_
    evaluated = results["n_splits_evaluated"]
    qualities = [p["quality"] for p in results["params"]]
    # the first candidate is the incumbent: measured on every fold
    assert evaluated[0] == 5
    for quality, n_folds, index in zip(qualities, evaluated, range(len(qualities))):
        splits = [results[f"split{k}_test_score"][index] for k in range(5)]
        if quality < 0.5:
            assert n_folds < 5
            assert np.isnan(splits[n_folds:]).all()
            assert np.isfinite(splits[:n_folds]).all()
            assert np.isnan(results["mean_test_score"][index])
            assert np.isfinite(results["mean_fit_time"][index])
        else:
            assert n_folds == 5
    assert raced.best_params_ == full.best_params_ == {"quality": 0.95}
    assert raced.best_score_ == pytest.approx(full.best_score_)
    # raced candidates rank last, after every fully measured one
    ranks = results["rank_test_score"]
    assert ranks[evaluated < 5].min() > ranks[evaluated == 5].max()
    # the optimizer is told the mean of the measured folds, never NaN
    assert np.isfinite(raced.optimizer_results_[0].func_vals).all()


def test_no_warning_about_the_nan_scores_of_raced_candidates():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _search(True).fit(X, Y)


def test_racing_works_with_any_estimator_and_a_continuous_space():
    search = BayesSearchCV(
        LogisticRegression(),
        {"C": (1e-4, 1e2, "log-uniform")},
        n_iter=12,
        cv=5,
        random_state=0,
        racing=0.9,
    ).fit(X, Y)
    assert len(search.cv_results_["params"]) == 12
    assert search.cv_results_["n_splits_evaluated"][search.best_index_] == 5


def test_racing_with_several_metrics_races_on_the_refit_metric():
    search = _search(True, scoring=["accuracy", "f1"], refit="accuracy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # f1 of a constant prediction
        search.fit(X, Y)
    assert "n_splits_evaluated" in search.cv_results_


def test_racing_is_kept_in_a_checkpoint(tmp_path):
    path = tmp_path / "search.json"
    first = _search(True, checkpoint=path).fit(X, Y)
    again = _search(True, checkpoint=path).fit(X, Y)
    np.testing.assert_array_equal(
        again.cv_results_["n_splits_evaluated"], first.cv_results_["n_splits_evaluated"]
    )


def test_bad_racing_values_are_refused():
    with pytest.raises(ValueError, match="'racing' parameter"):
        _search(1.5).fit(X, Y)
