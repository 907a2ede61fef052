"""Load-test the public pages and voting against gunicorn, with wrk.

    .venv/bin/python bench/generate.py [--database-url URL]      # once: RN×10 data
    .venv/bin/python bench/load.py [--run bench/out/run.json] [--workers 4] [--threads 2]
                                   [--duration 15] [--connections 32] [--only page,list,vote]

Starts gunicorn on the database that `generate.py` filled (production configuration, no
access log, no per-address vote limit: wrk sends every participant from one address), warms it
up, then runs wrk (Debian package `wrk`) against:

- the consultation page (40 articles with their counts);
- the contributions list, page 1 and page 400, in the `recent`, `popular` and `random`
  orderings (page 400 is reached by following 399 `next_cursor`s of the API);
- votes: `POST /api/v1/articles/{id}/vote` with the generated participants' tokens, random
  article and opinion (new votes and changes of opinion), then the same on contributions.

Prints requests per second, latency percentiles and non-2xx answers per scenario, then runs
`flask participation recount` to check that the counters still match the votes exactly.
Nothing is asserted: the figures are for a person to read (targets in bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOTE_SCRIPT = """
-- One vote per request: a random participant, target and opinion.
local tokens, targets = {}, {}
local opinions = {"agree", "mixed", "disagree"}
for line in io.lines("%(tokens)s") do tokens[#tokens + 1] = line end
for line in io.lines("%(targets)s") do targets[#targets + 1] = line end
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args) math.randomseed(os.time() + seed * 7919) end
request = function()
  local token = tokens[math.random(#tokens)]
  local path = string.format("%(path)s", targets[math.random(#targets)])
  local body = '{"value": "' .. opinions[math.random(3)] .. '"}'
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", type=Path, default=ROOT / "bench/out/run.json")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", default="page,list,vote")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    run = json.loads(args.run.read_text())
    wanted = set(args.only.split(","))

    with _gunicorn(run, args.workers, args.threads) as base:
        slug = run["slug"]
        print(f"gunicorn: {args.workers} workers × {args.threads} threads on {_label(run)}")
        print(f"wrk: {args.connections} connections, {args.duration} s per scenario\n")
        results = []
        if "page" in wanted:
            results.append(_wrk(args, "consultation page", f"{base}/consultations/{slug}"))
        if "list" in wanted:
            for sort in ("recent", "popular", "random"):
                first, far = _list_urls(base, slug, sort, pages=400)
                results.append(_wrk(args, f"contributions {sort}, page 1", first))
                results.append(_wrk(args, f"contributions {sort}, page 400", far))
        if "vote" in wanted:
            results.append(_wrk_votes(args, run, base, "article votes", "/api/v1/articles/%s/vote"))
            results.append(
                _wrk_votes(args, run, base, "contribution votes", "/api/v1/contributions/%s/vote")
            )
    _print_table(results)
    if "vote" in wanted:
        _recount(run["database_url"])


class _gunicorn:
    """gunicorn serving the app on a free port for the duration of a `with` block."""

    def __init__(self, run: dict, workers: int, threads: int):
        self.database_url, self.workers, self.threads = run["database_url"], workers, threads
        # The generator's keys, so that votes cast during the run get the same pseudonyms and
        # checkpoints the same signature as the generated record.
        keys = Path(run.get("instance_path") or "/nonexistent")
        self.keys = {
            name.upper(): (keys / name).read_text().strip()
            for name in ("secret_key", "ledger_signing_key")
            if (keys / name).exists()
        }

    def __enter__(self) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.instance = tempfile.mkdtemp(prefix="consultation-bench-")
        env = dict(
            os.environ,
            CONSULTATION_ENV="production",
            DATABASE_URL=self.database_url,
            INSTANCE_PATH=self.instance,
            # wrk sends every synthetic participant's votes from one address: the per-address
            # limit would refuse them; the per-account limits stay on (config.py). The same
            # for the API's reads: the list pages are walked by cursor, 400 pages per order.
            # Without REDIS_URL in the environment each worker counts the per-account limits
            # alone, so they are --workers times what config.py says; with it, shared.
            VOTE_LIMITS_PER_ADDRESS="",
            API_READ_LIMITS_PER_ADDRESS="",
        )
        env |= {"SECRET_KEY": secrets.token_hex(32)} | self.keys
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers)]
        command += ["--threads", str(self.threads), "--bind", f"127.0.0.1:{port}"]
        command += ["--log-level", "warning", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/api/v1/consultations", timeout=5):
                    return base
            except OSError:
                time.sleep(0.3)
        self.process.kill()
        sys.exit("gunicorn did not start")

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.instance, ignore_errors=True)


def _list_urls(base: str, slug: str, sort: str, pages: int) -> tuple[str, str]:
    """The web addresses of page 1 and page `pages` of the list (cursor walked via the API)."""
    cursor, seed = None, 123_456_789
    for _ in range(pages - 1):
        url = f"{base}/api/v1/consultations/{slug}/contributions?sort={sort}&seed={seed}"
        if cursor:
            url += f"&cursor={cursor}"
        with urllib.request.urlopen(url) as response:
            cursor = json.load(response)["next_cursor"]
    page = f"{base}/consultations/{slug}/contributions?ordre={sort}"
    return page, f"{page}&suite={cursor}"


def _wrk(args, name: str, url: str, script: Path | None = None) -> dict:
    if script is None:
        for _ in range(20):  # warm up every worker
            urllib.request.urlopen(url).close()
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    command += ["--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    return {"name": name, **_parse_wrk(output)}


def _wrk_votes(args, run: dict, base: str, name: str, path: str) -> dict:
    key = "article_ids" if "articles" in path else "contribution_ids"
    with tempfile.TemporaryDirectory() as folder:
        targets = Path(folder, "targets.txt")
        targets.write_text("\n".join(str(i) for i in run[key]) + "\n")
        script = Path(folder, "vote.lua")
        script.write_text(
            VOTE_SCRIPT
            % {"tokens": Path(run["tokens_file"]).resolve(), "targets": targets, "path": path}
        )
        return _wrk(args, name, base + "/", script)


def _parse_wrk(output: str) -> dict:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p90": latency("90"),
        "p99": latency("99"),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": errors.group(1).strip() if errors else "",
    }


def _print_table(results: list[dict]) -> None:
    print(f"{'scenario':34} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for r in results:
        print(
            f"{r['name']:34} {r['rps']:8.0f} {r['p50']:8.1f} {r['p90']:8.1f} {r['p99']:8.1f}"
            f" {r['non_2xx']:8d}" + (f"  socket errors: {r['errors']}" if r["errors"] else "")
        )


def _recount(database_url: str) -> None:
    env = dict(os.environ, CONSULTATION_ENV="development", DATABASE_URL=database_url)
    env["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="consultation-bench-")
    print("\nflask participation recount:")
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "participation", "recount"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _label(run: dict) -> str:
    return "PostgreSQL" if run["database_url"].startswith("postgres") else "SQLite"


if __name__ == "__main__":
    main()
