"""Run every benchmark module in this package (each one's `main()` prints its own lines), in name order.

A new benchmark is a new module here with a `main()`; nothing else to register.
"""

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda module: module.name):
        if module.name == "run" or module.name.startswith("_"):
            continue
        benchmark = importlib.import_module(f"bench.{module.name}")
        if hasattr(benchmark, "main"):
            benchmark.main()


if __name__ == "__main__":
    main()
