"""The auto-space benchmark still runs (one cheap task, tiny budget)."""

import importlib.util
from pathlib import Path


def test_auto_space_benchmark_compares_auto_and_expert(tmp_path):
    path = Path(__file__).parents[2] / "benchmarks" / "auto_space.py"
    spec = importlib.util.spec_from_file_location("benchmark_auto_space", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.main(["--seeds", "1", "--n-iter", "4", "--tasks", "Ridge, diabetes"])
    assert table["task"].tolist() == ["Ridge, diabetes"]
    assert {"auto", "expert", "auto - expert", "within 0.005"} <= set(table)
