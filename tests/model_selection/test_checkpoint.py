import json
import os
import re
import sys
import warnings
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklearn_hp import BayesSearchCV
from tests._doubles import saved_evaluations, search_killed_after, slow_classifier

X, Y = make_classification(n_samples=80, n_features=5, random_state=0)
SPACE = {
    "C": (0.01, 10.0, "log-uniform"),
    "kernel": ["rbf", "linear"],
    "class_weight": [None, "balanced", {0: 1, 1: 2}],
}


def _search(path, n_iter, **kwargs):
    return BayesSearchCV(
        SVC(), SPACE, n_iter=n_iter, cv=3, random_state=0, checkpoint=path, **kwargs
    )


def test_a_search_goes_on_from_its_checkpoint_without_refitting(tmp_path):
    path = tmp_path / "search.json"
    first = _search(path, 6).fit(X, Y)
    assert len(saved_evaluations(path)) == 6
    resumed = _search(path, 10).fit(X, Y)
    results = resumed.cv_results_
    assert len(results["params"]) == 10
    assert results["params"][:6] == first.cv_results_["params"]
    # the saved evaluations are taken as they are, times included: not refitted
    np.testing.assert_array_equal(
        results["mean_fit_time"][:6], first.cv_results_["mean_fit_time"]
    )
    assert len({repr(sorted(p.items())) for p in results["params"]}) == 10
    # the checkpoint now holds all ten, and nothing else was left behind
    assert len(saved_evaluations(path)) == 10
    assert sorted(os.listdir(tmp_path)) == ["search.json"]


def test_a_finished_search_is_not_evaluated_again(tmp_path):
    path = tmp_path / "search.json"
    first = _search(path, 5).fit(X, Y)
    again = _search(path, 5).fit(X, Y)
    np.testing.assert_array_equal(
        again.cv_results_["split0_test_score"], first.cv_results_["split0_test_score"]
    )
    assert again.best_params_ == first.best_params_


def test_a_checkpoint_written_before_the_search_was_split_into_parts_loads(tmp_path):
    # written by sklearn_hp 0.1.0.dev0 before the evaluator and the schedules
    # were parts of their own; its fingerprint is made anew here, since the
    # hashes of the data and estimator depend on the installed releases
    from sklearn.model_selection import StratifiedKFold

    from sklearn_hp.model_selection._checkpoint import fingerprint

    saved = json.loads(
        (Path(__file__).parent / "data" / "checkpoint_0.1.0.dev0.json").read_text()
    )
    cv = StratifiedKFold(3)
    space = {"C": (0.1, 10.0, "log-uniform"), "kernel": ["linear", "rbf"]}
    saved["fingerprint"] = fingerprint(
        X=X,
        y=Y,
        fit_params={},
        splits=list(cv.split(X, Y)),
        estimator=SVC(),
        scoring=None,
        return_train_score=False,
    )
    path = tmp_path / "search.json"
    path.write_text(json.dumps(saved))
    search = BayesSearchCV(
        SVC(), space, n_iter=6, cv=cv, random_state=0, checkpoint=path
    ).fit(X, Y)
    results = search.cv_results_
    assert results["params"][:4] == [
        {"C": 0.6206820781575737, "kernel": "linear"},
        {"C": 0.38196660690543593, "kernel": "rbf"},
        {"C": 0.40485520757264387, "kernel": "rbf"},
        {"C": 0.8489607289783063, "kernel": "linear"},
    ]
    folds = saved["evaluations"][0]["folds"]
    assert results["split0_test_score"][0] == folds[0]["test_scores"]
    assert len(results["params"]) == 6
    np.testing.assert_array_equal(search.search_info_["batch"][:4], [-1] * 4)


def test_checkpoint_of_another_search_is_refused(tmp_path):
    path = tmp_path / "search.json"
    _search(path, 4).fit(X, Y)
    with pytest.raises(ValueError, match=r"the data .* differ"):
        _search(path, 6).fit(X[:70], Y[:70])
    with pytest.raises(ValueError, match="the cross-validation splits differs"):
        _search(path, 6).set_params(cv=KFold(3, shuffle=True, random_state=1)).fit(X, Y)
    with pytest.raises(ValueError, match="the estimator differs"):
        _search(path, 6).set_params(estimator=SVC(tol=0.1)).fit(X, Y)
    with pytest.raises(ValueError, match="the scoring differs"):
        _search(path, 6).set_params(scoring="balanced_accuracy").fit(X, Y)


def test_files_that_are_not_checkpoints_are_refused(tmp_path):
    path = tmp_path / "search.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="is not a checkpoint BayesSearchCV can read"):
        _search(path, 3).fit(X, Y)
    path.write_text(json.dumps({"some": "document"}))
    with pytest.raises(ValueError, match="is not a BayesSearchCV checkpoint"):
        _search(path, 3).fit(X, Y)


