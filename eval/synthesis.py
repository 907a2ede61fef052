"""Measure the drafted synthesis on the labelled corpus (eval/corpus/contributions.jsonl).

    .venv/bin/python eval/synthesis.py [--split dev|heldout|all] [--seeds N] [--json]

Prints, for the dev part, the held-out part and both (or the one part asked for):

- topics: the draft's themes (campaigns first, themes over one text per campaign, as the draft
  runs them) against the gold topics, beside a TF-IDF + k-means baseline with k = the number
  of gold topics; answers marked as non-answers are left out of the topic figures and counted
  apart;
- the key terms of each theme, flagged when most of them are function or position words;
- proposals and statement kinds, when the synthesis package has them;
- the run time of each step.

Tune on the dev part; report both.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval import metrics  # noqa: E402

CORPUS = ROOT / "eval" / "corpus" / "contributions.jsonl"
PARTS = ("dev", "heldout", "all")
KINDS = ("proposal", "problem", "experience", "opposition", "question")
FUNCTION_SHARE = (
    0.5  # a theme is flagged when at least this share of its key terms are function words
)
FUNCTION_TERMS = 8  # how many key terms are looked at


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def part(answers: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return answers if name == "all" else [a for a in answers if a["split"] == name]


def on_topic(answer: dict[str, Any]) -> bool:
    """A substantive answer with a gold topic (written non-answers have none)."""
    return not answer["non_answer"] and answer.get("topic") is not None


# --- Topics --------------------------------------------------------------------------------------


def topic_figures(gold: Sequence[str], found: Sequence[int | None]) -> dict[str, float]:
    """Agreement over the answers placed in a group; coverage over every substantive answer."""
    placed = [(g, f) for g, f in zip(gold, found, strict=True) if f is not None]
    placed_gold = [g for g, _ in placed]
    placed_found = [f for _, f in placed]
    return {
        "nmi": metrics.nmi(placed_gold, placed_found) if placed else 0.0,
        "ari": metrics.ari(placed_gold, placed_found) if placed else 0.0,
        "purity": metrics.purity(placed_gold, placed_found),
        "coverage": metrics.coverage(len(placed), len(gold)),
        "groups": float(len(set(placed_found))),
    }


def draft_run(answers: list[dict[str, Any]], seed: int) -> dict[str, Any]:
    """The draft's campaigns and themes on the answers of a part (every answer, non-answers too,
    as a consultation would hold them)."""
    from consultation.synthesis.draft import campaigns_and_themes

    items = [(index, answer["text"]) for index, answer in enumerate(answers)]
    start = time.perf_counter()
    reading = campaigns_and_themes(items, seed=seed)
    campaigns, themes = reading.campaigns, reading.themes
    seconds = time.perf_counter() - start
    theme_of: dict[int, int] = {}
    for number, theme in enumerate(themes):
        for member in theme.member_ids:
            theme_of[member] = number
    in_campaign: dict[int, int] = {}
    for campaign in campaigns:
        for member in campaign.member_ids:
            in_campaign[member] = campaign.representative_id
    # A copy in a campaign stands with its representative, as the draft reports it.
    found = [theme_of.get(in_campaign.get(index, index)) for index in range(len(answers))]
    substantive = [i for i, answer in enumerate(answers) if on_topic(answer)]
    with_category = [i for i in substantive if answers[i].get("category")]
    non_answers = [i for i, answer in enumerate(answers) if answer["non_answer"]]
    return {
        "seconds": seconds,
        "figures": topic_figures(
            [answers[i]["topic"] for i in substantive], [found[i] for i in substantive]
        ),
        "categories": topic_figures(
            [answers[i]["category"] for i in with_category], [found[i] for i in with_category]
        ),
        "non_answers": {
            "total": len(non_answers),
            "in_themes": sum(1 for i in non_answers if i in theme_of),
            "in_campaigns": sum(1 for i in non_answers if i in in_campaign),
            "set_aside": sum(1 for i in non_answers if i not in theme_of and i not in in_campaign),
        },
        "campaigns": [
            {"count": len(c.member_ids), "representative": c.representative[:60]} for c in campaigns
        ],
        "frequent_answers": [
            {"count": len(c.member_ids), "representative": c.representative[:60]}
            for c in reading.frequent_answers
        ],
        "set_aside": len(reading.non_answers),
        "themes": [theme.terms for theme in themes],
    }


def baseline_run(answers: list[dict[str, Any]], seed: int, clusters: int) -> dict[str, Any]:
    """Plain TF-IDF (scikit-learn defaults) + k-means with k = number of gold topics."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    substantive = [answer for answer in answers if on_topic(answer)]
    start = time.perf_counter()
    weights = TfidfVectorizer().fit_transform([answer["text"] for answer in substantive])
    labels = KMeans(n_clusters=clusters, random_state=seed, n_init=10).fit_predict(weights)
    seconds = time.perf_counter() - start
    found: list[int | None] = [int(label) for label in labels]
    categorised = [
        (a["category"], f) for a, f in zip(substantive, found, strict=True) if a.get("category")
    ]
    return {
        "seconds": seconds,
        "figures": topic_figures([answer["topic"] for answer in substantive], found),
        "categories": topic_figures([g for g, _ in categorised], [f for _, f in categorised]),
    }


