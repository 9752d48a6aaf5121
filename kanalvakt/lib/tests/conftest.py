from kanalvakt.lib.tests.pinning_fixtures import allow, answers, ca, loopback

__all__ = ["allow", "answers", "ca", "loopback"]
