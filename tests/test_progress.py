import io
import re
import sys

import pytest
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

from sklearn_hp import BayesSearchCV, ProgressBar

X, Y = load_iris(return_X_y=True)


def _search(bar, n_iter=4, **kwargs):
    return BayesSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": (1, 8), "criterion": ["gini", "entropy"]},
        n_iter=n_iter,
        cv=3,
        random_state=0,
        callbacks=bar,
        **kwargs,
    )


def test_text_progress_counts_candidates_and_shows_the_best_score():
    out = io.StringIO()
    search = _search(ProgressBar(backend="text", file=out), n_iter=4).fit(X, Y)
    lines = out.getvalue().splitlines()
    assert [re.search(r"(\d)/4 candidates", line).group(1) for line in lines] == [
        "1",
        "2",
        "3",
        "4",
    ]
    best = [float(re.search(r"best score (\d\.\d+)", line).group(1)) for line in lines]
    assert best == sorted(best)
    assert best[-1] == pytest.approx(search.best_score_, abs=1e-4)


def test_batches_move_the_bar_by_their_size():
    out = io.StringIO()
    _search(ProgressBar(backend="text", file=out), n_iter=6, n_points=3).fit(X, Y)
    assert re.findall(r"(\d)/6 candidates", out.getvalue()) == ["3", "6"]


def test_tqdm_bar_reaches_the_total_and_is_closed():
    pytest.importorskip("tqdm")
    out = io.StringIO()
    bar = ProgressBar(backend="tqdm", file=out)
    _search(bar, n_iter=4).fit(X, Y)
    assert "4/4" in out.getvalue()
    assert "best score" in out.getvalue()
    assert bar._bar is None  # closed at the end of the search
    # the same bar serves another search
    _search(bar, n_iter=3).fit(X, Y)
    assert "3/3" in out.getvalue()


def test_rich_bar():
    pytest.importorskip("rich")
    out = io.StringIO()
    _search(ProgressBar(backend="rich", file=out), n_iter=3).fit(X, Y)
    assert "BayesSearchCV" in out.getvalue()


def test_a_stopped_search_closes_its_bar():
    out = io.StringIO()
    bar = ProgressBar(backend="text", file=out)
    search = _search([bar, lambda result: len(result.scores) >= 2], n_iter=6)
    search.fit(X, Y)
    assert len(search.cv_results_["params"]) == 2
    assert getattr(bar, "_bar", None) is None


def test_without_tqdm_and_rich_progress_is_text_and_the_extra_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "rich", None)
    out = io.StringIO()
    with pytest.warns(
        UserWarning, match=re.escape('pip install "sklearn_hp[progress]"')
    ):
        _search(ProgressBar(file=out), n_iter=2).fit(X, Y)
    assert "2/2 candidates" in out.getvalue()
    with pytest.raises(ImportError, match=r"needs tqdm, which is not installed"):
        _search(ProgressBar(backend="tqdm"), n_iter=2).fit(X, Y)


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend must be 'auto', 'tqdm', 'rich'"):
        _search(ProgressBar(backend="curses"), n_iter=2).fit(X, Y)
