"""`python -m rasa_project run …`: Rasa's own command line, with rasa_project.patches applied.

Everything after `python -m rasa_project` is passed to Rasa unchanged (`run --enable-api …`).
"""

import sys

from rasa_project import patches

if __name__ == "__main__":
    patches.apply()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
