"""Every model, imported once so that the metadata knows all tables."""

from consultation.accounts.models import (  # noqa: F401
    AccountToken,
    ApiToken,
    Institution,
    ParticipationBlock,
    Role,
    User,
)
from consultation.consultations.document_models import ConsultationDocument  # noqa: F401
from consultation.consultations.models import Consultation, ConsultationEvent, Notice  # noqa: F401
from consultation.ledger.models import LedgerCheckpoint, LedgerEntry, LedgerHead  # noqa: F401
from consultation.moderation.models import ModerationDecision, Report  # noqa: F401
from consultation.participation.models import (  # noqa: F401
    ArticleVote,
    Contribution,
    ContributionRevision,
    ContributionVote,
)
from consultation.search.models import SearchDocument  # noqa: F401
from consultation.synthesis.models import (  # noqa: F401
    AdoptedAct,
    Answer,
    ChangeLink,
    FollowUp,
    FollowUpEvent,
    Subscription,
    Synthesis,
    SynthesisJob,
    SynthesisVersion,
)
from consultation.synthesis.review_models import (  # noqa: F401
    ContributionReading,
    ReviewTheme,
    ThemeAssignment,
)
from consultation.texts.models import Article, Division, Paragraph, TextVersion  # noqa: F401
