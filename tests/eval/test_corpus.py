import json
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus" / "contributions.jsonl"
KINDS = {"proposal", "problem", "experience", "opposition", "question"}
SET_ASIDE = {"Idée marquée", "Z Autres"}
MIN_TOPIC = 30  # answers for a question to be a topic


def answers():
    with CORPUS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_every_line_is_an_answer():
    rows = answers()
    assert len(rows) >= 500
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["text"], row["id"]
        assert row["split"] in {"dev", "heldout"}, row["id"]
        assert row["origin"] in {"real", "written"}, row["id"]
        assert isinstance(row["labelled"], bool), row["id"]
        assert isinstance(row["non_answer"], bool), row["id"]
        assert set(row["kinds"]) <= KINDS, row["id"]
        for proposal in row["proposals"]:
            assert proposal["text"] in row["text"], (row["id"], proposal["text"])
            assert proposal["group"], row["id"]
        if row["proposals"]:
            assert "proposal" in row["kinds"], row["id"]
        if not row["labelled"]:
            assert not row["kinds"] and not row["proposals"], row["id"]


def test_topics_are_questions_and_splits_are_stratified():
    rows = answers()
    topics = Counter(row["topic"] for row in rows if row["topic"] is not None)
    questions = Counter(row["source"]["question"] for row in rows if row["origin"] == "real")
    assert len(topics) >= 4
    assert all(count >= MIN_TOPIC for count in topics.values()), topics
    for topic in topics:
        splits = Counter(row["split"] for row in rows if row["topic"] == topic)
        assert splits["dev"] and splits["heldout"], topic
    for row in rows:
        if row["topic"] is None and row["origin"] == "written":
            assert row["non_answer"], row["id"]
        elif row["topic"] is None:  # a question with too few answers to be a topic
            assert questions[row["source"]["question"]] < MIN_TOPIC, row["id"]
        else:
            assert row["topic"] == "q" + row["source"]["question"].split(":")[1], row["id"]
            assert row["question"], row["id"]


def test_volunteers_categories():
    for row in answers():
        categories = row["categories"]
        if categories is None:
            assert row["category"] is None, row["id"]
            continue
        assert not SET_ASIDE & set(categories), row["id"]
        assert all(isinstance(votes, int) and votes > 0 for votes in categories.values())
        if row["category"] is not None:
            assert categories[row["category"]] * 2 >= sum(categories.values()), row["id"]


def test_mostly_real_and_sourced_without_personal_data():
    rows = answers()
    real = [row for row in rows if row["origin"] == "real"]
    assert len(real) / len(rows) >= 0.9
    for row in rows:
        text = json.dumps(row)
        assert "authorId" not in text and "authorZipCode" not in text, row["id"]
    for row in real:
        source = row["source"]
        assert source["licence"] and source["publisher"], row["id"]
        assert source["repo"] and source["path"] and source["commit"], row["id"]
        assert source["reference"] and source["question"], row["id"]
