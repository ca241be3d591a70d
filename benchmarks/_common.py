"""What the benchmark scripts share: the machine description and loading a script."""

import importlib.util
import os
import platform
from pathlib import Path

import numpy as np
import sklearn

import sklearn_hp


def machine():
    """Describe the machine and the releases a benchmark ran on, in one line."""
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, scikit-learn "
        f"{sklearn.__version__}, sklearn_hp {sklearn_hp.__version__}"
    )


def load_benchmark(name):
    """Import the benchmark script ``benchmarks/<name>.py`` as a module."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
