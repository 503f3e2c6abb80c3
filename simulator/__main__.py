"""`python -m simulator` is the `hotseat` command."""

import sys

from .cli import main

sys.exit(main())
