"""Who may do what, route by route: every route of the site and of the API is in the matrix
below (a test walks the URL map), access is denied by default, staff act only for their
institution, participants only on what is theirs, and the API ignores fields it does not own.

Adding a route: add one line per method to MATRIX with the status each role gets (in ROLES
order) for the given URL. Placeholders are filled from the `world` fixture: `{draft}` and
`{open}` (slugs of the organiser's institution), `{article}` (an article id of `{open}`),
`{contribution}` (a comment of `{open}` by another participant), `{token}` (that participant's
API token id), `{block}` (a block of that participant by the institution), `{document}` and
`{document_file}` (a document of `{draft}` and its file name), `{documented}` (a published
consultation of the institution, not yet open) with `{published_document}` and
`{published_file}` (a document frozen at its publication). POST forms are
sent empty and API bodies as `{}`, so a role that is let in mostly gets a 200/302/422 while a
refused role gets 302 to the sign-in page (anonymous), 401 (API without token), 403 or 404, and
the database must be unchanged after every refusal. A read that every role gets alike is tried
as the anonymous visitor, a participant and an administrator.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.accounts import services as accounts
from consultation.accounts.models import ApiToken, ParticipationBlock, User
from consultation.consultations import documents
from consultation.consultations import services as consultations
from consultation.consultations.document_models import ConsultationDocument
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.moderation import services as moderation
from consultation.moderation.models import Report
from consultation.participation.models import ArticleVote, Contribution
from consultation.participation.services import submit_contribution
from tests.documents import files as document_files

ROLES = (
    "anonymous",
    "participant",
    "other_moderator",
    "moderator",
    "other_organiser",
    "organiser",
    "admin",
)
#           anon participant other_mod  mod  other_org organiser admin
EVERYONE = (200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200, 200, 200, 200)
DRAFT_READERS = (404, 404, 404, 200, 404, 200, 200)  # the institution's staff
# A draft is "not found" for whoever may not see it (tests/test_draft_probing.py); the
# institution's staff who see it but may not act get 403.
MODERATORS = (302, 403, 200, 200, 403, 403, 200)  # any moderator, for their institution
API_SIGNED_IN = (401, 200, 200, 200, 200, 200, 200)
ORGANISERS = (302, 403, 403, 403, 403, 200, 200)  # the institution's organisers

MATRIX = [
    # --- Public pages
    ("GET", "consultations.index", "/", EVERYONE),
    ("GET", "consultations.listing", "/consultations", (301,) * 7),
    ("GET", "consultations.show", "/consultations/{open}", EVERYONE),
    ("GET", "consultations.show", "/consultations/{draft}", DRAFT_READERS),
    ("GET", "participation.article", "/consultations/{open}/articles/1", EVERYONE),
    ("GET", "participation.article", "/consultations/{draft}/articles/1", DRAFT_READERS),
    ("GET", "participation.contributions", "/consultations/{open}/contributions", EVERYONE),
    ("GET", "participation.contributions", "/consultations/{draft}/contributions", DRAFT_READERS),
    (
        "GET",
        "participation.contribution",
        "/consultations/{open}/contributions/{contribution}",
        EVERYONE,
    ),
    # A position paper: the matrix's contribution has none.
    ("GET", "participation.paper", "/consultations/{open}/contributions/{contribution}/contribution-ecrite/x.pdf", (404,) * 7),
    # The paper of an earlier version: the matrix's contribution has none.
    ("GET", "participation.earlier_paper", "/consultations/{open}/contributions/{contribution}/versions/1/contribution-ecrite/x.pdf", (404,) * 7),
    ("GET", "participation.track", "/suivi", EVERYONE),
    ("GET", "moderation.charter", "/consultations/{open}/charte", EVERYONE),
    ("GET", "moderation.charter", "/consultations/{draft}/charte", DRAFT_READERS),
    ("GET", "moderation.figures", "/consultations/{open}/moderation", EVERYONE),
    ("GET", "pages.legal", "/mentions-legales", EVERYONE),
    # Search: public items only, the same for everyone; a draft is an unknown consultation.
    ("GET", "search.results", "/recherche?q=loi", EVERYONE),
    ("GET", "search.results", "/recherche?q=loi&consultation={draft}", (422,) * 7),
    ("GET", "pages.privacy", "/donnees-personnelles", EVERYONE),
    ("GET", "pages.accessibility", "/accessibilite", EVERYONE),
    ("GET", "pages.terms", "/conditions-d-utilisation", EVERYONE),
    ("GET", "pages.charter", "/charte-de-moderation", EVERYONE),
    ("GET", "pages.sitemap", "/plan-du-site", EVERYONE),
    ("GET", "pages.set_language", "/langue/en", (302,) * 7),
    ("GET", "opendata.consultations_feed", "/consultations.atom", EVERYONE),
    (
        "GET",
        "opendata.contributions_feed",
        "/consultations/{open}/contributions.atom",
        EVERYONE,
    ),
    (
        "GET",
        "opendata.contributions_feed",
        "/consultations/{draft}/contributions.atom",
        DRAFT_READERS,
    ),
    ("GET", "opendata.catalogue", "/donnees-ouvertes", EVERYONE),
    ("GET", "opendata.api_docs", "/api", EVERYONE),
    ("GET", "static", "/static/css/consultation.css", EVERYONE),
    # --- Accounts
    ("GET", "accounts.register", "/inscription", EVERYONE),
    ("POST", "accounts.register", "/inscription", EVERYONE),
    ("GET", "accounts.registered", "/inscription/envoyee", EVERYONE),
    ("GET", "accounts.verify_email", "/verification/inconnu", (400,) * 7),
    ("POST", "accounts.resend_verification", "/verification/renvoyer", (302,) * 7),
    ("GET", "accounts.login", "/connexion", EVERYONE),
    ("POST", "accounts.login", "/connexion", EVERYONE),
    ("POST", "accounts.logout", "/deconnexion", (302,) * 7),
    ("GET", "accounts.forgot_password", "/mot-de-passe-oublie", EVERYONE),
    ("POST", "accounts.forgot_password", "/mot-de-passe-oublie", EVERYONE),
    ("GET", "accounts.reset_password", "/reinitialisation/inconnu", (400,) * 7),
    ("POST", "accounts.reset_password", "/reinitialisation/inconnu", (400,) * 7),
    ("GET", "accounts.profile", "/compte", SIGNED_IN),
    ("POST", "accounts.update_profile", "/compte/profil", (302, 422, 422, 422, 422, 422, 422)),
    ("POST", "accounts.change_password", "/compte/mot-de-passe", (302,) + (422,) * 6),
    ("POST", "accounts.create_token", "/compte/jetons", (302,) + (422,) * 6),
    # Someone else's token: "not found" for everyone, and it stays valid.
    ("POST", "accounts.revoke_token", "/compte/jetons/{token}/revoquer", (302,) * 7),
    ("GET", "participation.my_participation", "/compte/participation", SIGNED_IN),
    ("GET", "participation.my_data", "/compte/mes-donnees.json", SIGNED_IN),
    ("GET", "participation.erase_account", "/compte/suppression", SIGNED_IN),
    # No password sent: refused for everyone signed in, and nobody is erased.
    ("POST", "participation.erase_account", "/compte/suppression", (302,) + (422,) * 6),
    # --- Participation (every verified account, staff included, may take part)
    ("POST", "participation.vote", "/consultations/{open}/articles/1/avis", (302,) * 7),
    ("POST", "participation.vote", "/consultations/{draft}/articles/1/avis", (302,) + (404,) * 2 + (302, 404, 302, 302)),
    ("POST", "participation.withdraw", "/consultations/{open}/articles/1/avis/retirer", (302,) * 7),
    ("POST", "participation.contribute", "/consultations/{open}/articles/1/contributions", (302,) + (422,) * 6),
    ("POST", "participation.contribute", "/consultations/{draft}/articles/1/contributions", (302, 404, 404, 422, 404, 422, 422)),
    ("POST", "participation.comment", "/consultations/{open}/contributions", (302,) + (422,) * 6),
    ("POST", "participation.reply", "/consultations/{open}/contributions/{contribution}/reponses", (302,) + (422,) * 6),
    # Votes on a contribution: an empty form comes back to the card with its error (302).
    ("POST", "participation.vote_on_contribution", "/consultations/{open}/contributions/{contribution}/avis", (302,) * 7),
    ("POST", "participation.withdraw_contribution_vote", "/consultations/{open}/contributions/{contribution}/avis/retirer", (302,) * 7),
    # Editing and withdrawing: the author only ({contribution} is another participant's).
    ("GET", "participation.edit_contribution", "/consultations/{open}/contributions/{contribution}/modifier", (302,) + (403,) * 6),
    ("POST", "participation.edit_contribution", "/consultations/{open}/contributions/{contribution}/modifier", (302,) + (403,) * 6),
    ("GET", "participation.withdraw_contribution", "/consultations/{open}/contributions/{contribution}/retirer", (302,) + (403,) * 6),
    ("POST", "participation.withdraw_contribution", "/consultations/{open}/contributions/{contribution}/retirer", (302,) + (403,) * 6),
    ("GET", "moderation.report", "/contributions/{contribution}/signaler", SIGNED_IN),
    ("POST", "moderation.report", "/contributions/{contribution}/signaler", (302,) + (422,) * 6),
    # An appeal against a hiding: its author only; to anyone else the form does not exist.
    ("GET", "moderation.appeal", "/consultations/{open}/contributions/{contribution}/recours", (302,) + (404,) * 6),
    ("POST", "moderation.appeal", "/consultations/{open}/contributions/{contribution}/recours", (302,) + (404,) * 6),
    # --- Back-office: organisers and moderators of the institution
    ("GET", "manage.index", "/gestion/", (302, 403, 200, 200, 200, 200, 200)),
    ("GET", "manage.new_consultation", "/gestion/consultations/nouvelle", (302, 403, 403, 403, 200, 200, 200)),
    ("POST", "manage.new_consultation", "/gestion/consultations/nouvelle", (302, 403, 403, 403, 422, 422, 422)),
    ("GET", "manage.edit", "/gestion/consultations/{draft}", (302, 403, 404, 200, 404, 200, 200)),
    ("POST", "manage.edit", "/gestion/consultations/{draft}", (302, 403, 404, 403, 404, 422, 422)),
    ("POST", "manage.publish", "/gestion/consultations/{draft}/publier", (302, 403, 403, 403, 404, 302, 302)),
    ("POST", "manage.extend", "/gestion/consultations/{open}/prolonger", (302, 403, 403, 403, 403, 422, 422)),
    ("GET", "participation.offline_observation", "/gestion/consultations/{open}/observations", (302, 403, 403, 403, 403, 200, 200)),
    ("POST", "participation.offline_observation", "/gestion/consultations/{open}/observations", (302, 403, 403, 403, 403, 422, 422)),
    ("GET", "moderation.queue", "/moderation/", MODERATORS),
    ("POST", "moderation.bulk", "/moderation/selection", (302, 403, 302, 302, 403, 403, 302)),
    ("GET", "moderation.contribution", "/moderation/contributions/{contribution}", (302, 403, 403, 200, 403, 403, 200)),
    ("POST", "moderation.contribution", "/moderation/contributions/{contribution}", (302, 403, 403, 422, 403, 403, 422)),
    # Its position paper, of any version, whatever its state, for those who may moderate it:
    # the matrix's contribution has none (404 for them once let in; everyone else refused).
    ("GET", "moderation.paper", "/moderation/contributions/{contribution}/contribution-ecrite/x.pdf", (302, 403, 403, 404, 403, 403, 404)),
    ("GET", "moderation.earlier_paper", "/moderation/contributions/{contribution}/versions/1/contribution-ecrite/x.pdf", (302, 403, 403, 404, 403, 403, 404)),
    ("GET", "moderation.blocks", "/moderation/blocages", MODERATORS),
    ("POST", "moderation.lift", "/moderation/blocages/{block}/lever", (302, 403, 403, 302, 403, 403, 302)),
    ("GET", "moderation.journal", "/moderation/journal", MODERATORS),
    # --- API: reads are public, writes need a token (401), rights give 403/404
    ("GET", "api.list_consultations", "/api/v1/consultations", EVERYONE),
    ("GET", "api.search", "/api/v1/search?q=loi", EVERYONE),
    ("GET", "api.search", "/api/v1/search?q=loi&consultation={draft}", (422,) * 7),
    ("GET", "api.list_consultations", "/api/v1/consultations?status=draft", (401, 403, 200, 200, 200, 200, 200)),
    ("POST", "api.create_consultation", "/api/v1/consultations", (401, 403, 403, 403, 422, 422, 422)),
    ("GET", "api.get_consultation", "/api/v1/consultations/{open}", EVERYONE),
    ("GET", "api.get_consultation", "/api/v1/consultations/{draft}", DRAFT_READERS),
    ("PATCH", "api.patch_consultation", "/api/v1/consultations/{draft}", (401, 404, 404, 403, 404, 200, 200)),
    ("PATCH", "api.patch_consultation", "/api/v1/consultations/{open}", (401, 403, 403, 403, 403, 200, 200)),
    ("POST", "api.publish_consultation", "/api/v1/consultations/{draft}/publish", (401, 404, 404, 403, 404, 200, 200)),
    ("POST", "api.vote_on_article", "/api/v1/articles/{article}/vote", (401,) + (422,) * 6),
    ("DELETE", "api.withdraw_article_vote", "/api/v1/articles/{article}/vote", API_SIGNED_IN),
    ("GET", "api.list_contributions", "/api/v1/consultations/{open}/contributions", EVERYONE),
    ("GET", "api.list_contributions", "/api/v1/consultations/{draft}/contributions", DRAFT_READERS),
    ("POST", "api.submit_contribution", "/api/v1/consultations/{open}/contributions", (401,) + (422,) * 6),
    ("POST", "api.submit_contribution", "/api/v1/consultations/{draft}/contributions", (401, 404, 404, 409, 404, 409, 409)),
    ("GET", "api.get_contribution", "/api/v1/contributions/{contribution}", EVERYONE),
    ("PATCH", "api.edit_contribution", "/api/v1/contributions/{contribution}", (401,) + (403,) * 6),
    ("DELETE", "api.withdraw_contribution", "/api/v1/contributions/{contribution}", (401,) + (403,) * 6),
    ("POST", "api.vote_on_contribution", "/api/v1/contributions/{contribution}/vote", (401,) + (422,) * 6),
    ("DELETE", "api.withdraw_contribution_vote", "/api/v1/contributions/{contribution}/vote", API_SIGNED_IN),
    ("POST", "api.report_contribution", "/api/v1/contributions/{contribution}/report", (401,) + (422,) * 6),
    ("POST", "api.appeal_hiding", "/api/v1/contributions/{contribution}/appeal", (401,) + (404,) * 6),
    ("POST", "api.moderate_contribution", "/api/v1/contributions/{contribution}/moderation", (401, 403, 403, 422, 403, 403, 422)),
    ("GET", "synthesis.answers", "/gestion/consultations/{open}/reponses", ORGANISERS),
    ("GET", "synthesis.answer", "/gestion/contributions/{contribution}/reponse", ORGANISERS),
    # No status or text sent: the institution's organisers get the form back with its errors.
    ("POST", "synthesis.answer", "/gestion/contributions/{contribution}/reponse", (302, 403, 403, 403, 403, 422, 422)),
    ("POST", "api.answer_contribution", "/api/v1/contributions/{contribution}/answer", (401, 403, 403, 403, 403, 422, 422)),
    # The drafted synthesis: the institution's staff, once the consultation is closed ({open} is not: 409).
    ("GET", "synthesis.draft", "/gestion/consultations/{open}/synthese/brouillon", (302, 403, 403, 200, 403, 200, 200)),
    ("POST", "synthesis.draft", "/gestion/consultations/{open}/synthese/brouillon", (302, 403, 403, 409, 403, 409, 409)),
    ("GET", "synthesis_public.method", "/synthese/methode", EVERYONE),
    ("POST", "api.start_synthesis_draft", "/api/v1/consultations/{open}/synthesis/draft", (401, 403, 403, 409, 403, 409, 409)),
    ("GET", "api.get_synthesis", "/api/v1/consultations/{open}/synthesis", EVERYONE),
    ("GET", "api.get_synthesis", "/api/v1/consultations/{draft}/synthesis", DRAFT_READERS),
    # Editing and publishing the synthesis: the institution's staff (moderators too). {open} is
    # not closed: saving works, publishing is refused (409). 999999 is no follow-up (404).
    ("GET", "synthesis.edit", "/gestion/consultations/{open}/synthese", (302, 403, 403, 200, 403, 200, 200)),
    ("POST", "synthesis.edit", "/gestion/consultations/{open}/synthese", (302, 403, 403, 302, 403, 302, 302)),
    ("POST", "synthesis.publish", "/gestion/consultations/{open}/synthese/publier", (302, 403, 403, 409, 403, 409, 409)),
    ("GET", "synthesis.new_follow_up", "/gestion/consultations/{open}/synthese/suites/nouvelle", (302, 403, 403, 200, 403, 200, 200)),
    ("POST", "synthesis.new_follow_up", "/gestion/consultations/{open}/synthese/suites/nouvelle", (302, 403, 403, 422, 403, 422, 422)),
    ("GET", "synthesis.follow_up", "/gestion/suites/999999", (302, 403) + (404,) * 5),
    ("POST", "synthesis.follow_up", "/gestion/suites/999999", (302, 403) + (404,) * 5),
    ("POST", "synthesis.delete_follow_up", "/gestion/suites/999999/supprimer", (302, 403) + (404,) * 5),
    ("GET", "synthesis_public.synthesis", "/consultations/{open}/synthese", EVERYONE),
    ("GET", "synthesis_public.synthesis", "/consultations/{draft}/synthese", DRAFT_READERS),
    ("GET", "synthesis_public.version", "/consultations/{open}/synthese/versions/1", (404,) * 7),
    ("GET", "synthesis_public.synthesis_pdf", "/consultations/{open}/synthese.pdf", (404,) * 7),
    # A published version's theme and proposal group pages: {open} has no version yet.
    ("GET", "synthesis_public.theme", "/consultations/{open}/synthese/versions/1/themes/1", (404,) * 7),
    ("GET", "synthesis_public.proposal_group", "/consultations/{open}/synthese/versions/1/propositions/1", (404,) * 7),
    ("GET", "synthesis_public.theme", "/consultations/{draft}/synthese/versions/1/themes/1", (404,) * 7),
    ("POST", "synthesis_public.follow", "/consultations/{open}/suivre", (302,) * 7),
    ("POST", "synthesis_public.follow", "/consultations/{draft}/suivre", (302, 404, 404, 404, 404, 404, 404)),
    ("POST", "synthesis_public.unfollow", "/consultations/{open}/ne-plus-suivre", (302,) * 7),
    ("PUT", "api.put_synthesis", "/api/v1/consultations/{open}/synthesis", (401, 403, 403, 422, 403, 422, 422)),
    ("PUT", "api.put_synthesis", "/api/v1/consultations/{draft}/synthesis", (401, 404, 404, 409, 404, 409, 409)),
    ("POST", "api.publish_synthesis", "/api/v1/consultations/{open}/synthesis/publish", (401, 403, 403, 409, 403, 409, 409)),
    ("PATCH", "api.patch_follow_up", "/api/v1/follow-ups/999999", (401,) + (404,) * 6),
    # The editor's sections and preview: the institution's staff. {open} has no synthesis text
    # yet, so no section to open (404); an empty form is refused (422).
    ("GET", "synthesis.edit_section", "/gestion/consultations/{open}/synthese/parties/ouverture", (302, 403, 403, 404, 403, 404, 404)),
    ("POST", "synthesis.edit_section", "/gestion/consultations/{open}/synthese/parties/ouverture", (302, 403, 403, 422, 403, 422, 422)),
    ("POST", "synthesis.preview", "/gestion/consultations/{open}/synthese/apercu", (302, 403, 403, 200, 403, 200, 200)),
    ("PUT", "api.put_synthesis_section", "/api/v1/consultations/{open}/synthesis/sections/ouverture", (401, 403, 403, 422, 403, 422, 422)),
    ("PUT", "api.put_synthesis_section", "/api/v1/consultations/{draft}/synthesis/sections/ouverture", (401, 404, 404, 409, 404, 409, 409)),
    # The review of the themes: the institution's staff. 999999 is no theme (404); an empty
    # move form takes the contribution out of its theme, an empty read form marks it read.
    ("GET", "synthesis.review", "/gestion/consultations/{open}/synthese/themes", (302, 403, 403, 200, 403, 200, 200)),
    ("POST", "synthesis.create_theme", "/gestion/consultations/{open}/synthese/themes", (302, 403, 403, 422, 403, 422, 422)),
    ("GET", "synthesis.unassigned", "/gestion/consultations/{open}/synthese/themes/sans-theme", (302, 403, 403, 200, 403, 200, 200)),
    ("GET", "synthesis.review_theme", "/gestion/themes/999999", (302, 403) + (404,) * 5),
    ("POST", "synthesis.rename_theme", "/gestion/themes/999999/renommer", (302, 403) + (404,) * 5),
    ("POST", "synthesis.merge_theme", "/gestion/themes/999999/fusionner", (302, 403) + (404,) * 5),
    ("GET", "synthesis.delete_theme", "/gestion/themes/999999/supprimer", (302, 403) + (404,) * 5),
    ("POST", "synthesis.delete_theme", "/gestion/themes/999999/supprimer", (302, 403) + (404,) * 5),
    ("POST", "synthesis.move_contribution", "/gestion/consultations/{open}/synthese/contributions/{contribution}/theme", (302, 403, 403, 302, 403, 302, 302)),
    ("POST", "synthesis.read_contribution", "/gestion/consultations/{open}/synthese/contributions/{contribution}/lecture", (302, 403, 403, 302, 403, 302, 302)),
    ("GET", "api.review_themes", "/api/v1/consultations/{open}/synthesis/themes", (401, 403, 403, 200, 403, 200, 200)),
    ("POST", "api.create_review_theme", "/api/v1/consultations/{open}/synthesis/themes", (401, 403, 403, 422, 403, 422, 422)),
    ("POST", "api.rename_review_theme", "/api/v1/synthesis/themes/999999/rename", (401,) + (404,) * 6),
    ("POST", "api.merge_review_theme", "/api/v1/synthesis/themes/999999/merge", (401,) + (404,) * 6),
    ("POST", "api.delete_review_theme", "/api/v1/synthesis/themes/999999/delete", (401,) + (404,) * 6),
    ("POST", "api.move_contribution_theme", "/api/v1/consultations/{open}/synthesis/contributions/{contribution}/theme", (401, 403, 403, 422, 403, 422, 422)),
    ("POST", "api.read_contribution", "/api/v1/consultations/{open}/synthesis/contributions/{contribution}/read", (401, 403, 403, 200, 403, 200, 200)),
    # Splitting a theme, its excerpts, the proposal groups: the institution's staff. 999999 is no
    # theme and no group (404); an empty merge form is refused (422).
    ("POST", "synthesis.split_theme", "/gestion/themes/999999/scinder", (302, 403) + (404,) * 5),
    ("POST", "synthesis.choose_excerpt", "/gestion/themes/999999/extraits", (302, 403) + (404,) * 5),
    ("GET", "synthesis.proposal_groups", "/gestion/consultations/{open}/synthese/propositions", (302, 403, 403, 200, 403, 200, 200)),
    ("GET", "synthesis.proposal_groups", "/gestion/consultations/{draft}/synthese/propositions", (302, 403, 404, 200, 404, 200, 200)),
    ("POST", "synthesis.merge_proposal_groups", "/gestion/consultations/{open}/synthese/propositions", (302, 403, 403, 422, 403, 422, 422)),
    ("POST", "synthesis.rename_proposal_group", "/gestion/propositions/999999/renommer", (302, 403) + (404,) * 5),
    ("POST", "api.split_review_theme", "/api/v1/synthesis/themes/999999/split", (401,) + (404,) * 6),
    ("GET", "api.review_theme_excerpts", "/api/v1/synthesis/themes/999999/excerpts", (401,) + (404,) * 6),
    ("POST", "api.choose_theme_excerpt", "/api/v1/synthesis/themes/999999/excerpts", (401,) + (404,) * 6),
    ("GET", "api.review_proposal_groups", "/api/v1/consultations/{open}/synthesis/proposals", (401, 403, 403, 200, 403, 200, 200)),
    ("GET", "api.review_proposal_groups", "/api/v1/consultations/{draft}/synthesis/proposals", (401, 404, 404, 200, 404, 200, 200)),
    ("POST", "api.merge_review_proposal_groups", "/api/v1/consultations/{open}/synthesis/proposals/merge", (401, 403, 403, 422, 403, 422, 422)),
    ("POST", "api.rename_review_proposal_group", "/api/v1/synthesis/proposals/999999/rename", (401,) + (404,) * 6),
    # The adopted act: refused (409) while the synthesis is not published, as it is not on {open}.
    ("GET", "synthesis.act", "/gestion/consultations/{open}/acte", ORGANISERS),
    ("POST", "synthesis.act", "/gestion/consultations/{open}/acte", (302, 403, 403, 403, 403, 409, 409)),
    ("GET", "synthesis.adopted_text", "/gestion/consultations/{open}/texte-adopte", ORGANISERS),
    ("POST", "synthesis.adopted_text", "/gestion/consultations/{open}/texte-adopte", (302, 403, 403, 403, 403, 409, 409)),
    ("POST", "synthesis.confirm_links", "/gestion/consultations/{open}/texte-adopte/articles/1/contributions", (302, 403, 403, 403, 403, 409, 409)),
    ("GET", "synthesis_public.adopted_text", "/consultations/{open}/texte-adopte", EVERYONE),
    ("GET", "synthesis_public.adopted_text", "/consultations/{draft}/texte-adopte", DRAFT_READERS),
    ("POST", "api.record_act", "/api/v1/consultations/{open}/act", (401, 403, 403, 403, 403, 409, 409)),
    ("GET", "api.adopted_text", "/api/v1/consultations/{open}/adopted-text", EVERYONE),
    ("GET", "api.adopted_text", "/api/v1/consultations/{draft}/adopted-text", DRAFT_READERS),
    ("POST", "api.bulk_moderation", "/api/v1/moderation/bulk", (401, 403, 422, 422, 403, 403, 422)),
    ("GET", "api.moderation_queue", "/api/v1/moderation/queue", (401, 403, 200, 200, 403, 403, 200)),
    # A position paper for its moderators: the matrix's contribution has none.
    ("GET", "api.moderation_paper", "/api/v1/moderation/contributions/{contribution}/paper", (401, 403, 403, 404, 403, 403, 404)),
    ("GET", "api.moderation_figures", "/api/v1/consultations/{open}/moderation", EVERYONE),
    ("GET", "api.moderation_figures", "/api/v1/consultations/{draft}/moderation", DRAFT_READERS),
    # --- Open data and the tamper-evident record: public once published
    ("GET", "api.export_json", "/api/v1/consultations/{open}/export.json", EVERYONE),
    ("GET", "api.export_json", "/api/v1/consultations/{draft}/export.json", DRAFT_READERS),
    ("GET", "api.export_csv", "/api/v1/consultations/{open}/export.csv", EVERYONE),
    ("GET", "api.openapi_document", "/api/v1/openapi.json", EVERYONE),
    ("GET", "api.export_zip", "/api/v1/consultations/{open}/export.zip", EVERYONE),
    ("GET", "api.export_zip", "/api/v1/consultations/{draft}/export.zip", DRAFT_READERS),
    ("GET", "api.datapackage_schema", "/api/v1/schemas/datapackage.json", EVERYONE),
    ("GET", "api.export_schema", "/api/v1/schemas/export.json", EVERYONE),
    ("GET", "api.export_csv", "/api/v1/consultations/{draft}/export.csv", DRAFT_READERS),
    ("GET", "api.export_csv_fr", "/api/v1/consultations/{open}/export-fr.csv", EVERYONE),
    ("GET", "api.export_csv_fr", "/api/v1/consultations/{draft}/export-fr.csv", DRAFT_READERS),
    ("GET", "api.ledger_head", "/api/v1/consultations/{open}/ledger", EVERYONE),
    ("GET", "api.ledger_head", "/api/v1/consultations/{draft}/ledger", DRAFT_READERS),
    ("GET", "api.ledger_checkpoints", "/api/v1/consultations/{open}/ledger/checkpoints", EVERYONE),
    ("GET", "api.ledger_entries", "/api/v1/consultations/{open}/ledger/entries", EVERYONE),
    ("GET", "api.ledger_entries", "/api/v1/consultations/{draft}/ledger/entries", DRAFT_READERS),
    ("GET", "api.ledger_inclusion_proof", "/api/v1/consultations/{open}/ledger/proof/inclusion?index=0", EVERYONE),
    ("GET", "api.ledger_consistency_proof", "/api/v1/consultations/{open}/ledger/proof/consistency?first=1", EVERYONE),
    ("GET", "api.ledger_public_key", "/api/v1/ledger/public-key", EVERYONE),
    ("GET", "ledger.verification", "/donnees-ouvertes/registre", EVERYONE),
    # --- The consultation's documents: public with a published consultation (a draft's only to
    # its institution's staff, "not found" for anyone else); the institution's staff see the
    # management page, its organisers act. 999999 is no document.
    ("GET", "documents.download", "/consultations/{documented}/documents/{published_document}/{published_file}", EVERYONE),
    ("GET", "documents.download", "/consultations/{draft}/documents/{document}/{document_file}", DRAFT_READERS),
    ("GET", "documents.download", "/consultations/{documented}/documents/999999/x.pdf", (404,) * 7),
    ("GET", "documents.manage", "/gestion/consultations/{draft}/documents", (302, 403, 404, 200, 404, 200, 200)),
    ("GET", "documents.manage", "/gestion/consultations/{documented}/documents", (302, 403, 403, 200, 403, 200, 200)),
    ("POST", "documents.manage", "/gestion/consultations/{draft}/documents", (302, 403, 404, 403, 404, 422, 422)),
    ("POST", "documents.remove", "/gestion/consultations/{draft}/documents/{document}/retirer", (302, 403, 403, 403, 404, 302, 302)),
    ("POST", "documents.erratum", "/gestion/consultations/{documented}/documents/{published_document}/erratum", (302, 403, 403, 403, 403, 422, 422)),
    ("POST", "documents.hide", "/gestion/consultations/{documented}/documents/{published_document}/masquer", (302, 403, 403, 403, 403, 422, 422)),
    ("GET", "api.list_documents", "/api/v1/consultations/{documented}/documents", EVERYONE),
    ("GET", "api.list_documents", "/api/v1/consultations/{draft}/documents", DRAFT_READERS),
    ("POST", "api.add_document", "/api/v1/consultations/{draft}/documents", (401, 404, 404, 403, 404, 422, 422)),
    ("POST", "api.publish_erratum", "/api/v1/consultations/{documented}/documents/{published_document}/erratum", (401, 403, 403, 403, 403, 422, 422)),
    ("POST", "api.publish_erratum", "/api/v1/consultations/{documented}/documents/999999/erratum", (401, 403, 403, 403, 403, 404, 404)),
    ("POST", "api.hide_document", "/api/v1/consultations/{documented}/documents/{published_document}/hide", (401, 403, 403, 403, 403, 422, 422)),
    ("POST", "api.hide_document", "/api/v1/consultations/{draft}/documents/{document}/hide", (401, 404, 404, 403, 404, 409, 409)),
    ("POST", "api.hide_document", "/api/v1/consultations/{documented}/documents/999999/hide", (401, 403, 403, 403, 403, 404, 404)),
    ("DELETE", "api.remove_document", "/api/v1/consultations/{draft}/documents/{document}", (401, 404, 404, 403, 404, 200, 200)),
    ("DELETE", "api.remove_document", "/api/v1/consultations/{documented}/documents/{published_document}", (401, 403, 403, 403, 403, 409, 409)),
]  # fmt: skip

REFUSALS = {401, 403, 404, 405}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_matrix(app):
    """A new route fails here until its line is added to MATRIX; a line for a route that no
    longer exists fails too."""
    covered = {(method, endpoint) for method, endpoint, _url, _statuses in MATRIX}
    assert sorted(_routes(app) - covered) == [], "routes missing from MATRIX"
    assert sorted(covered - _routes(app)) == [], "MATRIX lines for routes that do not exist"
    adapter = app.url_map.bind("localhost")
    for method, endpoint, url, statuses in MATRIX:
        assert len(statuses) == len(ROLES), endpoint
        path = url.split("?")[0].format(
            open="o",
            draft="d",
            article=1,
            contribution=1,
            token=1,
            block=1,
            document=1,
            document_file="a.pdf",
            documented="p",
            published_document=2,
            published_file="b.pdf",
        )
        assert adapter.match(path, method=method)[0] == endpoint, url


def test_staff_routes_and_api_writes_are_denied_by_default():
    """Whatever a new line says for staff, the anonymous visitor and the participant are
    refused on back-office routes, and the API writes nothing without a token."""
    for method, _endpoint, url, statuses in MATRIX:
        anonymous, participant = statuses[0], statuses[1]
        if url.startswith(("/gestion/", "/moderation/", "/api/v1/moderation")):
            assert anonymous in (302, 401) and participant == 403, url
        if url.startswith("/api/") and method in WRITE_METHODS:
            assert anonymous == 401, url


# --- The matrix, played -------------------------------------------------------------------------


@pytest.fixture
def actors(make_user, make_institution, organiser):
    other = make_institution()
    people = {
        "anonymous": None,
        "participant": make_user("participant"),
        "other_moderator": make_user("moderator", institution=other),
        "moderator": make_user("moderator"),
        "other_organiser": make_user("organiser", institution=other),
        "organiser": organiser,
        "admin": make_user("admin"),
    }
    tokens = {role: accounts.create_api_token(user)[1] for role, user in people.items() if user}
    return people, tokens


@pytest.fixture
def world(db, make_consultation, make_user, actors):
    """Builds the targets; called again after an action that changed them."""
    people, _tokens = actors
    moderator = people["moderator"]

    def build() -> dict:
        draft = make_consultation("draft", title="Brouillon")
        opened = make_consultation("open", title="Ouverte")
        author, blocked = make_user(), make_user()
        comment = submit_contribution(author, opened, kind="comment", body="Un commentaire.")
        noisy = submit_contribution(blocked, opened, kind="comment", body="Hors sujet.")
        db.session.flush()
        block = moderation.moderate(moderator, noisy, "block", reason="spam")
        token, _secret = accounts.create_api_token(author)
        document = _add_document(people["organiser"], draft)
        documented = make_consultation("draft", title="Documentée")
        published_document = _add_document(people["organiser"], documented)
        consultations.publish_consultation(
            people["organiser"], documented, now=documented.opens_at - timedelta(days=1)
        )
        db.session.commit()
        return {
            "document": document.id,
            "document_file": document.filename,
            "documented": documented.slug,
            "published_document": published_document.id,
            "published_file": published_document.filename,
            "draft": draft.slug,
            "open": opened.slug,
            "article": opened.current_version.articles[0].id,
            "contribution": comment.id,
            "token": token.id,
            "block": block.id,
        }

    return build


def _add_document(organiser, consultation) -> ConsultationDocument:
    return documents.add_document(
        organiser,
        consultation,
        file=io.BytesIO(document_files.pdf()),
        filename="etude.pdf",
        title="Étude d'impact",
        kind="impact_study",
    )


def _state(db) -> tuple:
    """What a refused request must not change."""
    db.session.expire_all()

    def rows(*columns):
        return tuple(db.session.execute(sa.select(*columns).order_by(columns[0])).all())

    return (
        rows(
            Consultation.id, Consultation.title, Consultation.published_at, Consultation.closes_at
        ),
        rows(Contribution.id, Contribution.body, Contribution.withdrawn_at, Contribution.hidden_at),
        rows(ArticleVote.id, ArticleVote.value),
        rows(ApiToken.id, ApiToken.revoked_at),
        rows(ParticipationBlock.id, ParticipationBlock.lifted_at),
        rows(Report.id),
        rows(User.id, User.display_name, User.password_hash, User.email_verified_at),
        rows(ConsultationDocument.id, ConsultationDocument.hidden_at),
    )


def test_every_route_answers_each_role_as_the_matrix_says(app, client, db, actors, world, login_as):
    people, tokens = actors
    targets = world()
    wrong = []
    for method, _endpoint, template, statuses in MATRIX:
        writes = method in WRITE_METHODS
        uniform = not writes and len(set(statuses)) == 1  # a public read: the extremes suffice
        for role, expected in zip(ROLES, statuses, strict=True):
            if uniform and role not in ("anonymous", "participant", "admin"):
                continue
            before = _state(db) if writes else None
            url = template.format(**targets)
            response = _request(app, client, login_as, people[role], tokens.get(role), method, url)
            got = response.status_code
            refused = got in REFUSALS or (
                got == 302 and response.headers["Location"].startswith("/connexion")
            )
            if got != expected:
                wrong.append(f"{method} {template} as {role}: {got}, expected {expected}")
            if url.startswith("/api/") and got >= 400 and not response.json["error"]["code"]:
                wrong.append(f"{method} {template} as {role}: API error without a code")
            if not writes:
                continue
            after = _state(db)
            if refused and after != before:
                wrong.append(f"{method} {template} as {role}: refused ({got}) but changed data")
            if after != before:
                targets = world()  # the next role starts from untouched targets
    assert wrong == [], "\n".join(wrong)


def _request(app, client, login_as, user, token, method, url):
    if url.startswith("/api/"):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = {} if method in WRITE_METHODS else None
        response = client.open(url, method=method, json=body, headers=headers)
    else:
        if user is None:
            with client.session_transaction() as session:
                session.clear()
        else:
            login_as(user)
        response = client.open(url, method=method, data={} if method in WRITE_METHODS else None)
    response.get_data()  # a streamed answer (exports) ends its request only once read
    response.close()
    return response


# --- Owners and institutions ---------------------------------------------------------------------


def test_only_the_author_edits_or_withdraws_a_contribution(
    client, db, make_consultation, make_user, organiser, bearer
):
    opened = make_consultation("open")
    author = make_user()
    item = submit_contribution(author, opened, kind="comment", body="Texte d'origine.")
    db.session.commit()
    url = f"/api/v1/contributions/{item.id}"
    for intruder in (make_user(), make_user("moderator"), organiser, make_user("admin")):
        headers = bearer(intruder)
        edited = client.patch(url, json={"body": "Réécrit par un autre."}, headers=headers)
        assert edited.status_code == 403 and edited.json["error"]["code"] == "forbidden"
        assert client.delete(url, headers=headers).status_code == 403
    db.session.expire_all()
    assert item.body == "Texte d'origine." and item.withdrawn_at is None
    mine = bearer(author)
    assert (
        client.patch(url, json={"body": "Précisé par l'auteur."}, headers=mine).status_code == 200
    )
    assert client.delete(url, headers=mine).status_code == 200
    db.session.expire_all()
    assert item.body == "Précisé par l'auteur." and item.withdrawn_at is not None


def test_staff_of_another_institution_cannot_act_on_its_consultations(
    client, db, make_consultation, make_user, make_institution, bearer
):
    opened = make_consultation("open")
    other = make_institution()
    comment = submit_contribution(make_user(), opened, kind="comment", body="Un avis.")
    db.session.commit()
    organiser = bearer(make_user("organiser", institution=other))
    moderator = bearer(make_user("moderator", institution=other))
    later = clock.isoformat(opened.closes_at + timedelta(days=3))
    extended = client.patch(
        f"/api/v1/consultations/{opened.slug}", json={"closes_at": later}, headers=organiser
    )
    assert extended.status_code == 403
    hidden = client.post(
        f"/api/v1/contributions/{comment.id}/moderation",
        json={"action": "hide", "reason": "spam"},
        headers=moderator,
    )
    assert hidden.status_code == 403
    db.session.expire_all()
    assert comment.hidden_at is None and clock.as_utc(opened.closes_at) < clock.now() + timedelta(
        days=30
    )


# --- No mass assignment ---------------------------------------------------------------------------

FOREIGN_FIELDS = {
    "id": 999_999,
    "author_id": None,  # set to another user in the tests
    "status": "published",
    "votes": {"agree": 1000, "mixed": 0, "disagree": 0},
    "vote_counts": {"agree": 1000},
    "tracking_number": "C-AAAA-BBBB-CCCC",
    "created_at": "2000-01-01T00:00:00+00:00",
    "published_at": "2000-01-01T00:00:00+00:00",
    "institution_id": None,  # set to another institution in the tests
    "consultation_id": None,
    "hidden_at": "2000-01-01T00:00:00+00:00",
    "withdrawn_at": "2000-01-01T00:00:00+00:00",
    "is_offline": True,
    "score": 99,
}


def test_api_contributions_ignore_fields_the_server_owns(
    client, db, make_consultation, make_user, bearer
):
    opened = make_consultation("open")
    elsewhere = make_consultation("open", title="Une autre consultation")
    author, someone = make_user(), make_user()
    headers = bearer(author)
    extra = FOREIGN_FIELDS | {"author_id": someone.id, "consultation_id": elsewhere.id}
    created = client.post(
        f"/api/v1/consultations/{opened.slug}/contributions",
        json=extra | {"kind": "comment", "body": "Mon avis."},
        headers=headers,
    )
    assert created.status_code == 201
    item = db.session.get(Contribution, created.json["id"])
    assert item.id != 999_999 and item.author_id == author.id
    assert item.consultation_id == opened.id and item.tracking_number != "C-AAAA-BBBB-CCCC"
    assert clock.now() - clock.as_utc(item.created_at) < timedelta(minutes=5)
    assert item.hidden_at is None and item.withdrawn_at is None and not item.is_offline
    assert item.vote_counts == {"agree": 0, "mixed": 0, "disagree": 0}

    number, created_at = item.tracking_number, item.created_at
    edited = client.patch(
        f"/api/v1/contributions/{item.id}",
        json=extra | {"kind": "source", "body": "Mon avis précisé."},
        headers=headers,
    )
    assert edited.status_code == 200
    db.session.expire_all()
    assert item.body == "Mon avis précisé." and item.kind.value == "comment"
    assert (item.author_id, item.tracking_number, item.created_at) == (
        author.id,
        number,
        created_at,
    )
    assert item.consultation_id == opened.id and item.withdrawn_at is None


def test_api_consultations_ignore_fields_the_server_owns(
    client, db, organiser, institution, make_institution, bearer
):
    other = make_institution()
    headers = bearer(organiser)
    extra = FOREIGN_FIELDS | {"institution_id": other.id, "slug": "choisi-par-le-client"}
    created = client.post(
        "/api/v1/consultations",
        json=extra | {"title": "Projet de décret", "legal_basis": "crpa_l131_1"},
        headers=headers,
    )
    assert created.status_code == 201
    consultation = db.session.scalar(sa.select(Consultation))
    assert consultation.id != 999_999 and consultation.institution_id == institution.id
    assert consultation.published_at is None and consultation.slug != "choisi-par-le-client"
    assert clock.now() - clock.as_utc(consultation.created_at) < timedelta(minutes=5)

    patched = client.patch(
        f"/api/v1/consultations/{consultation.slug}",
        json=extra | {"title": "Projet de décret modifié"},
        headers=headers,
    )
    assert patched.status_code == 200
    db.session.expire_all()
    assert consultation.title == "Projet de décret modifié"
    assert consultation.institution_id == institution.id and consultation.published_at is None
    assert patched.json["status"] == "draft"
