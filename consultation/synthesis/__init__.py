"""Synthesis and follow-ups: official answers, the drafted synthesis, publication, follow-ups."""
