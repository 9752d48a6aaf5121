"""A real OpenID Connect provider for the single-sign-on tests.

django-oauth-toolkit's OIDC provider in a Django project of its own, run by
the test in a second process on loopback (`run.py`): Kanalvakt signs people
in against it exactly as against Keycloak or Entra ID, over HTTP, with
signed ID tokens and a groups claim.
"""
