"""The synthesis analyses at RN×10: time and peak memory of campaigns, themes, proposals,
statement kinds, opinion groups.

Builds synthetic inputs at the reference volume, without a database: 85,000 French-like
contributions (the `Prose` generator of `generate.py`) with a few planted campaigns of hundreds
to thousands of members, and 1.5 million votes of 200,000 participants on 40 articles and
the contributions. Each analysis then runs on them; the script prints its time, the process's
peak resident memory during the run (the peak is reset before each analysis) and how much
that peak exceeds the memory held before the run (the inputs).

    .venv/bin/python bench/analysis.py [--scale 0.1] [--only campaigns,themes,proposals,opinions]

`proposals` runs both the proposals (grouped) and the statement kinds of every text.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Prose  # noqa: E402

from consultation.synthesis.analysis.campaigns import find_campaigns  # noqa: E402
from consultation.synthesis.analysis.opinions import find_opinion_groups  # noqa: E402
from consultation.synthesis.analysis.proposals import find_proposals  # noqa: E402
from consultation.synthesis.analysis.statements import classify  # noqa: E402
from consultation.synthesis.analysis.themes import find_themes  # noqa: E402

SEED = 2026
CONTRIBUTIONS = 85_000
CAMPAIGN_SIZES = (3_000, 1_200, 400, 150)
PARTICIPANTS = 200_000
ARTICLES = 40
ARTICLE_VOTES = 1_000_000
CONTRIBUTION_VOTES = 500_000
PERSONAL_SENTENCES = (
    "Je vis à la campagne et ce sujet me touche directement.",
    "Mon fils est concerné, je tenais à le dire.",
    "J'ajoute que rien n'est prévu pour les personnes âgées.",
    "Merci de lire nos contributions avec attention.",
)


def contributions(rng: random.Random, total: int, sizes: tuple[int, ...]) -> list[tuple[int, str]]:
    """`total` texts: planted campaigns (copies, edited copies, copies with an added sentence)
    and the rest written one by one."""
    prose = Prose(rng)
    texts = []
    for size in sizes:
        common = prose.body()
        for _ in range(size):
            texts.append(variant(rng, common))
    texts += [prose.body() for _ in range(total - len(texts))]
    rng.shuffle(texts)
    return list(enumerate(texts, start=1))


def variant(rng: random.Random, common: str) -> str:
    pick = rng.random()
    if pick < 0.4:
        return common
    if pick < 0.55:
        return common.upper() if rng.random() < 0.5 else common.replace(",", " ,")
    words = common.split()
    if pick < 0.85:
        for _ in range(rng.randint(1, 2)):
            words[rng.randrange(len(words))] = rng.choice(("vraiment", "aussi", "donc"))
        return " ".join(words)
    return f"{common} {rng.choice(PERSONAL_SENTENCES)}"


def votes(seed: int, participants: int, contribution_ids: list[int], scale: float):
    """Votes as the draft builder streams them: (participant, statement key, value).

    Shaped like `generate.py`'s: article votes favour the first articles, contribution votes
    are heavy-tailed (a few get thousands, most a few), and each statement's voters are drawn
    among the most engaged participants. Two camps (60 % / 40 %) lean opposite ways on every
    other statement."""
    generator = np.random.default_rng(seed)
    engaged = generator.permutation(participants)
    camp = generator.random(participants) < 0.6
    article_weights = 0.97 ** np.arange(ARTICLES) * generator.lognormal(0, 0.6, ARTICLES)
    contribution_weights = generator.pareto(1.3, len(contribution_ids)) + 1
    for prefix, ids, weights, total, cap in (
        ("article", range(1, ARTICLES + 1), article_weights, ARTICLE_VOTES, 0.9),
        ("contribution", contribution_ids, contribution_weights, CONTRIBUTION_VOTES, 0.5),
    ):
        counts = np.minimum(
            np.floor(weights / weights.sum() * total * scale), int(participants * cap)
        ).astype(int)
        for statement, count in zip(ids, counts.tolist(), strict=True):
            pool = min(participants, max(count, int(count * 1.6)))
            voters = engaged[generator.choice(pool, count, replace=False)]
            divisive = hash(statement) % 2 == 0
            agree = np.where(camp[voters], 0.8, 0.2) if divisive else np.full(count, 0.6)
            draw = generator.random(count)
            values = np.where(draw < agree, 1, np.where(draw < agree + 0.1, 0, -1))
            key = (prefix, statement)
            for voter, value in zip(voters.tolist(), values.tolist(), strict=True):
                yield voter + 1, key, value


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS counter of this process (Linux); False when not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def memory_mib(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, function, *args, **kwargs):
    resettable = reset_peak()
    before = memory_mib("VmRSS")
    start = time.perf_counter()
    result = function(*args, **kwargs)
    elapsed = time.perf_counter() - start
    peak = memory_mib("VmHWM")
    note = "" if resettable else " (peak since start: counter not resettable)"
    print(
        f"{label:<16} {elapsed:7.1f} s   peak RSS {peak:7.0f} MiB   "
        f"above inputs {peak - before:6.0f} MiB{note}",
        flush=True,
    )
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", default="campaigns,themes,proposals,opinions")
    arguments = parser.parse_args()
    scale, only = arguments.scale, set(arguments.only.split(","))

    start = time.perf_counter()
    rng = random.Random(SEED)
    items = contributions(
        rng, int(CONTRIBUTIONS * scale), tuple(int(s * scale) for s in CAMPAIGN_SIZES)
    )
    print(f"inputs: {len(items):,} texts in {time.perf_counter() - start:.1f} s", flush=True)
    total = 0.0
    representatives = items
    if "campaigns" in only:
        campaigns, elapsed = measure("campaigns", find_campaigns, items)
        total += elapsed
        members = {i for campaign in campaigns for i in campaign.member_ids}
        kept = {campaign.representative_id for campaign in campaigns}
        representatives = [(i, text) for i, text in items if i not in members or i in kept]
        sizes = ", ".join(f"{c.count:,}" for c in campaigns[:8])
        print(f"  {len(campaigns)} campaigns, biggest: {sizes}")
    if "themes" in only:
        themes, elapsed = measure("themes", find_themes, representatives)
        total += elapsed
        print(f"  {len(representatives):,} texts, {len(themes)} themes")
        for theme in themes:
            print(f"    {len(theme.member_ids):6,}  {' '.join(theme.terms)}")
    if "proposals" in only:
        groups, elapsed = measure("proposals", find_proposals, items)
        total += elapsed
        sentences = sum(len(group.sentences) for group in groups)
        print(f"  {sentences:,} proposal sentences in {len(groups):,} groups, biggest:")
        for group in groups[:5]:
            print(f"    {group.count:6,}  {group.label}")
        kinds, elapsed = measure("statement kinds", lambda: [classify(t) for _, t in items])
        total += elapsed
        counts = {
            kind: sum(kind in found for found in kinds) for kind in sorted(set().union(*kinds))
        }
        print("  " + ", ".join(f"{kind} {count:,}" for kind, count in counts.items()))
    if "opinions" in only:
        start = time.perf_counter()
        cast = list(votes(SEED, int(PARTICIPANTS * scale), [i for i, _ in items], scale))
        print(f"inputs: {len(cast):,} votes in {time.perf_counter() - start:.1f} s", flush=True)
        result, elapsed = measure("opinion groups", find_opinion_groups, cast)
        total += elapsed
        sizes = ", ".join(f"{len(g.member_ids):,}" for g in result.groups)
        print(
            f"  {result.participants:,} participants kept, {result.statements:,} statements, "
            f"silhouette {result.silhouette}, groups: {sizes or result.reason}"
        )
    print(f"total {total:.1f} s")


if __name__ == "__main__":
    main()
