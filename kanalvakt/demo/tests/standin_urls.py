"""The product's URLs with the stand-in mounted, as `make demo` serves them."""

from django.urls import include, path

from kanalvakt.urls import urlpatterns as product

urlpatterns = [*product, path("standin/", include("kanalvakt.demo.standin.urls"))]
