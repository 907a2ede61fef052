"""Download and verify the export of the RN×10 consultation: time, size and peak memory.

    .venv/bin/python bench/generate.py [--database-url URL]      # once: RN×10 data and record
    .venv/bin/python bench/export.py [--run bench/out/run.json] [--out FILE] [--keep]

Starts gunicorn with one sync worker on the database that `generate.py` filled (production
configuration, with the SECRET_KEY and LEDGER_SIGNING_KEY that `generate.py` used, read from
its instance folder, so that the served record is the one it signed), then:

1. downloads `export.csv` (the contributions), `export.zip` (one CSV per entity), then
   `/api/v1/consultations/{slug}/export.json` to a file, reading each in 1 MiB pieces, while a
   thread samples the worker's resident memory (VmRSS) every 20 ms; reports the time to the
   first byte and to the last, the size, the worker's RSS before the request and its peak
   (the larger of the samples and the kernel's VmHWM, reset before each download);
2. runs `flask --app wsgi ledger verify FILE` (which also compares every record with the
   database) and the standalone `static/ledger/verify_ledger.py FILE --public-key KEY`, each
   as a child process waited with `os.wait4`, which reports that child's peak RSS; prints
   their time, exit code and peak RSS, and the last lines of their output.

gunicorn rather than Flask's test client: the memory sampled is then that of a real serving
process, streaming through the WSGI server as in production, and nothing of the client's
side (the download, the file) is counted in it. The export file is deleted at the end unless
`--keep` is given. Nothing is asserted; the figures are for a person to read.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "static" / "ledger" / "verify_ledger.py"
PIECE = 2**20
MiB = 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, default=ROOT / "bench/out/run.json")
    parser.add_argument("--out", type=Path, default=None, help="export file (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the export file")
    parser.add_argument(
        "--timeout", type=int, default=30, help="gunicorn worker timeout, s (its default: 30)"
    )
    args = parser.parse_args()
    run = json.loads(args.run.read_text())
    env = _environment(run)
    target = args.out or Path(tempfile.mkdtemp(prefix="consultation-export-")) / "export.json"
    label = "PostgreSQL" if run["database_url"].startswith("postgres") else "SQLite"
    print(f"{label}: {run['counts']}")

    with _Gunicorn(env, args.timeout) as server:
        base = f"{server.base}/api/v1/consultations/{run['slug']}"
        smaller = {}
        for name in ("export.csv", "export.zip"):
            path = target.with_name(name)
            smaller[name] = _download(f"{base}/{name}", path, server.worker_pid)
            path.unlink(missing_ok=True)
        download = _download(f"{base}/export.json", target, server.worker_pid)
    for name, result in smaller.items():
        print(
            f"\n{name}: {result['size'] / MiB:,.0f} MiB in {result['seconds']:.1f} s "
            f"(first byte after {result['first_byte']:.2f} s), HTTP {result['status']}; "
            f"worker RSS {result['rss_before'] / MiB:.0f} MiB before, "
            f"peak {result['rss_peak'] / MiB:.0f} MiB"
        )
    print(
        f"\nexport.json: {download['size'] / MiB:,.0f} MiB in {download['seconds']:.1f} s "
        f"(first byte after {download['first_byte']:.2f} s, "
        f"{download['size'] / MiB / download['seconds']:.0f} MiB/s), HTTP {download['status']}"
    )
    if download["error"]:
        print(f"the download was cut: {download['error']} (see --timeout)")
    print(
        f"gunicorn worker RSS: {download['rss_before'] / MiB:.0f} MiB before the request, "
        f"peak {download['rss_peak'] / MiB:.0f} MiB during it "
        f"({download['samples']} samples)"
    )

    public_key = _public_key(env["LEDGER_SIGNING_KEY"])
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "ledger", "verify", str(target)]
    standalone = [sys.executable, str(SCRIPT), str(target), "--public-key", public_key]
    results = [
        ("flask ledger verify", _measure(flask, env)),
        ("static/ledger/verify_ledger.py", _measure(standalone, env)),
    ]
    print()
    print(f"{'verifier':32} {'time s':>8} {'exit':>5} {'peak RSS MiB':>13}")
    for name, result in results:
        print(
            f"{name:32} {result['seconds']:8.1f} {result['code']:5d} "
            f"{result['max_rss'] / MiB:13.0f}"
        )
    for name, result in results:
        print(f"\n{name}:")
        print("  " + "\n  ".join(result["output"].strip().splitlines()[-4:]))
    shutil.rmtree(env["INSTANCE_PATH"], ignore_errors=True)
    if args.keep:
        print(f"\nkept {target}")
    elif args.out:
        target.unlink(missing_ok=True)
    else:
        shutil.rmtree(target.parent, ignore_errors=True)


def _environment(run: dict) -> dict[str, str]:
    """Production configuration on the generated database, with the generator's keys."""
    instance = Path(run["instance_path"])
    return dict(
        os.environ,
        CONSULTATION_ENV="production",
        DATABASE_URL=run["database_url"],
        INSTANCE_PATH=tempfile.mkdtemp(prefix="consultation-bench-"),
        SECRET_KEY=(instance / "secret_key").read_text().strip(),
        LEDGER_SIGNING_KEY=(instance / "ledger_signing_key").read_text().strip(),
    )


