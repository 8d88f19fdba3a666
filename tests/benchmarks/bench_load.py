"""Throughput: 20 concurrent clients against gunicorn with 2 workers, production settings.

The benchmark database (the demo data plus 1,000 families) is served by gunicorn (2 sync
workers, as in production but with 2 instead of 3) on loopback, with DEBUG off and the
production settings unchanged; the client acts as the TLS-terminating proxy would
(`X-Forwarded-Proto: https`, SECURE_PROXY_SSL_HEADER), so the HTTPS redirect, HSTS, secure
cookies and CSRF's origin check all run as in production. Each client holds a real
session of the demo coach, verified with a TOTP device (django-otp loads it per request,
as in production); the log-in itself is not timed.

Mixed load: 70 % family pages, 30 % contact posts (each with a note of its own), bounded by a
number of requests and a time limit. Then `/healthz` (which asks PostgreSQL and Redis) with
the same client and concurrency, in the same run: the framework's floor. The server gets a
Redis as production has one (REDIS_URL, or the local one on its default port in a database
of its own); without an answering Redis, /healthz asks PostgreSQL only and the summary says
so. Every contact the server answered with a redirect is read back from the database.

Targets (issue 15): at least 80 requests/s and at least a third of /healthz's rate, p95 under
300 ms, no errors, every written contact read back.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from tests.benchmarks.common import QUICK

Report = Callable[..., None]
ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8103"))
CLIENTS = 20
WORKERS = 2
REQUESTS = 400 if QUICK else 3000
HEALTHZ_REQUESTS = 400 if QUICK else 3000
TIME_LIMIT = 30 if QUICK else 90  # seconds per phase, whatever the number of requests
POST_SHARE = 0.3


def _database_url() -> str:
    """The throw-away benchmark database as a URL gunicorn's settings read."""
    from django.db import connection

    params = connection.settings_dict
    user = urllib.parse.quote(params.get("USER") or "")
    password = params.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}@" if password else f"{user}@"
    host = f"{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}"
    return f"postgres://{auth}{host}/{params['NAME']}"


def _sessions(n: int) -> list[str]:
    """n verified sessions of the demo coach (password and TOTP already passed)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username="coach-zuidoost")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    )
    keys = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        key = client.cookies["sessionid"].value
        store = SessionStore(session_key=key)
        store["otp_device_id"] = device.persistent_id  # what django_otp.login() stores
        store.save()
        keys.append(key)
    return keys


class Load:
    """A bounded run of `requests` requests from CLIENTS threads, each its own connection."""

    def __init__(self, requests: int, make: Callable[[random.Random, int], tuple]) -> None:
        self.requests = requests
        self.make = make
        self.lock = threading.Lock()
        self.issued = 0
        self.timings: list[float] = []
        self.errors: list[str] = []
        self.posted: list[str] = []

    def _next(self) -> int | None:
        with self.lock:
            if self.issued >= self.requests or time.perf_counter() > self.deadline:
                return None
            self.issued += 1
            return self.issued

    def _client(self, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - load mix, not security
        while (number := self._next()) is not None:
            method, path, headers, body, expect, note = self.make(rng, seed)
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == expect
            except OSError as error:
                ok, response = False, None
                self.errors.append(f"{method} {path}: {error}")
            elapsed = time.perf_counter() - start
            with self.lock:
                self.timings.append(elapsed)
                if not ok and response is not None:
                    self.errors.append(f"{method} {path}: {response.status}")
                elif ok and note:
                    self.posted.append(note)
            del number

    def run(self) -> float:
        self.deadline = time.perf_counter() + TIME_LIMIT
        threads = [threading.Thread(target=self._client, args=(i,)) for i in range(CLIENTS)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start


LOCAL_REDIS = "redis://127.0.0.1:6379/14"


def _redis_url() -> str:
    """The Redis the server's /healthz asks: REDIS_URL, else a local one if it answers."""
    import redis

    url = os.environ.get("REDIS_URL") or LOCAL_REDIS
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return ""
    return url


