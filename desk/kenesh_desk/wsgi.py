"""The desk as a WSGI application (gunicorn serves it under `make run`)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's bot/ and desk/
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "desk.kenesh_desk.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