def _public_key(seed: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed)).public_key()
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


class _Gunicorn:
    """gunicorn, one sync worker, on a free port for the duration of a `with` block."""

    def __init__(self, env: dict[str, str], timeout: int):
        self.env, self.timeout = env, timeout

    def __enter__(self) -> _Gunicorn:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--timeout"]
        command += [str(self.timeout), "--bind", f"127.0.0.1:{port}"]
        command += ["--log-level", "warning", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/api/v1/consultations", timeout=5):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            self.process.kill()
            sys.exit("gunicorn did not start")
        self.worker_pid = _children(self.process.pid)[0]
        return self

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in bytes; empty once it has gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if line.startswith(("VmRSS", "VmHWM")))
    return {name: int(value.split()[0]) * 1024 for name, value in fields.items()}


def _download(url: str, target: Path, worker: int) -> dict:
    """Stream `url` to `target` while sampling the worker's memory."""
    _reset_peak(worker)
    before = _memory(worker)["VmRSS"]
    samples: list[int] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            if rss := _memory(worker).get("VmRSS"):
                samples.append(rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    first_byte, size, error = None, 0, None
    with urllib.request.urlopen(url, timeout=600) as response, target.open("wb") as out:
        status = response.status
        try:
            while piece := response.read(PIECE):
                first_byte = first_byte or time.perf_counter() - start
                out.write(piece)
                size += len(piece)
        except (http.client.HTTPException, OSError) as exc:  # e.g. the worker killed
            error = repr(exc)
    seconds = time.perf_counter() - start
    peak = max(samples + [_memory(worker).get("VmHWM", 0)])
    done.set()
    sampler.join()
    return {
        "status": status,
        "size": size,
        "seconds": seconds,
        "first_byte": first_byte or seconds,
        "rss_before": before,
        "rss_peak": peak,
        "samples": len(samples),
        "error": error,
    }


def _reset_peak(pid: int) -> None:
    """Start the kernel's high-water mark (VmHWM) again from the current RSS, so that each
    download's peak is its own (Linux: `5` in clear_refs); left as is where refused."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def _measure(command: list[str], env: dict[str, str]) -> dict:
    """Run `command`; its wall time, exit code, peak RSS (os.wait4) and output."""
    with tempfile.TemporaryFile("w+") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    return {
        "seconds": seconds,
        "code": process.returncode,
        "max_rss": usage.ru_maxrss * 1024,  # kilobytes on Linux
        "output": text,
    }


if __name__ == "__main__":
    main()
