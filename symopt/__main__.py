"""python -m symopt"""

import sys

from symopt.cli import main

sys.exit(main())