def _workers_cpu(server: subprocess.Popen) -> float | None:  # type: ignore[type-arg]
    """CPU seconds (user and system) the server's worker processes have used, read from
    Linux's /proc; None where there is no /proc."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if not children.exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in children.read_text().split():
        try:
            # Fields after the command's closing parenthesis: utime and stime are the 12th
            # and 13th (man 5 proc, fields 14 and 15 of the whole line).
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _wait_for_server(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": f"{HOST}:{PORT}"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz")


def main(report: Report) -> None:
    from django.conf import settings
    from django.utils import timezone

    from cases.models import Contact, Family, FamilyStatus

    env = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": _database_url(),
        # The same keys as the process that made the sessions and the access log's chain.
        "SECRET_KEY": settings.SECRET_KEY,
        "FK_ACCESS_LOG_KEY": settings.ACCESS_LOG_CHAIN_KEY,
        "DJANGO_SETTINGS_MODULE": "familiekracht.settings",
        # As in production: Celery's broker, and /healthz asks it. The contact post and the
        # family page send it nothing.
        "REDIS_URL": _redis_url(),
    }
    # Production serves static files from collectstatic's manifest (whitenoise).
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    families = list(
        Family.objects.filter(coach__username="coach-zuidoost", status=FamilyStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    sessions = _sessions(CLIENTS)
    run_id = secrets.token_hex(4)
    csrf = secrets.token_hex(16)  # a 32-character secret: the cookie and the form's token
    today = timezone.localdate().isoformat()
    origin = f"https://{HOST}:{PORT}"

    def page_or_post(rng: random.Random, client: int) -> tuple:
        family = rng.choice(families)
        headers = {
            "Host": f"{HOST}:{PORT}",
            "X-Forwarded-Proto": "https",
            "Cookie": f"sessionid={sessions[client]}; csrftoken={csrf}",
        }
        if rng.random() >= POST_SHARE:
            return "GET", f"/families/{family}/", headers, None, 200, None
        note = f"belasting {run_id} {client}-{rng.getrandbits(48):x}"
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "date": today,
                "minutes": 30,
                "kind": "home_visit",
                "note": note,
            }
        )
        headers |= {"Origin": origin, "Content-Type": "application/x-www-form-urlencoded"}
        return "POST", f"/families/{family}/contacts/new/", headers, body, 302, note

    def healthz(rng: random.Random, client: int) -> tuple:
        return "GET", "/healthz", {"Host": f"{HOST}:{PORT}"}, None, 200, None

    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "familiekracht.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for_server(server)
        # Warm-up: every worker loads its templates and connections before the clock runs.
        warm = Load(CLIENTS * 4, page_or_post)
        warm.run()
        cpu_before = _workers_cpu(server)
        mixed = Load(REQUESTS, page_or_post)
        seconds = mixed.run()
        cpu_between = _workers_cpu(server)
        floor = Load(HEALTHZ_REQUESTS, healthz)
        floor_seconds = floor.run()
        cpu_after = _workers_cpu(server)
    finally:
        server.terminate()
        server.wait(timeout=30)

    rate = len(mixed.timings) / seconds
    floor_rate = len(floor.timings) / floor_seconds
    cuts = statistics.quantiles(mixed.timings, n=100)
    report(
        f"load: {CLIENTS} clients, 70 % family pages / 30 % contact posts",
        len(mixed.timings),
        "requests",
        f"bounded: {REQUESTS} requests or {TIME_LIMIT} s",
    )
    report("load: throughput", rate, "req/s", ">= 80 req/s")
    report("load: p50", statistics.median(mixed.timings) * 1000, "ms", "-")
    report("load: p95", cuts[94] * 1000, "ms", "< 300 ms")
    report("load: errors", len(mixed.errors), "errors", "0")
    for error in mixed.errors[:5]:
        print(f"    {error}")
    posted = set(mixed.posted) | set(warm.posted)
    stored = set(
        Contact.objects.filter(note__startswith=f"belasting {run_id} ").values_list(
            "note", flat=True
        )
    )
    report("load: contacts posted (answered 302)", len(posted), "contacts", "-")
    report("load: of those, read back from the database", len(posted & stored), "contacts", "all")
    asks = "PostgreSQL and Redis" if env["REDIS_URL"] else "PostgreSQL only: no Redis answered"
    report(f"load: /healthz ({asks}), same client", floor_rate, "req/s", "-")
    report("load: throughput / /healthz rate", rate / floor_rate, "x", ">= 0.33")
    report("load: /healthz errors", len(floor.errors), "errors", "0")
    if cpu_before is not None and cpu_between is not None and cpu_after is not None:
        # What the ratio is made of: the workers' own CPU per request (the client, PostgreSQL
        # and Redis share the machine's cores with them).
        mixed_cpu = (cpu_between - cpu_before) / len(mixed.timings) * 1000
        floor_cpu = (cpu_after - cpu_between) / len(floor.timings) * 1000
        report("load: workers' CPU per request, mixed load", mixed_cpu, "ms", "-")
        report("load: workers' CPU per request, /healthz", floor_cpu, "ms", "-")
