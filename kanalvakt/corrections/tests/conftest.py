from kanalvakt.inbox.tests.conftest import receive  # noqa: F401
