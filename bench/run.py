"""`make bench`: measure the platform at programme scale (the measurements: bench/measure.py).

.venv/bin/python bench/run.py --help
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import main

if __name__ == "__main__":
    sys.exit(main())
