from django.contrib import admin

from kanalvakt.organisations.models import Membership, Organisation, Unit, User
from kanalvakt.web.admin_site import ReadOnlyAdmin

for model in (Organisation, Unit, Membership, User):
    admin.site.register(model, ReadOnlyAdmin)
