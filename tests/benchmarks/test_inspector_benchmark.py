"""The inspector benchmark still runs (on small objects: no timing is checked)."""

from _common import load_benchmark
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def test_benchmark_times_every_view(monkeypatch, capsys):
    module = load_benchmark("inspector")
    X, y = make_classification(n_samples=60, random_state=0)
    small = {
        "forest": RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y),
        "pipeline": make_pipeline(StandardScaler(), SVC()).fit(X, y),
    }
    monkeypatch.setattr(module, "estimators", lambda: small)
    table = module.main(["--repeats", "1"])
    assert len(table) == 6
    assert (table["learned values"] > 0).all()
    assert "ratio" in capsys.readouterr().out
