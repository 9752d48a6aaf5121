from kanalvakt.inbox.tests.conftest import overkalix, receive

__all__ = ["overkalix", "receive"]
