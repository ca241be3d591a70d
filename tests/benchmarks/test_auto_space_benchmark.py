"""The auto-space benchmark still runs (one cheap task, tiny budget)."""

from _common import load_benchmark


def test_auto_space_benchmark_compares_auto_and_expert(tmp_path):
    module = load_benchmark("auto_space")
    table = module.main(["--seeds", "1", "--n-iter", "4", "--tasks", "Ridge, diabetes"])
    assert table["task"].tolist() == ["Ridge, diabetes"]
    assert {"auto", "expert", "auto - expert", "within 0.005"} <= set(table)
