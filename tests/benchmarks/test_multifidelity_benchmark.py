"""The multi-fidelity benchmark still runs (small data, tiny budget)."""

from _common import load_benchmark
from sklearn.datasets import make_classification


def test_multifidelity_benchmark_compares_three_searches(monkeypatch):
    module = load_benchmark("multifidelity")
    name = "SVC, 4000x20 (samples)"
    kind, _, make, space, resource, low, high = module.TASKS[name]
    tiny = (
        kind,
        lambda: make_classification(n_samples=300, random_state=0),
        make,
        space,
        resource,
        low,
        high,
    )
    monkeypatch.setitem(module.TASKS, name, tiny)
    table = module.main(["--seeds", "1", "--n-iter", "9", "--tasks", name])
    assert table["search"].tolist() == [
        "full",
        "multi-fidelity",
        "HalvingRandomSearchCV",
    ]
    assert {"best CV", "fit s", "fit time / full", "to reach / full"} <= set(table)
