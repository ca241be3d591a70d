"""The racing benchmark still runs (one cheap task, tiny budget)."""

import importlib.util
from pathlib import Path


def test_racing_benchmark_compares_with_and_without(tmp_path):
    path = Path(__file__).parents[2] / "benchmarks" / "racing.py"
    spec = importlib.util.spec_from_file_location("benchmark_racing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.main(["--seeds", "1", "--n-iter", "6", "--tasks", "Ridge, diabetes"])
    assert table["task"].tolist() == ["Ridge, diabetes"]
    assert {"fits full", "fits racing", "fit time saved", "best CV diff"} <= set(table)
    assert (table["fits racing"] <= table["fits full"]).all()
