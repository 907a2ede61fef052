"""Opinion groups: participants who vote alike, and what each group stands for.

This re-implements the method published by pol.is (Small et al., "Polis: Scaling deliberation
by mapping high dimensional opinion spaces", 2021, and the pol.is documentation): participants
are placed on a map by their votes, groups are found on the map, and each group is described
by the statements it agrees with more than the others; the statements every group agrees with
are the consensus. A statement is anything voted on: a contribution or an article.

How it is computed:

1. **Who and what.** Participants with at least `min_votes` votes (7, as pol.is) are kept.
   Of the statements, the `MAX_STATEMENTS` most voted are kept (from `MIN_STATEMENT_VOTES`
   votes): they carry almost all the votes, and a statement few people saw cannot position
   anyone. Participants are counted again on these statements and kept from `min_votes`.
2. **The vote matrix.** One row per participant, one column per statement: agree 1,
   disagree −1, mixed 0. A statement the participant did not vote on is *unseen*, which is not
   the same as mixed: it is filled with the statement's average vote (what pol.is does), so it
   neither pulls the participant one way nor the other.
3. **The map.** Principal component analysis keeps the two directions along which the votes
   differ most. Each participant's position is then stretched by √(statements ÷ statements
   they voted on): someone who voted on few statements has most of their row filled with
   averages, which pulls them to the centre of the map; the stretch puts them back where their
   own votes point. The matrix stays sparse throughout (filling with the average then centring
   leaves zeros where nobody voted), so 200,000 participants fit in little memory.
4. **Groups.** k-means splits the map into 2, 3, 4 or 5 groups; the silhouette (how much
   closer each participant is to their own group than to the next one, from −1 to 1, measured
   on at most `SILHOUETTE_SAMPLE` participants) picks the number. Splits that leave a group
   under `MIN_GROUP_SHARE` of the participants are not considered. When the best silhouette
   is under `MIN_SILHOUETTE`, or fewer than `MIN_PARTICIPANTS` participants are kept, the draft
   says there is no clear divide instead of presenting groups: on Kaufman and Rousseeuw's
   scale, a silhouette under 0.5 means at best a weak structure.
5. **One statement per campaign.** The caller may say which statements are the same text
   (`same_as`: the members of a campaign, each mapped to the campaign's reference text). Their
   votes are then added together, group by group, and the campaign is listed once, under its
   reference text: six copies of one text agreed by everyone are one agreement, not six. The
   map itself (steps 2 to 4) keeps every statement as it was voted on.
6. **What a group supports.** For each group and statement, the agree share is smoothed,
   (agreements + 1) / (votes + 2), so that two votes out of two do not read as 100 %. A
   statement represents the group when the group agrees with it more than the other
   participants do (two-proportion test) and when most of the group agrees (one-proportion
   test against one half), both significant at 90 % (z > `Z_90`), with at least
   `MIN_GROUP_VOTES` votes from the group. They are ranked by (group share ÷ others' share) ×
   group share; the first `MAX_STATEMENTS_SHOWN` are kept.
7. **Nothing claimed on a few votes.** The consensus and the cruxes only consider a statement
   with at least `MIN_CLAIM_VOTES` votes in all (20: ten unanimous votes are not a consensus)
   and `MIN_GROUP_VOTES` from each group.
8. **Consensus: what all groups agree on.** A statement every group agrees with, each group's
   smoothed agree share being at least `CONSENSUS_SHARE`, ranked by the product of the groups'
   smoothed shares: the product is high only when every group agrees, and a group that agrees
   less pulls it down whatever the others do (a statement at 90 % and 90 % comes before one at
   99 % and 80 %). Without a clear divide the consensus is measured on all participants as one
   group. The first `MAX_STATEMENTS_SHOWN` are kept.
9. **Cruxes: what divides the groups most.** For each statement, the spread between the group
   that agrees most and the group that agrees least (difference of their smoothed shares). A
   statement divides the groups when most of one group agrees and most of another does not
   (shares on either side of one half) and when the difference is significant at 90 %
   (two-proportion test, z > `Z_90`); they are ranked by the spread, largest first, each shown
   with every group's share; the first `MAX_CRUXES` are kept. Without a clear divide there are
   no groups to divide, and no cruxes.

Limits: the map shows how people voted, not why; those who voted little are placed with less
certainty; a group's size depends on who chose to vote, not on the population.
"""

from __future__ import annotations

import warnings
from array import array
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

MIN_VOTES = 7
MAX_STATEMENTS = 1_500
MIN_STATEMENT_VOTES = 5
MIN_PARTICIPANTS = 30
GROUP_COUNTS = (2, 3, 4, 5)
SILHOUETTE_SAMPLE = 5_000
MIN_SILHOUETTE = 0.5
MIN_GROUP_SHARE = 0.05
Z_90 = 1.2816
MIN_GROUP_VOTES = 3
MAX_STATEMENTS_SHOWN = 10
CONSENSUS_SHARE = 0.6
MIN_CLAIM_VOTES = 20
MAX_CRUXES = 5