def function_words() -> frozenset[str]:
    from stop_words import get_stop_words

    from consultation.synthesis.analysis.themes import STANCE_WORDS

    return frozenset(get_stop_words("french")) | STANCE_WORDS | {"savoir", "faire", "être", "avoir"}


def vocabulary_check(themes: list[list[str]]) -> list[dict[str, Any]]:
    words = function_words()
    checked = []
    for terms in themes:
        top = terms[:FUNCTION_TERMS]
        share = sum(term in words for term in top) / len(top) if top else 0.0
        checked.append(
            {"terms": terms, "function_share": share, "flagged": share >= FUNCTION_SHARE}
        )
    return checked


def summary(values: list[float]) -> dict[str, float]:
    return {
        "mean": statistics.fmean(values),
        "spread": (max(values) - min(values)) / 2 if len(values) > 1 else 0.0,
    }


# --- Proposals and statement kinds ---------------------------------------------------------------


def optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name == module:
            return None
        raise
    return getattr(loaded, name, None)


def gold_spans(answers: list[dict[str, Any]]) -> tuple[list[metrics.Span], list[str]]:
    spans, groups = [], []
    for index, answer in enumerate(answers):
        searched_from: dict[str, int] = {}
        for proposal in answer["proposals"]:
            start = answer["text"].find(proposal["text"], searched_from.get(proposal["text"], 0))
            searched_from[proposal["text"]] = start + 1
            spans.append((index, start, start + len(proposal["text"])))
            groups.append(proposal["group"])
    return spans, groups


def proposal_run(answers: list[dict[str, Any]], find: Callable[..., Any]) -> dict[str, Any]:
    items = [(index, answer["text"]) for index, answer in enumerate(answers)]
    start = time.perf_counter()
    found = find(items)
    seconds = time.perf_counter() - start
    predicted: list[metrics.Span] = []
    predicted_groups: list[int] = []
    for number, group in enumerate(found):
        for sentence in group.sentences:
            predicted.append(
                (int(sentence.contribution_id), int(sentence.start), int(sentence.end))
            )
            predicted_groups.append(number)
    gold, groups = gold_spans(answers)
    matches = metrics.match_spans(gold, predicted)
    spans = metrics.scores(len(matches), len(predicted), len(gold))
    grouping = metrics.pairwise_grouping(
        [groups[g] for g, _ in matches], [predicted_groups[p] for _, p in matches]
    )
    return {
        "seconds": seconds,
        "gold": len(gold),
        "predicted": len(predicted),
        "groups_found": len(found),
        "gold_groups": len(set(groups)),
        "precision": spans.precision,
        "recall": spans.recall,
        "f1": spans.f1,
        "grouping": vars(grouping),
    }


def kinds_run(answers: list[dict[str, Any]], classify: Callable[[str], set[str]]) -> dict[str, Any]:
    start = time.perf_counter()
    predicted = [classify(answer["text"]) for answer in answers]
    seconds = time.perf_counter() - start
    per_kind = {}
    for kind in KINDS:
        both = sum(
            1 for a, p in zip(answers, predicted, strict=True) if kind in p and kind in a["kinds"]
        )
        said = sum(1 for p in predicted if kind in p)
        expected = sum(1 for a in answers if kind in a["kinds"])
        per_kind[kind] = vars(metrics.scores(both, said, expected)) | {"gold": expected}
    return {"seconds": seconds, "kinds": per_kind}


# --- Report --------------------------------------------------------------------------------------


def evaluate(answers: list[dict[str, Any]], seeds: int) -> dict[str, Any]:
    topics = sorted({answer["topic"] for answer in answers if on_topic(answer)})
    categorised = [a for a in answers if on_topic(a) and a.get("category")]
    labelled = [a for a in answers if a.get("labelled", True)]
    draft = [draft_run(answers, seed) for seed in range(seeds)]
    baseline = [baseline_run(answers, seed, len(topics)) for seed in range(seeds)]
    result: dict[str, Any] = {
        "answers": len(answers),
        "substantive": sum(1 for a in answers if not a["non_answer"]),
        "topics": topics,
        "categorised": len(categorised),
        "categories": len({a["category"] for a in categorised}),
        "labelled": len(labelled),
        "origin": dict(Counter(a["origin"] for a in answers)),
        "draft": {
            key: summary([run["figures"][key] for run in draft])
            for key in ("nmi", "ari", "purity", "coverage", "groups")
        }
        | {"seconds": summary([run["seconds"] for run in draft])},
        "baseline": {
            key: summary([run["figures"][key] for run in baseline])
            for key in ("nmi", "ari", "purity", "coverage", "groups")
        }
        | {"seconds": summary([run["seconds"] for run in baseline]), "k": len(topics)},
        "draft_categories": {
            key: summary([run["categories"][key] for run in draft])
            for key in ("nmi", "ari", "purity", "coverage", "groups")
        },
        "baseline_categories": {
            key: summary([run["categories"][key] for run in baseline])
            for key in ("nmi", "ari", "purity", "coverage", "groups")
        },
        "non_answers": draft[0]["non_answers"],
        "campaigns": draft[0]["campaigns"],
        "frequent_answers": draft[0]["frequent_answers"],
        "set_aside": draft[0]["set_aside"],
        "vocabulary": vocabulary_check(draft[0]["themes"]),
    }
    find = optional("consultation.synthesis.analysis.proposals", "find_proposals")
    # Proposals and kinds are measured on the lines labelled for them only.
    result["proposals"] = proposal_run(labelled, find) if find else None
    classify = optional("consultation.synthesis.analysis.statements", "classify")
    result["kinds"] = kinds_run(labelled, classify) if classify else None
    return result


def render(name: str, result: dict[str, Any], seeds: int) -> str:
    lines = [
        f"== {name}: {result['answers']} answers ({result['substantive']} substantive), "
        f"{len(result['topics'])} topics, origin {result['origin']}, "
        f"{result['labelled']} labelled for proposals and kinds",
        f"Topics ({seeds} seeds, mean ± half-range; non-answers left out; agreement over the "
        "answers placed in a theme):",
        f"  {'':10} {'NMI':>13} {'ARI':>13} {'purity':>13} {'coverage':>13} {'themes':>9} {'seconds':>12}",
    ]
    for label, key in (("draft", "draft"), (f"tfidf+k{result['baseline']['k']}", "baseline")):
        row = result[key]
        cells = [
            f"{row[m]['mean']:.3f} ± {row[m]['spread']:.3f}"
            for m in ("nmi", "ari", "purity", "coverage")
        ]
        lines.append(
            f"  {label:10} {cells[0]:>13} {cells[1]:>13} {cells[2]:>13} {cells[3]:>13} "
            f"{row['groups']['mean']:>9.1f} {row['seconds']['mean']:>6.2f} ± {row['seconds']['spread']:.2f}"
        )
    lines.append(
        f"Volunteers' categories (La Grande Annotation; {result['categorised']} answers with a "
        f"majority category, {result['categories']} categories; same themes and clusters):"
    )
    for label, key in (
        ("draft", "draft_categories"),
        (f"tfidf+k{result['baseline']['k']}", "baseline_categories"),
    ):
        row = result[key]
        cells = [
            f"{row[m]['mean']:.3f} ± {row[m]['spread']:.3f}"
            for m in ("nmi", "ari", "purity", "coverage")
        ]
        lines.append(
            f"  {label:10} {cells[0]:>13} {cells[1]:>13} {cells[2]:>13} {cells[3]:>13} "
            f"{row['groups']['mean']:>9.1f}"
        )
    na = result["non_answers"]
    lines.append(
        f"Non-answers (seed 0): {na['total']} in all; in themes {na['in_themes']}, "
        f"in campaigns {na['in_campaigns']}, set aside {na['set_aside']}; the draft set aside "
        f"{result['set_aside']} answers as non-answers"
    )
    for campaign in result["campaigns"]:
        lines.append(f"  campaign ×{campaign['count']}: {campaign['representative']!r}")
    for frequent in result["frequent_answers"]:
        lines.append(f"  frequent answer ×{frequent['count']}: {frequent['representative']!r}")
    lines.append("Theme vocabulary (seed 0; ! = mostly function or position words):")
    for number, theme in enumerate(result["vocabulary"], 1):
        mark = "!" if theme["flagged"] else " "
        lines.append(f"  {mark} theme {number}: {', '.join(theme['terms'])}")
    proposals = result["proposals"]
    if proposals is None:
        lines.append("proposals: not available")
    else:
        grouping = proposals["grouping"]
        lines.append(
            f"Proposals: gold {proposals['gold']}, found {proposals['predicted']}; precision "
            f"{proposals['precision']:.3f}, recall {proposals['recall']:.3f}, F1 {proposals['f1']:.3f}; "
            f"grouping P {grouping['precision']:.3f} R {grouping['recall']:.3f} F1 {grouping['f1']:.3f} "
            f"({proposals['groups_found']} groups found, {proposals['gold_groups']} gold); "
            f"{proposals['seconds']:.2f} s"
        )
    kinds = result["kinds"]
    if kinds is None:
        lines.append("statement kinds: not available")
    else:
        lines.append(f"Statement kinds ({kinds['seconds']:.2f} s):")
        for kind, row in kinds["kinds"].items():
            lines.append(
                f"  {kind:11} gold {row['gold']:>4}  P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--split", choices=PARTS, help="one part only (default: dev, held-out and all)"
    )
    parser.add_argument(
        "--seeds", type=int, default=3, help="seeds for themes and k-means (default 3)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    arguments = parser.parse_args(argv)
    answers = load()
    names = [arguments.split] if arguments.split else list(PARTS)
    results = {name: evaluate(part(answers, name), arguments.seeds) for name in names}
    if arguments.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print(
            "\n\n".join(render(name, result, arguments.seeds) for name, result in results.items())
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
