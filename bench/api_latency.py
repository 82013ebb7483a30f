"""Benchmark: API latency under 50 concurrent clients, with a broadcast log of 1,000,000 plays.

Run: .venv/bin/python bench/api_latency.py [--quick] [--db sqlite|postgresql|both]
     [--rows N] [--clients 50] [--requests 20]

For each database it seeds one commune (10 hamlets, 30 nodes) and N play rows (bulk inserts of
20,000 rows), serves the controller app with waitress (8 threads) in a child process, and
lets ``--clients`` threads each send ``--requests`` requests to ``GET /api/v1/nodes`` and then
to ``GET /api/v1/plays`` (the newest page of the log, 1,000 rows by default). Prints
``name: value unit`` lines: median and p99 per endpoint and database, and the seeding time.
PostgreSQL comes from ``TT_TEST_PG_URL`` (default: the local server as postgres); a throw-away
database is created and dropped.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from controller.app import create_app
from controller.bootstrap import ensure_site
from controller.config import Config
from controller.db.models import Node, PlayEvent, Zone
from controller.users import create_token, create_user

PG_ADMIN_URL = os.environ.get(
    "TT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
CHUNK = 20_000
TYPES = ("started", "finished")


def make_config(root: Path, url: str, port: int) -> Config:
    cfg = Config()
    cfg.base_dir = root
    cfg.database.url = url
    cfg.server.secret_key_file = str(root / "secret_key")
    cfg.signing.private_key = str(root / "signing_key")
    cfg.storage.media_dir = str(root / "media")
    cfg.server.port = port
    cfg.mqtt.port = 1  # no broker: the API under test does not need one
    return cfg


def play_rows(site: str, nodes: list[tuple[str, str]], count: int) -> Iterator[list[dict]]:
    """``count`` plays in chunks: one started + finished pair per node and item, 10 min apart."""
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    chunk: list[dict] = []
    for i in range(count):
        node, zone = nodes[(i // 2) % len(nodes)]
        slot = i // (2 * len(nodes))
        chunk.append(
            {
                "site_id": site,
                "node_id": node,
                "zone_id": zone,
                "item_id": f"p{slot}",
                "type": TYPES[i % 2],
                "at": t0 + timedelta(minutes=10 * slot, seconds=i % 2 * 60),
                "title": f"Bản tin {slot}",
                "category": "announcement",
                "duration_ms": 60000,
                "detail": {},
                "received_at": t0,
            }  # fmt: skip
        )
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def seed(cfg: Config, rows: int) -> tuple[str, float]:
    """Commune, admin token and ``rows`` plays; returns (token, seconds spent on the plays)."""
    app = create_app(cfg)
    db = app.extensions["tt.db"]
    ensure_site(db, cfg)
    site = cfg.site.id
    nodes = [(f"thon-{z}-{n}", f"thon-{z}") for z in range(1, 11) for n in "abc"]
    with db.session() as s:
        s.add_all(Zone(id=f"thon-{z}", site_id=site, name=f"Thôn {z}") for z in range(1, 11))
        s.flush()
        s.add_all(Node(id=n, site_id=site, zone_id=z, name=n) for n, z in nodes)
        create_user(s, "bench", "admin", "mat-khau-bench-123", site)
    with db.session() as s:
        token = create_token(s, "bench")
    started = time.perf_counter()
    with db.session() as s:
        for chunk in play_rows(site, nodes, rows):
            s.execute(insert(PlayEvent), chunk)
            s.commit()
        if db.engine.dialect.name == "postgresql":
            # what autovacuum does a minute after a bulk load: without statistics the planner
            # sorts the whole table for each page instead of reading the (site_id, at) index
            s.execute(text("ANALYZE play_events"))
            s.commit()
    seconds = time.perf_counter() - started
    db.dispose()
    return token, seconds


def _serve(cfg: Config) -> None:
    from waitress import serve

    serve(create_app(cfg), host="127.0.0.1", port=cfg.server.port, threads=8, _quiet=True)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(cfg: Config) -> Iterator[str]:
    process = multiprocessing.get_context("spawn").Process(target=_serve, args=(cfg,))
    process.start()
    base = f"http://127.0.0.1:{cfg.server.port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{base}/healthz", timeout=1)
            break
        except requests.RequestException:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the API server did not start") from None
            time.sleep(0.05)  # poll interval while the child process imports and binds
    try:
        yield base
    finally:
        process.terminate()
        process.join(10)


def measure(url: str, token: str, clients: int, per_client: int) -> list[float]:
    """Latencies (ms) of ``clients`` threads each sending ``per_client`` GETs, all at once."""

    def one_client(_: int) -> list[float]:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        out = []
        for _ in range(per_client):
            t = time.perf_counter()
            response = session.get(url, timeout=120)
            out.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.text[:200]
        return out

    with ThreadPoolExecutor(clients) as pool:
        return [ms for batch in pool.map(one_client, range(clients)) for ms in batch]


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


@contextmanager
def database(kind: str, root: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{root / 'bench.db'}"
        return
    name = f"tt_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(kind: str, rows: int, clients: int, per_client: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        cfg = make_config(Path(tmp), url, _free_port())
        token, seeding = seed(cfg, rows)
        print(f"api.{kind}.seed_plays: {rows / seeding:.0f} rows/s")
        with served(cfg) as base:
            for name, path in (("nodes", "/api/v1/nodes"), ("plays", "/api/v1/plays")):
                measure(base + path, token, 2, 2)  # warm up caches and pools
                ms = measure(base + path, token, clients, per_client)
                print(f"api.{kind}.{name}.p50: {statistics.median(ms):.1f} ms")
                print(f"api.{kind}.{name}.p99: {p99(ms):.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="API latency under concurrent clients")
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 5 requests each")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=None, help="per client")
    args = parser.parse_args(argv)
    rows = args.rows or (20_000 if args.quick else 1_000_000)
    per_client = args.requests or (5 if args.quick else 20)
    print(f"api.rows: {rows} rows")
    print(f"api.clients: {args.clients} clients")
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        run(kind, rows, args.clients, per_client)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
