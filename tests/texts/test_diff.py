"""Word-level diff of a proposed wording."""

from consultation.texts.diff import Segment, word_diff


def test_changed_words_are_removed_then_added_and_the_rest_kept():
    segments = word_diff(
        "Elle s'applique aux administrations de l'État.",
        "Elle s'applique aux collectivités de l'État.",
    )
    assert (
        Segment("removed", "administrations ") in segments
        and Segment("added", "collectivités ") in segments
    )
    assert (
        "".join(s.text for s in segments if s.op != "removed")
        == "Elle s'applique aux collectivités de l'État."
    )
    assert (
        "".join(s.text for s in segments if s.op != "added")
        == "Elle s'applique aux administrations de l'État."
    )


def test_identical_and_empty_texts():
    assert word_diff("Même texte.", "Même texte.") == [Segment("same", "Même texte.")]
    assert word_diff("", "Nouveau.") == [Segment("added", "Nouveau.")]
