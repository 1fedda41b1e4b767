"""``python -m caseboard.gui`` runs the same command as ``caseboard``."""

import sys

from caseboard.gui.cli import main

sys.exit(main())
