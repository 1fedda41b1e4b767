"""Entry script for the PyInstaller bundle: the same ``main`` as the installed ``caseboard`` command.

PyInstaller needs a script rather than a console entry point. It imports the installed package (never the source
tree), so the bundle holds exactly what a wheel install holds.
"""

import sys

from caseboard.cli import main

if __name__ == "__main__":
    sys.exit(main())
