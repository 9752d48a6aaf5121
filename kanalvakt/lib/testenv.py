"""A pytest plugin loaded with `-p` before Django's settings are imported.

It gives the test run the settings a developer machine needs, so a plain
`pytest` works without exporting anything first.
"""

import os

os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
