"""``python -m caseboard.cli`` runs the same command as ``caseboard``."""

import sys

from caseboard.cli import main

sys.exit(main())
