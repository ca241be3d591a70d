import re

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
