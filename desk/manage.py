#!/usr/bin/env python
"""Django's command line for the desk: `python desk/manage.py migrate`, `adduser`, `check --deploy`…"""

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    # This checkout's bot/ and desk/, whatever else the interpreter has installed.
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "desk.kenesh_desk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
