"""The racing benchmark still runs (one cheap task, tiny budget)."""

from _common import load_benchmark


def test_racing_benchmark_compares_with_and_without(tmp_path):
    module = load_benchmark("racing")
    table = module.main(["--seeds", "1", "--n-iter", "6", "--tasks", "Ridge, diabetes"])
    assert table["task"].tolist() == ["Ridge, diabetes"]
    assert {"fits full", "fits racing", "fit time saved", "best CV diff"} <= set(table)
    assert (table["fits racing"] <= table["fits full"]).all()
