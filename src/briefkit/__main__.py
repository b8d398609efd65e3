"""``python -m briefkit``: the command line."""

from __future__ import annotations

import sys

from briefkit.cli import main

sys.exit(main())