@dataclass(frozen=True)
class GroupStatement:
    statement: Hashable  # as given in the votes
    group_agree: float  # smoothed agree share in the group
    others_agree: float  # in the other participants
    votes: int  # votes of the group on it


@dataclass(frozen=True)
class SharedStatement:
    """A statement as every group sees it (consensus and cruxes)."""

    statement: Hashable  # as given in the votes (a campaign: its reference text)
    group_agree: tuple[float, ...]  # smoothed agree share of each group, in the order of groups
    votes: int  # votes on it, all groups (a campaign: on all its texts)

    @property
    def lowest(self) -> float:
        return min(self.group_agree)

    @property
    def spread(self) -> float:
        return round(max(self.group_agree) - min(self.group_agree), 3)


@dataclass(frozen=True)
class OpinionGroup:
    member_ids: list[int]
    supports: list[GroupStatement]  # agreed significantly more than by the others, strongest first


@dataclass(frozen=True)
class OpinionMap:
    participants: int  # participants kept (≥ min_votes votes)
    statements: int  # statements in the matrix
    silhouette: float | None
    clear: bool  # False: no clear divide → groups == []
    reason: str  # French sentence when not clear, "" otherwise
    groups: list[OpinionGroup]  # biggest first
    consensus: list[SharedStatement]  # agreed by every group, by product of the shares
    cruxes: list[SharedStatement]  # dividing the groups, widest spread first


@dataclass
class _Votes:
    """The kept votes: participant row, statement column, value, as parallel arrays."""

    participants: np.ndarray  # participant id of each row
    statements: list[Hashable]  # statement key of each column
    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    def matrix(self, data: np.ndarray) -> sparse.csr_matrix:
        return sparse.csr_matrix((data, (self.rows, self.columns)), shape=self.shape)


