"""The analyses behind the drafted synthesis: pure functions over plain Python data.

Nothing here reads the database or knows Flask: the draft builder loads the contributions and
votes, passes them as tuples, and turns the results into Markdown and structured data. Each
module explains its method in its docstring, with its thresholds as named constants, so that
the public page describing how a synthesis is drafted can say exactly what is computed.

- `text`: the normalisation shared by the analyses (case, accents, punctuation, spacing) and
  the cutting of a text into sentences and list items;
- `metrics`: support (Wilson lower bound) and controversy of a voted item;
- `campaigns`: identical and near-identical contributions grouped, with what each person added;
- `themes`: topics of the contributions (TF-IDF and NMF);
- `proposals`: the proposals the contributions make, found by French cues and grouped;
- `statements`: what each sentence does (propose, describe a problem, tell an experience,
  oppose a measure, ask a question);
- `opinions`: opinion groups from the votes (the pol.is method).
"""
