from django.contrib import admin

from kanalvakt.register.models import Account, AccountRequest, Mandate
from kanalvakt.web.admin_site import ReadOnlyAdmin

for model in (Account, Mandate, AccountRequest):
    admin.site.register(model, ReadOnlyAdmin)
