import sys
from pathlib import Path

# The benchmark scripts import their shared helpers as a sibling module.
sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
