import json
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus" / "contributions.jsonl"
KINDS = {"proposal", "problem", "experience", "opposition", "question"}


def answers():
    with CORPUS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_every_line_is_a_labelled_answer():
    rows = answers()
    assert len(rows) >= 300
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["text"], row["id"]
        assert row["split"] in {"dev", "heldout"}, row["id"]
        assert row["origin"] in {"real", "written"}, row["id"]
        assert isinstance(row["non_answer"], bool), row["id"]
        assert set(row["kinds"]) <= KINDS, row["id"]
        for proposal in row["proposals"]:
            assert proposal["text"] in row["text"], (row["id"], proposal["text"])
            assert proposal["group"], row["id"]
        if row["proposals"]:
            assert "proposal" in row["kinds"], row["id"]


def test_topics_and_splits():
    rows = answers()
    topics = Counter(row["topic"] for row in rows)
    assert len(topics) >= 4
    for topic in topics:
        splits = Counter(row["split"] for row in rows if row["topic"] == topic)
        assert splits["dev"] and splits["heldout"], topic


def test_real_answers_say_where_they_come_from():
    for row in answers():
        if row["origin"] == "real":
            source = row["source"]
            assert source["licence"] and source["publisher"], row["id"]
            assert source["repo"] and source["path"] and source["commit"], row["id"]
