"""The reliability benchmark still runs (one kill, small sizes: nothing is timed)."""

import json

from _common import load_benchmark


def test_reliability_benchmark_prints_its_three_tables(tmp_path, capsys):
    module = load_benchmark("reliability")
    output = tmp_path / "reliability.json"
    tables = module.main(
        [
            "--kills",
            "1",
            "--sizes",
            "10",
            "--batch",
            "4",
            "--examples",
            "2",
            "--json",
            str(output),
        ]
    )
    kills = tables["kill_and_resume"]
    assert len(kills) == 1
    # resumed, the search ends as one never interrupted, refitting nothing saved
    assert kills["identical"].all()
    assert (kills["rerun"] == 0).all()
    assert (kills["saved"] <= kills["started"]).all()
    cost = tables["checkpoint_cost"]
    assert cost["checkpoint"].str.startswith(("before", "after")).all()
    assert (cost["MB written"] > 0).all()
    bad = tables["bad_input"]
    assert bad["category"].iloc[-1] == "all"
    assert bad["tried"].iloc[-1] >= len(bad) - 1
    written = json.loads(output.read_text())
    assert set(written) >= {"machine", "kill_and_resume", "checkpoint_cost"}
    assert "Kill and resume" in capsys.readouterr().out
