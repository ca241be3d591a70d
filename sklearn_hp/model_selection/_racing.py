"""Fold-level racing: stop a candidate's folds once it cannot beat the best.

After each round of folds, a candidate's fold scores are compared with the
incumbent's (the best candidate evaluated on every fold so far) on the same
folds, by a one-sided paired t-test; when the candidate is worse at the
chosen confidence, its remaining folds are not fitted. The folds it skipped
are recorded as such: their scores and times are NaN in ``cv_results_``, so
its mean test score is NaN and it ranks last, and ``n_splits_evaluated``
says how many folds were measured.
"""

import numpy as np
from scipy import stats

# A candidate is raced once this many of its folds are measured.
MIN_FOLDS = 2


def fold_score(out, metric):
    """Return the optimised metric's test score in one fold's result."""
    score = out["test_scores"]
    return score[metric] if isinstance(score, dict) else score


def cannot_win(scores, incumbent, confidence):
    """Whether a candidate's fold scores are worse than the incumbent's.

    Parameters
    ----------
    scores, incumbent : array-like of shape (n_folds,)
        Test scores on the same folds, greater is better.
    confidence : float
        Confidence of the one-sided paired t-test.
    """
    differences = np.asarray(scores, dtype=float) - np.asarray(incumbent, dtype=float)
    if len(differences) < MIN_FOLDS or not np.all(np.isfinite(differences)):
        return False
    if np.allclose(differences, differences[0]):
        # no spread: worse on every fold by the same amount, or not worse
        return bool(differences[0] < 0)
    test = stats.ttest_rel(scores, incumbent, alternative="less")
    return bool(test.pvalue < 1 - confidence)


def skipped_fold(like, n_test_samples):
    """Make the record of a fold that racing did not fit."""

    def nan_like(value):
        if isinstance(value, dict):
            return {name: np.nan for name in value}
        return np.nan

    record = {
        "fit_error": None,
        "test_scores": nan_like(like["test_scores"]),
        "n_test_samples": n_test_samples,
        "fit_time": np.nan,
        "score_time": np.nan,
        "skipped": True,
    }
    if "train_scores" in like:
        record["train_scores"] = nan_like(like["train_scores"])
    return record


def incumbent_scores(candidates_out, n_splits, metric):
    """Return the fold scores of the best candidate measured on every fold.

    Parameters
    ----------
    candidates_out : list of dict
        ``_fit_and_score`` results, ``n_splits`` consecutive ones per
        candidate.

    Returns
    -------
    scores : ndarray of shape (n_splits,) or None
    """
    best, best_mean = None, -np.inf
    for start in range(0, len(candidates_out), n_splits):
        folds = candidates_out[start : start + n_splits]
        if any(fold.get("skipped") for fold in folds):
            continue
        scores = np.array([fold_score(fold, metric) for fold in folds], dtype=float)
        if np.all(np.isfinite(scores)) and scores.mean() > best_mean:
            best, best_mean = scores, scores.mean()
    return best


def splits_evaluated(outs, n_splits):
    """Count the folds measured of each candidate (``n_splits_evaluated``)."""
    return np.array(
        [
            sum(not fold.get("skipped") for fold in outs[start : start + n_splits])
            for start in range(0, len(outs), n_splits)
        ]
    )


def unexplained_nan(outs, n_splits):
    """Whether a candidate measured on every fold has a non-finite score."""
    for start in range(0, len(outs), n_splits):
        folds = outs[start : start + n_splits]
        if any(fold.get("skipped") for fold in folds):
            continue
        for fold in folds:
            scores = fold["test_scores"]
            values = scores.values() if isinstance(scores, dict) else [scores]
            if not all(np.isfinite(v) for v in values):
                return True
    return False
