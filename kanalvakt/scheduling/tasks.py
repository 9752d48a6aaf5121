"""Loaded by `kanalvakt crontask`: registers every app's periodic jobs."""

from kanalvakt.scheduling.jobs import register_with_crontask

REGISTERED = register_with_crontask()