def test_estimators_in_the_space_are_saved_by_identity(tmp_path):
    path = tmp_path / "search.json"
    pipe = Pipeline([("scale", StandardScaler()), ("clf", SVC())])
    space = {"clf": [SVC(), LogisticRegression()], "scale": ["passthrough", None]}
    first = BayesSearchCV(pipe, space, cv=3, checkpoint=path).fit(X, Y)
    again = BayesSearchCV(pipe, space, cv=3, checkpoint=path).fit(X, Y)
    np.testing.assert_array_equal(
        again.cv_results_["mean_fit_time"], first.cv_results_["mean_fit_time"]
    )
    assert isinstance(again.cv_results_["params"][0]["clf"], SVC)
    changed = {"clf": [SVC(C=3.0), LogisticRegression()], "scale": [None]}
    with pytest.raises(ValueError, match="not a value of the search space any more"):
        BayesSearchCV(pipe, changed, cv=3, checkpoint=path).fit(X, Y)


class AnyWeightClassifier(ClassifierMixin, BaseEstimator):
    """Takes any value as ``weight``, which does not change its fit."""

    def __init__(self, weight=1.0):
        self.weight = weight

    def fit(self, X, y):
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


def test_numbers_json_cannot_hold_are_saved_and_found_again(tmp_path):
    path = tmp_path / "search.json"
    space = {"weight": [1.0, 2 - 0.5j, np.complex128(1j), Decimal("1.5")]}
    first = BayesSearchCV(AnyWeightClassifier(), space, cv=3, checkpoint=path)
    first.fit(X, Y)
    assert len(saved_evaluations(path)) == 4
    again = BayesSearchCV(AnyWeightClassifier(), space, cv=3, checkpoint=path)
    again.fit(X, Y)
    np.testing.assert_array_equal(
        again.cv_results_["mean_fit_time"], first.cv_results_["mean_fit_time"]
    )
    weights = [params["weight"] for params in again.cv_results_["params"]]
    assert weights == [1.0, 2 - 0.5j, 1j, Decimal("1.5")]
    assert [type(w) for w in weights] == [float, complex, complex, Decimal]


class Unsaveable:
    """A value the test below gives no identity in a checkpoint."""


def test_a_value_that_cannot_be_saved_is_refused_before_the_file_is_made(
    tmp_path, monkeypatch
):
    # every value a search space takes has an identity (the hash of its
    # pickle): one without is made here
    from sklearn_hp.model_selection import _checkpoint

    identity = _checkpoint._identity

    def no_identity_for_unsaveable(value):
        if isinstance(value, Unsaveable):
            raise TypeError("no identity")
        return identity(value)

    monkeypatch.setattr(_checkpoint, "_identity", no_identity_for_unsaveable)
    space = {"weight": [1.0, Unsaveable()]}
    search = BayesSearchCV(
        AnyWeightClassifier(), space, cv=3, checkpoint=tmp_path / "search.json"
    )
    with pytest.raises(TypeError, match=r"checkpoint: the value .* of 'weight' cannot"):
        search.fit(X, Y)
    assert os.listdir(tmp_path) == []


class InterruptedClassifier(ClassifierMixin, BaseEstimator):
    """Raises KeyboardInterrupt at the fit whose number is ``interrupt_at``."""

    n_fits = 0
    interrupt_at = None

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        type(self).n_fits += 1
        if type(self).n_fits == type(self).interrupt_at:
            raise KeyboardInterrupt
        self.model_ = LogisticRegression(C=self.C).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


