"""Swedish names for the moderation categories, shown on every page."""

from django.utils.translation import gettext_lazy as _

CATEGORY_LABELS = {
    "personal_attack": _("personangrepp"),
    "defamation": _("förtal"),
    "obscenity": _("obscent språk"),
    "hate_speech": _("hets mot folkgrupp"),
    "sexual_harassment": _("sexuella trakasserier och sexism"),
    "threat": _("hot"),
    "incitement": _("uppmaning till brott"),
    "violence_depiction": _("olaga våldsskildring"),
    "pornography": _("pornografi"),
    "copyright": _("upphovsrättsintrång"),
    "advertising": _("kommersiell reklam"),
    "secrecy": _("sekretessbelagda uppgifter"),
    "personal_data": _("personuppgifter och integritetsintrång"),
    "self_harm": _("möjlig självskada – svara med stöd"),
}

BASIS_LABELS = {
    "law": _("brott – ska tas bort enligt lag"),
    "policy": _("grund i organisationens policy"),
    "none": _("inte med i policyn – bedöm själv"),
}


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))
