"""The participation services, one import for the views, the API, the other domains and the
tests: each name is defined in the module of its responsibility —

- `standing`: who may take part (verified account, moderation blocks, open period) and what an
  actor may do with one contribution (`vote_refusal`, `reply_refusal`, `edit_refusal`,
  `withdraw_refusal` and their `can_…` flags);
- `votes`: opinions on articles and on contributions;
- `contributions`: submit, edit, withdraw, offline observations, the rules of their fields,
  receipt numbers, what the tamper-evident record keeps;
- `listing`: reading contributions (one, a page with its filters, orderings and cursors,
  replies, amendment diffs);
- `authors`: a contribution's public author and the record's new commitments when it changes;
- `participants`: a participant's own data (download, activity, erasure).
"""

from consultation.participation.authors import (
    author_changed,
    author_of,
    author_of_user,
    public_author,
)
from consultation.participation.contributions import (
    EDITABLE_FIELDS,
    canonical_tracking_number,
    edit_contribution,
    find_by_tracking_number,
    new_tracking_number,
    record_offline_observation,
    submit_contribution,
    withdraw_contribution,
)
from consultation.participation.listing import (
    CURSOR_KINDS,
    ORDERINGS,
    PAGE_SIZE,
    ListPlace,
    amendment_diffs,
    get_contribution,
    list_contributions,
    list_place,
    replies_to,
)
from consultation.participation.participants import (
    ArticleVoteEntry,
    erase_participant,
    participant_activity,
    personal_data,
)
from consultation.participation.standing import (
    Standing,
    active_block,
    block_message,
    can_edit,
    can_participate,
    can_reply,
    can_vote_on,
    can_withdraw,
    check_can_edit,
    check_can_participate,
    check_can_vote_on,
    edit_refusal,
    participation_refusal,
    reply_refusal,
    vote_refusal,
    withdraw_refusal,
)
from consultation.participation.votes import (
    VoteShare,
    cast_article_vote,
    cast_contribution_vote,
    consultation_of,
    get_article,
    my_article_vote,
    parse_opinion,
    vote_counts,
    vote_split,
    withdraw_article_vote,
    withdraw_contribution_vote,
)

__all__ = [
    "ArticleVoteEntry",
    "CURSOR_KINDS",
    "EDITABLE_FIELDS",
    "ListPlace",
    "ORDERINGS",
    "PAGE_SIZE",
    "Standing",
    "VoteShare",
    "active_block",
    "amendment_diffs",
    "author_changed",
    "author_of",
    "author_of_user",
    "block_message",
    "can_edit",
    "can_participate",
    "can_reply",
    "can_vote_on",
    "can_withdraw",
    "canonical_tracking_number",
    "cast_article_vote",
    "cast_contribution_vote",
    "check_can_edit",
    "check_can_participate",
    "check_can_vote_on",
    "consultation_of",
    "edit_contribution",
    "edit_refusal",
    "erase_participant",
    "find_by_tracking_number",
    "get_article",
    "get_contribution",
    "list_contributions",
    "list_place",
    "my_article_vote",
    "new_tracking_number",
    "parse_opinion",
    "participant_activity",
    "participation_refusal",
    "personal_data",
    "public_author",
    "record_offline_observation",
    "replies_to",
    "reply_refusal",
    "submit_contribution",
    "vote_counts",
    "vote_refusal",
    "vote_split",
    "withdraw_article_vote",
    "withdraw_contribution",
    "withdraw_contribution_vote",
    "withdraw_refusal",
]
