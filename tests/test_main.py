import re
import subprocess
import sys

import pytest

from sklearn_hp import __version__
from sklearn_hp.__main__ import main


def test_demo_shows_hyperparameters_and_learned_parameters(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "coef_ (1,30), intercept_ (1,)  ->  31 values" in out
    assert "coefs_ [(30,20), (20,1)], intercepts_ [(20,), (1,)]  ->  641 values" in out
    # k-NN stores its training set: 426 samples x 30 features + 426 labels.
    assert "X_fit_ (426,30), y_fit_ (426,)  ->  13206 values" in out
    accuracies = [float(a) for a in re.findall(r"test accuracy (\d\.\d+)", out)]
    assert len(accuracies) == 3
    assert min(accuracies) > 0.9
    # the tuning table: BayesSearchCV with 30 candidates against a grid of 112
    bayes = re.search(r"BayesSearchCV +30 +150 +(\d\.\d+)", out)
    grid = re.search(r"GridSearchCV +112 +560 +(\d\.\d+)", out)
    assert bayes
    assert grid
    assert float(bayes.group(1)) >= float(grid.group(1)) - 0.01
    # both spaces and both best candidates are shown
    assert "learning_rate  log-uniform on [0.0001, 1]" in out
    assert "7 x 8 x 2 = 112" in out
    assert re.search(r"  BayesSearchCV +alpha=.*solver='(adam|sgd)'", out)
    assert re.search(r"  GridSearchCV +alpha=.*solver='(adam|sgd)'", out)
    # a model's hyperparameters: how many of how many, changed ones first
    # (marked *), seeds last; every one when there are few
    assert "(6 of 17: those changed, the main defaults, seeds)" in out
    network = out[out.index("NeuralNetworkClassifier  (") :]
    shown = network[: network.index("learned")]
    assert shown.index("early_stopping=True*") < shown.index("alpha=0.0001")
    assert shown.rstrip().endswith("random_state=0*")
    assert "(all 3)" in out
    # alpha as written, and the weights' length explained
    assert re.search(r"\n +1 +\d\.\d+ +\d+ +\d\.\d+\n", out)
    assert "0.0001" in out
    assert "1.0000" not in out
    assert "||coef_|| is their" in out


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "demo" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["nonsense"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.fixture
def model_file(tmp_path):
    import joblib
    from sklearn.datasets import load_iris
    from sklearn.svm import SVC

    path = tmp_path / "model.joblib"
    joblib.dump(SVC(C=2.0).fit(*load_iris(return_X_y=True)), path)
    return path


def test_inspect_refuses_an_untrusted_file(model_file, capsys):
    assert main(["inspect", str(model_file)]) == 2
    err = capsys.readouterr().err
    assert "refusing to load" in err
    assert "--trust" in err
    assert "runs" in err


def test_inspect_prints_the_report(model_file, capsys):
    assert main(["inspect", "--trust", str(model_file)]) == 0
    out = capsys.readouterr().out
    assert "SVC (fitted)" in out
    assert "support_vectors_" in out
    assert "C " in out


def test_inspect_names_fitted_attributes_as_python_reads_them(tmp_path, capsys):
    import joblib
    from sklearn.datasets import load_iris
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC())])
    search = GridSearchCV(pipe, {"svc__C": [1.0, 2.0]}, cv=2)
    path = tmp_path / "search.joblib"
    joblib.dump(search.fit(*load_iris(return_X_y=True)), path)
    assert main(["inspect", "--trust", str(path)]) == 0
    out = capsys.readouterr().out
    assert "best_estimator_.svc.support_vectors_" in out
    assert "best_estimator_.scale.mean_" in out
    assert "___" not in out
    assert "estimator__svc__C" in out


def test_inspect_json(model_file, capsys):
    import json

    assert main(["inspect", "--trust", "--format", "json", str(model_file)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["estimator"] == "SVC"
    assert report["n_learned"] > 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a pickle at all", "is not a model file"), (None, "holds a dict")],
)
def test_inspect_rejects_what_is_not_a_model(tmp_path, capsys, content, message):
    path = tmp_path / "thing.pkl"
    if content is None:
        import pickle

        path.write_bytes(pickle.dumps({"a": 1}))
    else:
        path.write_bytes(content)
    assert main(["inspect", "--trust", str(path)]) == 1
    assert message in capsys.readouterr().err


def test_inspect_missing_file(tmp_path, capsys):
    assert main(["inspect", "--trust", str(tmp_path / "absent.joblib")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_a_missing_file_is_said_so_before_any_trust_is_asked(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "absent.joblib")]) == 1
    err = capsys.readouterr().err
    assert "no such file" in err
    assert "--trust" not in err
    assert main(["inspect", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err


def test_output_cut_short_by_its_reader_is_no_traceback(model_file):
    command = [sys.executable, "-m", "sklearn_hp", "inspect", "--trust"]
    process = subprocess.Popen(
        [*command, str(model_file), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # the reader goes away before the report is written, as head does once
    # it has its lines: the report's first write meets a closed pipe
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr
