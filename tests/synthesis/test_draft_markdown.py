"""The draft's French text says what its data says: the busiest days each with their own count,
the same percentages as the data tables, agreement and division between opinion groups with
each group's share and links."""

from __future__ import annotations

import copy
import re
from types import SimpleNamespace

from consultation.synthesis import charts, draft_markdown

SUBJECT = SimpleNamespace(slug="loi-test", title="Loi test")
NBSP = "\u00a0"


def day(date: str, contributions: int = 0, votes: int = 0) -> dict:
    return {
        "date": date,
        "contributions": contributions,
        "votes": votes,
        "article_votes": votes,
        "contribution_votes": 0,
    }


def make_data(per_day: list[dict] | None = None, **changes) -> dict:
    """A draft's data (see synthesis.draft) with nothing in it but what a test sets."""
    per_day = per_day or []
    contributions = sum(d["contributions"] for d in per_day)
    votes = sum(d["votes"] for d in per_day)
    data = {
        "consultation": {"slug": SUBJECT.slug, "title": SUBJECT.title},
        "generated_at": "2025-10-20T10:00:00+00:00",
        "figures": {
            "participants": 10,
            "contributors": 3,
            "contributions": {
                "total": contributions,
                "top_level": contributions,
                "replies": 0,
                "by_kind": {"comment": contributions},
            },
            "votes": {"total": votes, "articles": votes, "contributions": 0},
            "participants_by_type": {"individual": 10, "organisation": 0},
            "organisations_by_category": {},
            "per_day": per_day,
            "offline": {"total": 0, "by_channel": {}},
            "moderated": {"total": 0, "by_reason": {}},
            "withdrawn": 0,
        },
        "articles": [],
        "campaigns": [],
        "themes": [],
        "opinion_groups": {
            "clear": False,
            "reason": "Trop peu de participants.",
            "silhouette": None,
            "participants": 0,
            "statements": 0,
            "claim_min_votes": 20,
            "groups": [],
            "consensus": [],
            "cruxes": [],
        },
        "references": {},
    }
    data.update(changes)
    return data


def busiest_line(markdown: str) -> str:
    lines = [line for line in markdown.splitlines() if "Jour le plus actif" in line]
    assert len(lines) <= 1
    return lines[0] if lines else ""


def chart_maximum(data: dict, key: str) -> str:
    """The maximum the day chart of `key` names in its description, as « N le JJ/MM/AAAA »."""
    chart = next(c for c in charts.draft_charts(data) if c.id == f"chart-days-{key}")
    found = re.search(r"maximum (\S+) le (\d\d)/(\d\d)/(\d{4})", chart.description)
    assert found
    return found.group(1), f"{found.group(4)}-{found.group(3)}-{found.group(2)}"


# --- The busiest days ----------------------------------------------------------------------------


def test_contributions_on_one_day_and_votes_on_another_are_each_said():
    per_day = [
        day("2025-10-04"),
        day("2025-10-05", contributions=12, votes=3),
        day("2025-10-06"),
        day("2025-10-07", votes=40),
        day("2025-10-08", votes=206),
    ]
    data = make_data(per_day)

    line = busiest_line(draft_markdown.write(SUBJECT, data))

    assert "en contributions, le 5 octobre 2025, avec 12 contributions" in line
    assert "en votes, le 8 octobre 2025, avec 206 votes" in line
    assert "0 contribution" not in line and "0 vote" not in line
    # The days and counts are those of the data tables under the day charts.
    assert chart_maximum(data, "contributions") == ("12", "2025-10-05")
    assert chart_maximum(data, "votes") == ("206", "2025-10-08")


def test_one_day_busiest_for_both_is_said_once():
    per_day = [day("2025-10-05", 2, 9), day("2025-10-06", 7, 30), day("2025-10-07", 1, 4)]

    line = busiest_line(draft_markdown.write(SUBJECT, make_data(per_day)))

    assert line.startswith(
        "- Jour le plus actif, en contributions comme en votes : le 6 octobre 2025, avec "
        "7 contributions et 30 votes"
    )


def test_without_any_vote_only_contributions_are_said():
    per_day = [day("2025-10-05", contributions=5), day("2025-10-06", contributions=2)]

    line = busiest_line(draft_markdown.write(SUBJECT, make_data(per_day)))

    assert "en contributions, le 5 octobre 2025, avec 5 contributions" in line
    assert "vote" not in line


def test_without_any_contribution_only_votes_are_said():
    per_day = [day("2025-10-05", votes=3), day("2025-10-06", votes=8)]

    line = busiest_line(draft_markdown.write(SUBJECT, make_data(per_day)))

    assert "en votes, le 6 octobre 2025, avec 8 votes" in line
    assert "contribution" not in line.replace("contributions les plus récentes", "")


def test_nothing_at_all_says_no_busiest_day():
    per_day = [day("2025-10-05"), day("2025-10-06")]

    assert busiest_line(draft_markdown.write(SUBJECT, make_data(per_day))) == ""


def test_equal_days_name_the_first_as_the_chart_does():
    per_day = [day("2025-10-05", 4, 10), day("2025-10-06", 4, 10)]
    data = make_data(per_day)

    line = busiest_line(draft_markdown.write(SUBJECT, data))

    assert "le 5 octobre 2025, avec 4 contributions et 10 votes" in line
    assert chart_maximum(data, "votes") == ("10", "2025-10-05")


# --- Figures of the text and of the tables -------------------------------------------------------


def test_article_percentages_are_those_of_the_chart_table():
    # 33 of 200 is 16.5 %: rounded one way or the other depending on how it is computed.
    votes = {"agree": 33, "mixed": 100, "disagree": 67}
    article = {
        "id": 1,
        "number": "1",
        "slug": "article-1",
        "label": "Article 1",
        "title": "",
        "votes": votes,
        "contributions_count": 0,
        "public_contributions": 0,
        **{key: [] for key, _heading in draft_markdown.article_lists()},
    }
    data = make_data(articles=[article])

    markdown = draft_markdown.write(SUBJECT, data)

    chart = next(c for c in charts.draft_charts(data) if c.id == "chart-articles")
    (_label, cells) = chart.table.rows[0]
    for (key, *_rest), cell in zip(charts.OPINIONS, cells, strict=False):
        shown = re.search(r"\((\d+)\s%\)", cell).group(1)
        assert f"{votes[key]}" in cell
        assert f"({shown}{NBSP}%)" in markdown
    assert f"33 d'accord (16{NBSP}%)" in markdown


# --- Agreement and division ----------------------------------------------------------------------


def opinion_groups(consensus: list[dict], cruxes: list[dict]) -> dict:
    return {
        "clear": True,
        "reason": "",
        "silhouette": 0.7,
        "participants": 130,
        "statements": 40,
        "claim_min_votes": 20,
        "groups": [
            {"label": "Groupe A", "size": 70, "supports": []},
            {"label": "Groupe B", "size": 60, "supports": []},
        ],
        "consensus": consensus,
        "cruxes": cruxes,
    }


def shared(kind: str, target: int, shares: tuple[float, float], votes: int, **extra) -> dict:
    return {
        "kind": kind,
        "id": target,
        "by_group": [
            {"group": "Groupe A", "agree": shares[0]},
            {"group": "Groupe B", "agree": shares[1]},
        ],
        "votes": votes,
        **extra,
    }


def test_consensus_and_cruxes_give_each_groups_share_and_link_their_statements():
    consensus = [
        shared("contribution", 42, (0.981, 0.731), 100, label="C-42", excerpt="Un texte commun")
        | {"agree": 0.731},
        shared("article", 7, (0.788, 0.788), 90, label="Article 3", slug="article-3")
        | {"agree": 0.788},
    ]
    cruxes = [
        shared("contribution", 43, (0.885, 0.115), 100, label="C-43", excerpt="Ce qui divise")
        | {"spread": 0.77},
        shared("article", 8, (0.404, 0.596), 100, label="Article 4", slug="article-4")
        | {"spread": 0.192},
    ]
    data = make_data(
        opinion_groups=opinion_groups(consensus, cruxes), references={"42": "C-42", "43": "C-43"}
    )

    markdown = draft_markdown.write(SUBJECT, data)

    agree = markdown.split("### Ce sur quoi tous les groupes s'accordent")[1].split("###")[0]
    divide = markdown.split("### Ce qui divise les groupes")[1].split("##")[0]
    assert "au moins 20 votes chacun" in agree and "produit des parts d'accord" in agree
    items = [line for line in agree.splitlines() if line.startswith("- ")]
    assert items == [
        "- [[C-42]] « Un texte commun » : Groupe A : "
        f"98{NBSP}%, Groupe B : 73{NBSP}% d'accord (100 votes).",
        f"- [Article 3](/consultations/loi-test/articles/article-3) : Groupe A : 79{NBSP}%, "
        f"Groupe B : 79{NBSP}% d'accord (90 votes).",
    ]
    items = [line for line in divide.splitlines() if line.startswith("- ")]
    assert items == [
        "- [[C-43]] « Ce qui divise » : Groupe A : "
        f"88{NBSP}%, Groupe B : 12{NBSP}% d'accord (100 votes).",
        f"- [Article 4](/consultations/loi-test/articles/article-4) : Groupe A : 40{NBSP}%, "
        f"Groupe B : 60{NBSP}% d'accord (100 votes).",
    ]


def test_without_agreement_or_division_the_text_says_so():
    data = make_data(opinion_groups=opinion_groups([], []))

    markdown = draft_markdown.write(SUBJECT, data)

    assert "### Ce sur quoi tous les groupes s'accordent\n\nRien, parmi" in markdown
    assert "### Ce qui divise les groupes\n\nRien, parmi" in markdown


def test_without_groups_there_is_no_division_and_agreement_is_everyone_s():
    groups = opinion_groups([], [])
    groups.update(clear=False, reason="Pas de clivage net.", groups=[])
    groups["consensus"] = [
        {"kind": "article", "id": 7, "label": "Article 3", "slug": "article-3"}
        | {"by_group": [{"group": "Groupe A", "agree": 0.9}], "votes": 40, "agree": 0.9}
    ]
    data = make_data(opinion_groups=groups)

    markdown = draft_markdown.write(SUBJECT, data)

    assert "Ce qui divise" not in markdown and "tous les groupes" not in markdown
    assert "Ce que la plupart des participants comparés approuvent" in markdown
    assert (
        f"- [Article 3](/consultations/loi-test/articles/article-3) : 90{NBSP}% d'accord "
        "(40 votes)." in markdown
    )


# --- Campaigns -----------------------------------------------------------------------------------


def test_a_campaign_without_personal_text_says_none_was_added():
    campaign = {
        "count": 3,
        "representative_id": 1,
        "representative": "Un texte commun assez long.",
        "contribution_ids": [1, 2, 3],
        "exact": 3,
        "exact_ids": [1, 2, 3],
        "additions": [],
    }
    with_one = copy.deepcopy(campaign)
    with_one["additions"] = [{"id": 3, "text": "Je vis à la campagne depuis vingt ans."}]

    without = draft_markdown.write(SUBJECT, make_data(campaigns=[campaign]))
    added = draft_markdown.write(SUBJECT, make_data(campaigns=[with_one]))

    assert "texte personnel" not in without
    assert "1 personne a ajouté un texte personnel" in added
    assert "« Je vis à la campagne depuis vingt ans. »" in added