def find_opinion_groups(
    votes: Iterable[tuple[int, Hashable, int]],
    *,
    min_votes: int = MIN_VOTES,
    same_as: Mapping[Hashable, Hashable] | None = None,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> OpinionMap:
    """Opinion groups of the participants (the pol.is method), or why there is no clear one.
    `same_as` maps a statement to the one it repeats (a campaign's member to its reference
    text): they are counted as one statement in what the groups support and agree on."""
    report = progress or (lambda fraction: None)
    kept = _keep(_read(votes), min_votes)
    report(0.3)
    units = _Units.of(kept.statements, same_as or {})
    participants, statements = kept.shape
    if participants < MIN_PARTICIPANTS or statements < 3:
        return _unclear(kept, units, _too_few(participants, statements, min_votes), None)
    # One thread: the matrices are small, and threads fighting for shared cores cost more.
    with threadpool_limits(limits=1):
        positions = _positions(kept, seed)
        report(0.6)
        labels, silhouette = _cluster(positions, seed)
    report(0.9)
    if labels is None or silhouette is None or silhouette < MIN_SILHOUETTE:
        reason = (
            "Pas de clivage net : les votes ne séparent pas les participants en groupes "
            f"distincts (silhouette {0 if silhouette is None else silhouette:.2f}, "
            f"seuil {MIN_SILHOUETTE:.2f})."
        )
        return _unclear(kept, units, reason, silhouette)
    labels = _biggest_first(labels, kept.participants)
    agreed, voted = _counts(kept, labels, int(labels.max()) + 1, units)
    report(1.0)
    return OpinionMap(
        participants=participants,
        statements=statements,
        silhouette=round(float(silhouette), 3),
        clear=True,
        reason="",
        groups=_describe(kept, labels, units, agreed, voted),
        consensus=_consensus(units, agreed, voted),
        cruxes=_cruxes(units, agreed, voted),
    )


def _read(
    votes: Iterable[tuple[int, Hashable, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[Hashable]]:
    """Votes as arrays; a participant's later vote on a statement replaces an earlier one."""
    column_of: dict[Hashable, int] = {}
    participant_buffer, column_buffer, value_buffer = array("q"), array("q"), array("b")
    for participant_id, statement, value in votes:
        column = column_of.get(statement)
        if column is None:
            column = column_of[statement] = len(column_of)
        participant_buffer.append(participant_id)
        column_buffer.append(column)
        value_buffer.append(value)
    participant_ids = np.frombuffer(participant_buffer, dtype=np.int64)
    ids, rows = np.unique(participant_ids, return_inverse=True)
    columns = np.frombuffer(column_buffer, dtype=np.int64)
    cells = rows * max(len(column_of), 1) + columns
    _, last = np.unique(cells[::-1], return_index=True)
    last = len(cells) - 1 - last
    values = np.frombuffer(value_buffer, dtype=np.int8)[last]
    return ids, rows[last], columns[last], values, list(column_of)


def _keep(
    read: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[Hashable]], min_votes: int
) -> _Votes:
    ids, rows, columns, values, statements = read
    active = np.bincount(rows, minlength=len(ids)) >= min_votes
    counted = np.bincount(columns[active[rows]], minlength=len(statements))
    eligible = np.flatnonzero(counted >= MIN_STATEMENT_VOTES)
    chosen = eligible[np.argsort(-counted[eligible], kind="stable")][:MAX_STATEMENTS]
    chosen.sort()
    column_map = np.full(len(statements), -1)
    column_map[chosen] = np.arange(len(chosen))
    inside = active[rows] & (column_map[columns] >= 0)
    rows, columns, values = rows[inside], column_map[columns[inside]], values[inside]
    enough = np.bincount(rows, minlength=len(ids)) >= min_votes
    row_map = np.full(len(ids), -1)
    row_map[enough] = np.arange(int(enough.sum()))
    inside = enough[rows]
    return _Votes(
        participants=ids[enough],
        statements=[statements[i] for i in chosen],
        rows=row_map[rows[inside]],
        columns=columns[inside],
        values=values[inside].astype(np.float64),
    )


def _positions(kept: _Votes, seed: int) -> np.ndarray:
    """Each participant on the two principal components, stretched by how little they voted."""
    participants, statements = kept.shape
    seen = np.bincount(kept.columns, minlength=statements)
    means = np.bincount(kept.columns, weights=kept.values, minlength=statements) / seen
    centred = kept.matrix(kept.values - means[kept.columns])
    pca = TruncatedSVD(n_components=2, algorithm="randomized", random_state=seed)
    positions = pca.fit_transform(centred)
    voted = np.bincount(kept.rows, minlength=participants)
    stretched: np.ndarray = positions * np.sqrt(statements / voted)[:, None]
    return stretched


def _cluster(positions: np.ndarray, seed: int) -> tuple[np.ndarray | None, float | None]:
    """The k-means split with the best silhouette among those without a tiny group."""
    best_labels, best_score = None, None
    sample = min(len(positions), SILHOUETTE_SAMPLE)
    for count in GROUP_COUNTS:
        if count >= len(positions):
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            labels = KMeans(n_clusters=count, n_init=4, random_state=seed).fit_predict(positions)
        sizes = np.bincount(labels, minlength=count)
        if sizes.min() < MIN_GROUP_SHARE * len(positions):
            continue
        score = float(silhouette_score(positions, labels, sample_size=sample, random_state=seed))
        if best_score is None or score > best_score:
            best_labels, best_score = labels, score
    return best_labels, best_score


@dataclass(frozen=True)
class _Units:
    """The statements as listed: each column of the matrix belongs to one unit, a campaign's
    columns to the same one, named by the campaign's reference text."""

    keys: list[Hashable]  # statement key of each unit
    of_column: np.ndarray  # unit index of each column

    @classmethod
    def of(cls, statements: list[Hashable], same_as: Mapping[Hashable, Hashable]) -> _Units:
        index: dict[Hashable, int] = {}
        of_column = np.array(
            [index.setdefault(same_as.get(key, key), len(index)) for key in statements],
            dtype=np.int64,
        )
        return cls(keys=list(index), of_column=of_column)

    def merge(self, counts: np.ndarray) -> np.ndarray:
        """Counts per column (groups × columns) added up per unit (groups × units)."""
        merged = np.zeros((counts.shape[0], len(self.keys)))
        np.add.at(merged.T, self.of_column, counts.T)
        return merged


def _biggest_first(labels: np.ndarray, participants: np.ndarray) -> np.ndarray:
    """Labels renumbered so that group 0 is the biggest (ties: the smallest participant id)."""
    count = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=count)
    smallest = [int(participants[labels == group].min()) for group in range(count)]
    order = sorted(range(count), key=lambda group: (-sizes[group], smallest[group]))
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    renumbered: np.ndarray = rank[labels]
    return renumbered


def _counts(
    kept: _Votes, labels: np.ndarray, groups: int, units: _Units
) -> tuple[np.ndarray, np.ndarray]:
    """Agreements and votes of each group on each unit (groups × units)."""
    membership = sparse.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(groups, len(labels))
    )
    agreed = kept.matrix((kept.values == 1).astype(np.float64))
    voted = kept.matrix(np.ones(len(kept.values)))
    return units.merge((membership @ agreed).toarray()), units.merge((membership @ voted).toarray())


