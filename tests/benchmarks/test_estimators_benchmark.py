"""The estimator benchmark still runs (on tiny data: no timing is checked)."""

import pytest
from _common import load_benchmark
from sklearn.datasets import make_classification, make_regression


@pytest.fixture(scope="module")
def benchmark_module():
    module = load_benchmark("estimators")
    return module


def test_benchmark_compares_every_pair(benchmark_module, monkeypatch, capsys):
    def tiny(quick):
        return {
            "tiny regression": (
                "regression",
                *make_regression(n_samples=80, random_state=0),
            ),
            "tiny classification": (
                "classification",
                *make_classification(n_samples=80, random_state=0),
            ),
        }

    monkeypatch.setattr(benchmark_module, "datasets", tiny)
    table = benchmark_module.benchmark(repeats=1, quick=True)
    assert len(table) == len(benchmark_module.PAIRS)
    assert {"score diff", "fit ratio", "predict ratio", "same predictions"} <= set(
        table
    )
    knn = table[table["ours"] == "KNearestNeighborsClassifier"]
    assert knn["same predictions"].tolist() == ["yes"]
    assert "tiny classification" in capsys.readouterr().out
