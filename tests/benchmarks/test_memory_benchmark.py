"""The memory benchmark still runs (a short search: no size is checked)."""

import json

from _common import load_benchmark


def test_memory_benchmark_reports_each_size(tmp_path, capsys):
    module = load_benchmark("memory")
    output = tmp_path / "memory.json"
    table = module.main(["--n-iter", "8", "12", "--json", str(output)])
    assert table["candidates"].tolist() == [8, 12]
    columns = {"peak MB", "retained MB", "cv_results_ MB", "record MB", "rest MB"}
    extra = {"optimizer_results_ MB", "record B/cand", "RandomizedSearchCV retained MB"}
    assert columns | extra | {"beyond it MB"} <= set(table)
    assert (table["RandomizedSearchCV retained MB"] > 0).all()
    assert (table["cv_results_ MB"] > 0).all()
    assert (table["retained MB"] > 0).all()
    assert len(json.loads(output.read_text())["rows"]) == 2
    assert "candidates measured" in capsys.readouterr().out