def _describe(
    kept: _Votes, labels: np.ndarray, units: _Units, agreed: np.ndarray, voted: np.ndarray
) -> list[OpinionGroup]:
    groups = int(labels.max()) + 1
    others_agreed, others_voted = agreed.sum(axis=0) - agreed, voted.sum(axis=0) - voted
    share = (agreed + 1) / (voted + 2)
    others_share = (others_agreed + 1) / (others_voted + 2)
    pooled = (agreed + others_agreed + 2) / (voted + others_voted + 4)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / (voted + 2) + 1 / (others_voted + 2)))
    more_than_others = (share - others_share) / np.maximum(spread, 1e-12)
    majority = (share - 0.5) / np.sqrt(0.25 / (voted + 2))
    representative = (more_than_others > Z_90) & (majority > Z_90) & (voted >= MIN_GROUP_VOTES)
    strength = share / others_share * share
    result = []
    for group in range(groups):
        columns = np.flatnonzero(representative[group])
        columns = columns[np.argsort(-strength[group, columns], kind="stable")]
        supports = [
            GroupStatement(
                statement=units.keys[j],
                group_agree=round(float(share[group, j]), 3),
                others_agree=round(float(others_share[group, j]), 3),
                votes=int(voted[group, j]),
            )
            for j in columns[:MAX_STATEMENTS_SHOWN]
        ]
        members = sorted(kept.participants[labels == group].tolist())
        result.append(OpinionGroup(member_ids=members, supports=supports))
    return result  # biggest first: see _biggest_first


def _claimable(voted: np.ndarray) -> np.ndarray:
    """The units with enough votes to say anything of them (see MIN_CLAIM_VOTES)."""
    in_all = voted.sum(axis=0) >= MIN_CLAIM_VOTES
    enough: np.ndarray = in_all & (voted >= MIN_GROUP_VOTES).all(axis=0)
    return enough


def _shared(units: _Units, share: np.ndarray, voted: np.ndarray, j: int) -> SharedStatement:
    return SharedStatement(
        statement=units.keys[j],
        group_agree=tuple(round(float(value), 3) for value in share[:, j]),
        votes=int(voted[:, j].sum()),
    )


def _consensus(units: _Units, agreed: np.ndarray, voted: np.ndarray) -> list[SharedStatement]:
    """Agreed by every group, ranked by the product of the groups' smoothed shares."""
    share = (agreed + 1) / (voted + 2)
    agreed_by_all = _claimable(voted) & (share >= CONSENSUS_SHARE).all(axis=0)
    product = share.prod(axis=0)
    columns = np.flatnonzero(agreed_by_all)
    columns = columns[np.argsort(-product[columns], kind="stable")][:MAX_STATEMENTS_SHOWN]
    return [_shared(units, share, voted, j) for j in columns.tolist()]


def _cruxes(units: _Units, agreed: np.ndarray, voted: np.ndarray) -> list[SharedStatement]:
    """Mostly agreed by a group and not by another, significantly; widest spread first."""
    if agreed.shape[0] < 2:
        return []
    share = (agreed + 1) / (voted + 2)
    columns = np.arange(share.shape[1])
    high, low = share.argmax(axis=0), share.argmin(axis=0)
    spread = share[high, columns] - share[low, columns]
    pooled = (agreed[high, columns] + agreed[low, columns] + 2) / (
        voted[high, columns] + voted[low, columns] + 4
    )
    error = np.sqrt(
        pooled * (1 - pooled) * (1 / (voted[high, columns] + 2) + 1 / (voted[low, columns] + 2))
    )
    divided = (
        _claimable(voted)
        & (share[high, columns] > 0.5)
        & (share[low, columns] < 0.5)
        & (spread / np.maximum(error, 1e-12) > Z_90)
    )
    chosen = np.flatnonzero(divided)
    chosen = chosen[np.argsort(-spread[chosen], kind="stable")][:MAX_CRUXES]
    return [_shared(units, share, voted, j) for j in chosen.tolist()]


def _unclear(kept: _Votes, units: _Units, reason: str, silhouette: float | None) -> OpinionMap:
    participants, statements = kept.shape
    if participants:
        agreed, voted = _counts(kept, np.zeros(participants, dtype=np.int64), 1, units)
        consensus = _consensus(units, agreed, voted)
    else:
        consensus = []
    return OpinionMap(
        participants=participants,
        statements=statements,
        silhouette=None if silhouette is None else round(float(silhouette), 3),
        clear=False,
        reason=reason,
        groups=[],
        consensus=consensus,
        cruxes=[],
    )


def _too_few(participants: int, statements: int, min_votes: int) -> str:
    if statements < 3:
        return (
            "Trop peu de contributions ou d'articles ont reçu assez de votes pour comparer les "
            f"participants ({statements} retenus, il en faut au moins 3)."
        )
    plural = "s" if participants > 1 else ""
    return (
        f"Trop peu de participants pour dégager des groupes d'opinion : {participants} "
        f"participant{plural} avec au moins {min_votes} votes, il en faut {MIN_PARTICIPANTS}."
    )
