"""`python -m rasa_project run …`: Rasa's own command line, with rasa_project.patches applied and
the library logs cleaned of user text (bot.logs). The Rasa server and the action server
(`python -m rasa_project run actions …`) both start this way.

Everything after `python -m rasa_project` is passed to Rasa unchanged (`run --enable-api …`).
"""

import sys

from bot.logs import keep_user_text_out_of_library_logs
from rasa_project import patches

if __name__ == "__main__":
    keep_user_text_out_of_library_logs()
    patches.apply()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
