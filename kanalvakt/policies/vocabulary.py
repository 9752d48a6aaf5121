"""The policy page's Swedish names for rule paths, sections and the values rules take
(platforms, categories, intents, steps, record kinds, days, placeholders)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Role

SECTIONS: dict[str, Promise] = {
    "calendar": _("Kalender och arbetstid"),
    "response_times": _("Svarstider"),
    "moderation": _("Moderering"),
    "registration": _("Diarieföring"),
    "snapshots": _("Ögonblicksbilder"),
    "disposal": _("Gallring"),
    "accounts": _("Konton"),
    "mandates": _("Uppdrag"),
    "lifecycle": _("Öppna och stänga konton"),
    "profile": _("Krav på kontots profil"),
    "publishing": _("Publicering"),
    "inbox": _("Inkorg och svar"),
    "reply_templates": _("Svarsmallar"),
    "escalations": _("Eskalering"),
    "security": _("Säkerhet"),
    "listening": _("Omvärldsbevakning"),
    "acknowledgement": _("Kvittens"),
    "crisis": _("Krisläge"),
}

LABELS: dict[str, Promise] = {
    "calendar": _("Kalender, helgdagar och arbetstid"),
    "response_times.default": _("Svarstid"),
    "response_times.platforms": _("Svarstid per plattform"),
    "response_times.negative": _("Svarstid för negativa meddelanden"),
    "moderation.deadline_hours": _("Olämpliga inlägg tas bort inom"),
    "moderation.categories": _("Skäl att ta bort inlägg"),
    "moderation.advertising_public_events_allowed": _(
        "Reklam för offentliga evenemang får ligga kvar"
    ),
    "moderation.never_auto_hide": _("Döljs aldrig automatiskt"),
    "moderation.notice": _("Moderationstext som varje konto visar"),
    "moderation.learned_review": _("Maskinens egna förslag om granskning"),
    "registration.register": _("Ska diarieföras"),
    "registration.exempt": _("Behöver inte diarieföras"),
    "snapshots.half_yearly": _("Ögonblicksbild vid varje halvårsskifte"),
    "snapshots.before_major_change": _("Ögonblicksbild inför stora förändringar"),
    "disposal.decision": _("Gallringsbeslut"),
    "accounts.min_admins": _("Minsta antal administratörer per konto"),
    "accounts.web_manager_admin": _("Webbansvarig ska vara administratör"),
    "accounts.substitute_required": _("Ersättare ska vara utsedd"),
    "accounts.passive_after_days": _("Kontot räknas som passivt efter"),
    "accounts.password_max_age_days": _("Lösenordet byts senast efter"),
    "accounts.two_factor_required": _("Tvåstegsverifiering"),
    "accounts.shared_credentials": _("Inloggningsuppgifter där flera når dem"),
    "accounts.work_email": _("Kontot registrerat med e-postadress hos organisationen"),
    "accounts.not_network_password": _("Annat lösenord än i organisationens nät"),
    "accounts.unique_passwords": _("Olika lösenord för varje tjänst"),
    "accounts.no_fake_accounts": _("Inga fejkkonton"),
    "accounts.public_register": _("Förteckning över kontona"),
    "mandates.required": _("Uppdrag krävs för att publicera"),
    "mandates.granted_by": _("Uppdraget ges av"),
    "mandates.anchored_with": _("Uppdraget förankras hos"),
    "mandates.publishers_appointed_by": _("Publicister utses av"),
    "lifecycle.open_steps": _("Steg för att öppna ett konto"),
    "lifecycle.close_steps": _("Steg för att stänga ett konto"),
    "profile": _("Profilkrav"),
    "publishing.website_link": _("Länk till webbplatsen som ursprungskälla"),
    "publishing.languages_required": _("Språk som alltid ska finnas med"),
    "publishing.hashtags": _("Hashtaggar"),
    "publishing.address_du": _("Läsaren tilltalas med ”du”"),
    "publishing.plain_language": _("Klarspråk"),
    "publishing.no_personal_id_numbers": _("Inga personnummer"),
    "publishing.no_secret_information": _("Inga sekretessbelagda uppgifter"),
    "publishing.children_consent": _(
        "Barn och vuxna fotograferas och namnges bara med skriftligt medgivande"
    ),
    "publishing.political_neutrality": _("Inga ställningstaganden i politik eller religion"),
    "publishing.signature": _("Underskrift i inlägg"),
    "publishing.video_captions": _("Textning av video"),
    "publishing.image_rights": _("Bara material som man har rätt till"),
    "publishing.cross_post_main_account": _("Viktiga ärenden också på huvudkontot"),
    "publishing.languages_same_post": _("Båda språken i samma inlägg på"),
    "publishing.adults_consent": _("Vuxna fotograferas och namnges bara med medgivande"),
    "publishing.approval_required": _("Inlägg godkänns innan de publiceras"),
    "publishing.web_news_facebook": _("Webbnyheter också på Facebook"),
    "publishing.friendly_tone": _("Trevlig och saklig ton"),
    "inbox.reply_signature": _("Underskrift i svar"),
    "inbox.forward_to_case_officer": _("Frågor skickas vidare till rätt handläggare"),
    "inbox.do_not_answer": _("Besvaras inte"),
    "inbox.publisher_answers_own_posts": _(
        "Den som publicerade ett inlägg svarar på kommentarerna"
    ),
    "inbox.correct_misinformation": _("Felaktigheter rättas"),
    "reply_templates": _("Svarsmall"),
    "escalations": _("Eskalering"),
    "security.incident_report_to": _("Säkerhetsincidenter rapporteras till"),
    "listening.enabled": _("Bevaka vad som sägs om organisationen"),
    "acknowledgement.required": _("Medarbetare bekräftar att de läst policyn"),
    "crisis.response_time": _("Svarstid i krisläge"),
    "crisis.holding_message": _("Avvaktande meddelande i krisläge"),
}

PLATFORMS: dict[str, str | Promise] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X (Twitter)",
    "youtube": "YouTube",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "blog": _("bloggar"),
    "other": _("andra kanaler"),
}

CATEGORIES: dict[str, Promise] = {
    "personal_attack": _("personangrepp"),
    "defamation": _("förtal"),
    "obscenity": _("oanständigheter"),
    "hate_speech": _("hets mot folkgrupp"),
    "sexual_harassment": _("sexuella trakasserier och sexism"),
    "threat": _("hot"),
    "incitement": _("uppmaning till brott"),
    "violence_depiction": _("våldsskildring"),
    "pornography": _("pornografi"),
    "copyright": _("upphovsrättsintrång"),
    "advertising": _("reklam"),
    "secrecy": _("sekretessbelagda uppgifter"),
    "personal_data": _("integritetskränkande uppgifter"),
}

INTENTS: dict[str, Promise] = {
    "question": _("frågor"),
    "factual_criticism": _("saklig kritik"),
    "unfair_criticism": _("osaklig kritik"),
    "praise": _("beröm"),
    "hateful_negative": _("hatiska negativa kommentarer"),
    "joking_negative": _("skämtsamma negativa kommentarer"),
    "negative_feedback": _("negativ respons"),
    "misinformation": _("felaktig information"),
    "advertising": _("reklam"),
    "other": _("övrigt"),
}

STEPS: dict[str, Promise] = {
    "stated_need": _("behov, mål, målgrupp och innehåll beskrivs"),
    "manager_approval": _("närmaste chef godkänner"),
    "management_anchoring": _("förankras i ledningen"),
    "notify_information_unit": _("informationsenheten underrättas"),
    "closing_announcement": _("avslutet meddelas i kanalen"),
}

RECORD_KINDS: dict[str, Promise] = {
    "incoming_message": _("meddelanden som kommer in"),
    "factual_criticism": _("saklig kritik"),
    "service_matter": _("ärenden i tjänsten"),
    "question": _("frågor"),
    "complaint": _("klagomål"),
    "snapshot": _("ögonblicksbilder av kontot"),
    "public_forum_chronological": _(
        "kommentarer i ett öppet officiellt forum som sparas i kronologisk ordning"
    ),
    "own_content": _("eget publicerat innehåll"),
    "comments_received": _("inkomna kommentarer och svar"),
}

TRIGGERS: dict[str, Promise] = {
    "threat_to_staff": _("hot mot medarbetare"),
    "harassment_of_staff": _("trakasserier mot medarbetare"),
    "bullying": _("nätmobbning"),
    "crime": _("brott"),
    "harmful_criticism": _("kritik som skadar organisationen"),
    "security_incident": _("säkerhetsincident (identitetsstöld, nätfiske, skadeprogram)"),
}

RECIPIENTS: dict[str, Any] = {
    **{role.value: role.label for role in Role},
    "it": _("IT / informationsförvaltningen"),
    "police": _("polisen"),
}

PUBLIC_FIELDS: dict[str, Promise] = {
    "platform": _("plattform"),
    "name": _("namn"),
    "handle": _("kontonamn"),
    "url": _("adress"),
    "unit": _("ansvarig enhet"),
    "purpose": _("syfte"),
    "audience": _("målgrupp"),
    "responsible": _("ansvarig"),
    "contact": _("kontakt"),
    "languages": _("språk"),
}

LANGUAGES: dict[str, Promise] = {"sv": _("svenska"), "fi": _("finska"), "en": _("engelska")}

LEARNED_REVIEW: dict[str, Promise] = {
    "normal": _("som modellen föreslår"),
    "fewer": _("färre: bara där modellen är säkrare"),
    "never": _("aldrig: bara reglerna föreslår granskning"),
}

COUNTRIES: dict[str, Promise] = {"SE": _("Sverige"), "FI": _("Finland")}

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: dict[str, Promise] = {
    "mon": _("måndag"),
    "tue": _("tisdag"),
    "wed": _("onsdag"),
    "thu": _("torsdag"),
    "fri": _("fredag"),
    "sat": _("lördag"),
    "sun": _("söndag"),
}

PLACEHOLDERS: dict[str, Promise] = {
    "{organisation}": _("[organisationen]"),
    "{name}": _("[ditt namn]"),
    "{role}": _("[din roll]"),
    "{cause}": _("[orsaken]"),
    "{fix}": _("[åtgärden]"),
    "{channel}": _("[kanalen]"),
    "{source_link}": _("[länk till källan]"),
}