def test_interrupt_keeps_what_finished_and_says_how_to_go_on(tmp_path):
    path = tmp_path / "search.json"
    InterruptedClassifier.n_fits = 0
    InterruptedClassifier.interrupt_at = 10
    search = BayesSearchCV(
        InterruptedClassifier(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=6,
        cv=3,
        random_state=0,
        checkpoint=path,
    )
    with pytest.raises(
        KeyboardInterrupt, match="interrupted after 3 candidates"
    ) as info:
        search.fit(X, Y)
    assert f"saved in {str(path)!r}: fit again with the same checkpoint" in str(
        info.value
    )
    assert len(search.cv_results_["params"]) == 3
    assert len(saved_evaluations(path)) == 3
    InterruptedClassifier.n_fits = 0
    InterruptedClassifier.interrupt_at = None
    resumed = search.fit(X, Y)
    assert len(resumed.cv_results_["params"]) == 6
    # three candidates left, three folds each, and the refit
    assert InterruptedClassifier.n_fits == 3 * 3 + 1


def test_interrupt_without_checkpoint_says_how_to_make_one():
    InterruptedClassifier.n_fits = 0
    InterruptedClassifier.interrupt_at = 4
    search = BayesSearchCV(InterruptedClassifier(), {"C": [0.1, 1.0]}, cv=3)
    with pytest.raises(KeyboardInterrupt, match=re.escape("checkpoint='search.json'")):
        search.fit(X, Y)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_search_resumes_from_its_checkpoint(tmp_path):
    settings = {"n_iter": 30, "cv": 2, "random_state": 0}
    path, _, _ = search_killed_after(tmp_path, 4, **settings)
    saved = saved_evaluations(path)
    assert 4 <= len(saved) < 30

    with slow_classifier(tmp_path) as SlowClassifier:
        resumed = BayesSearchCV(
            SlowClassifier(),
            {"C": (0.01, 10.0, "log-uniform")},
            checkpoint=path,
            **settings,
        ).fit(X, Y)
    results = resumed.cv_results_
    assert len(results["params"]) == 30
    for index, evaluation in enumerate(saved):
        assert results["params"][index]["C"] == evaluation["params"]["C"]
        assert results["split0_test_score"][index] == pytest.approx(
            evaluation["folds"][0]["test_scores"]
        )
    assert len({p["C"] for p in results["params"]}) == 30


def _interrupted_search(path, interrupt_at, n_iter=6):
    InterruptedClassifier.n_fits = 0
    InterruptedClassifier.interrupt_at = interrupt_at
    return BayesSearchCV(
        InterruptedClassifier(),
        {"C": (0.01, 10.0, "log-uniform")},
        n_iter=n_iter,
        cv=3,
        random_state=0,
        checkpoint=path,
    )


def test_each_fit_is_saved_as_it_ends_and_not_run_again(tmp_path):
    path = tmp_path / "search.json"
    # the fifth fit: the second candidate's second fold
    with pytest.raises(KeyboardInterrupt):
        _interrupted_search(path, 5).fit(X, Y)
    lines = path.read_text().splitlines()
    records = [json.loads(line) for line in lines[1:]]
    folds = [(r["candidate"], r["fold"]) for r in records if "fold" in r]
    assert folds == [(0, 0), (0, 1), (0, 2), (1, 0)]
    search = _interrupted_search(path, None)
    search.fit(X, Y)
    # 6 candidates x 3 folds, but for the 4 saved, and the refit
    assert InterruptedClassifier.n_fits == 6 * 3 - 4 + 1
    assert len(search.cv_results_["params"]) == 6


@pytest.mark.parametrize("interrupt_at", [2, 7, 11, 16])
def test_a_resumed_search_ends_as_one_never_interrupted(tmp_path, interrupt_at):
    never = _interrupted_search(tmp_path / "never.json", None).fit(X, Y)
    path = tmp_path / "search.json"
    with pytest.raises(KeyboardInterrupt):
        _interrupted_search(path, interrupt_at).fit(X, Y)
    resumed = _interrupted_search(path, None).fit(X, Y)
    expected, results = never.cv_results_, resumed.cv_results_
    assert results["params"] == expected["params"]
    for key in expected:
        if "test_score" in key or key.startswith("param_"):
            np.testing.assert_array_equal(results[key], expected[key], err_msg=key)
    assert resumed.best_params_ == never.best_params_
    np.testing.assert_array_equal(
        resumed.search_info_["batch"], never.search_info_["batch"]
    )


def test_a_torn_last_line_is_dropped_with_a_warning(tmp_path):
    path = tmp_path / "search.json"
    with pytest.raises(KeyboardInterrupt):
        _interrupted_search(path, 8).fit(X, Y)
    n_lines = len(path.read_text().splitlines())
    with open(path, "a") as file:
        file.write('{"candidate": 2, "fold": 1, "out": {"test_sc')
    with pytest.warns(UserWarning, match=f"the {n_lines} complete records"):
        search = _interrupted_search(path, None).fit(X, Y)
    assert len(search.cv_results_["params"]) == 6
    # the torn line is gone: every line of the file is a record
    assert all(json.loads(line) for line in path.read_text().splitlines())
    # 18 fits, 7 of them saved before, and the refit
    assert InterruptedClassifier.n_fits == 18 - 7 + 1


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda lines: [*lines[:2], "not json", *lines[3:]], "line 3 is not JSON"),
        (
            lambda lines: lines[:1] + lines[2:],
            "line 2 is a fold of candidate 0, which no line before names",
        ),
        (
            lambda lines: (
                [lines[0].replace('"version": 2', '"version": 99'), *lines[1:]]
            ),
            "has format version 99; this version of sklearn_hp reads versions 1 and 2",
        ),
        (
            lambda lines: [*lines[:2], lines[2].replace('"fold": 0', '"fold": 7')],
            "line 3 has fold 7, not one of the 3 splits",
        ),
        (
            lambda lines: [*lines[:2], lines[2].replace('"test_scores"', '"score"')],
            "line 3 is not a fold's result",
        ),
        (lambda lines: ["[1, 2]", *lines[1:]], "line 1 is not a JSON object"),
    ],
)
def test_an_edited_checkpoint_is_refused_naming_the_file_and_line(
    tmp_path, edit, message
):
    path = tmp_path / "search.json"
    with pytest.raises(KeyboardInterrupt):
        _interrupted_search(path, 5).fit(X, Y)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        _interrupted_search(path, None).fit(X, Y)
    assert str(path) in str(info.value)


