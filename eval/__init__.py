"""The evaluation harness of the synthesis: a labelled corpus and the figures measured on it."""
