"""Loaded by `kanalvakt crontask`: registers every app's periodic jobs.

It also puts the database lock in place of django-crontask's (which needs
Redis), so only one scheduler runs however many are started.
"""

from kanalvakt.scheduling.jobs import register_with_crontask
from kanalvakt.scheduling.leader import install

install()
REGISTERED = register_with_crontask()