def test_a_checkpoint_in_use_by_another_search_is_refused(tmp_path):
    from sklearn_hp.model_selection._checkpoint import _lock, _unlock

    path = tmp_path / "search.json"
    _interrupted_search(path, None, n_iter=2).fit(X, Y)
    before = path.read_bytes()
    # another search holds the file, as a running search does
    with open(path, "r+b") as held:
        _lock(held, str(path))
        with pytest.raises(RuntimeError, match="being written by another search"):
            _interrupted_search(path, None, n_iter=4).fit(X, Y)
        _unlock(held)
    # the refused search wrote nothing; once the file is free it goes on
    assert path.read_bytes() == before
    search = _interrupted_search(path, None, n_iter=4).fit(X, Y)
    assert len(search.cv_results_["params"]) == 4


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_is_handled_as_an_interrupt(tmp_path):
    import signal

    settings = {"n_iter": 30, "cv": 2, "random_state": 0}
    path, status, stderr = search_killed_after(
        tmp_path, 3, sent=signal.SIGTERM, **settings
    )
    assert status != 0
    assert "was terminated (SIGTERM) after" in stderr
    assert "fit again with the same checkpoint" in stderr
    saved = saved_evaluations(path)
    assert len(saved) >= 3
    with slow_classifier(tmp_path) as SlowClassifier:
        resumed = BayesSearchCV(
            SlowClassifier(),
            {"C": (0.01, 10.0, "log-uniform")},
            checkpoint=path,
            **settings,
        ).fit(X, Y)
    assert len(resumed.cv_results_["params"]) == 30


def test_a_search_that_fits_nothing_leaves_no_checkpoint(tmp_path):
    path = tmp_path / "search.json"
    search = BayesSearchCV(
        SVC(), {"C": [-1.0]}, cv=3, error_score="raise", checkpoint=path
    )
    with pytest.raises(ValueError, match="'C' parameter of SVC"):
        search.fit(X, Y)
    assert os.listdir(tmp_path) == []


def test_a_replay_that_does_not_reuse_saved_fits_says_so(tmp_path):
    path = tmp_path / "search.json"
    _interrupted_search(path, None, n_iter=3).fit(X, Y)
    n_candidates = len(saved_evaluations(path))
    # a candidate this search would never propose
    record = {"candidate": n_candidates, "params": {"C": 0.5}, "propose_time": 0.0}
    with open(path, "a") as file:
        file.write(json.dumps(record) + "\n")
    with pytest.warns(UserWarning, match="1 candidates saved in .* were not proposed"):
        _interrupted_search(path, None, n_iter=3).fit(X, Y)
    # a search that reuses every saved fit says nothing
    clean = tmp_path / "clean.json"
    _interrupted_search(clean, None, n_iter=3).fit(X, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        _interrupted_search(clean, None, n_iter=3).fit(X, Y)


_PLAN = """
from scipy.stats import loguniform
from skopt.space import Categorical
from sklearn.svm import SVC

from sklearn_hp import BayesSearchCV

space = [{"C": loguniform(1e-2, 1e1)}, {"C": Categorical([0.5, 2.0]), "gamma": [1]}]
search = BayesSearchCV(SVC(), space, n_iter=6, random_state=0)
search.n_splits_ = 5  # as fit sets it
print(search._plan(search._parsed_search_spaces()[1]))
"""


def test_a_search_is_known_again_in_another_process_by_what_it_searches():
    # scipy's distributions and scikit-optimize's dimensions pickle with their
    # random state and caches, differently in every process: a resumed search
    # (always another process) would never be replayed if they were hashed
    import subprocess

    plans = {
        subprocess.run(
            [sys.executable, "-c", _PLAN], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert len(plans) == 1
    (plan,) = plans
    assert len(plan) == 32
