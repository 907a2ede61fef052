"""Checking an export against the signed head of its consultation's record.

The checks are those of `static/ledger/verify_ledger.py`, the script the verification page
offers to anyone (Python and `cryptography` only, nothing of this package): what the platform
checks and what a reader checks are one program. Its docstring lists every check, in order;
`verify_export` stops at the first problem and names it in French — the record (by index),
the consultation, the text, an article, a contribution (by tracking number) or a version of
the synthesis, and what differs.

Here it also gets, when the consultation is in this database (`stored`), the hash the
platform stored for each entry: an export whose records were rewritten with every hash and the
root recomputed would already fail the signature, and with `stored` the exact record at fault
is named.

The export is read from the file incrementally (`ExportReader`): the small parts whole, the
`records` and `contributions` arrays one item at a time; the Merkle root is folded on a
frontier. Memory holds the state of each contribution and one small integer per vote in force
(a participant's latest opinion on each target), about 150 bytes each (325 MiB at 1.5 million votes).
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "ledger" / "verify_ledger.py"


@functools.cache
def script() -> ModuleType:
    """The verification script, loaded once as a module."""
    spec = importlib.util.spec_from_file_location("consultation_verify_ledger", SCRIPT)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the verification script {SCRIPT}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_script = script()
ExportReader = _script.ExportReader
VerificationFailed = _script.Failed
Unreadable = _script.Unreadable
Verified = _script.Verified
report = _script.report


def verify_export(
    export: Any, public_key: bytes, stored: Iterator[Sequence[Any]] | None = None
) -> Any:  # the script's own classes (ExportReader, Verified): loaded at run time, untyped
    """Check an export — an `ExportReader` over the file, or the parsed JSON — with the
    platform's public key; `stored` yields the database's (index, leaf hash) of the
    consultation, in order. Raises VerificationFailed at the first problem (Unreadable where
    the file stops being JSON); returns what was verified (`report` words it)."""
    return _script.verify(export, public_key, stored)
