"""Real `partnership-hub` processes on 127.0.0.1 for the multi-process tests, and a small API client.

Each process runs ``python -m web.cli ...`` from the checkout with its own environment, writes what it
says to a log file, and is stopped as an operator would stop it (SIGTERM, or SIGINT for a process whose
help says Ctrl-C). Every wait is bounded and reports the end of the logs when it runs out.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REQUEST_TIMEOUT = 60.0
# A worker's pid at the end of each access-log line (web/server.py's access_log_format).
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) .* <(?P<pid>\d+)>$')


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self, characters: int = 3000) -> str:
        return f"--- {self.name} ---\n{self.output()[-characters:]}"

    def stop(self, how: signal.Signals = signal.SIGTERM, within: float = 45.0) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(how)
        try:
            return self.popen.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)
            raise AssertionError(f"{self.name} did not stop within {within:g} s of {how.name}\n{self.tail()}") from None

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=10)


def start(name: str, args: list[str], env: Mapping[str, str], logs: Path) -> Process:
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    popen = subprocess.Popen(
        [sys.executable, "-m", "web.cli", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return Process(name, popen, log)


def run_to_end(name: str, args: list[str], env: Mapping[str, str], logs: Path, within: float = 120.0) -> Process:
    """A command that does its work and exits (``init``, say); fails with its output unless it exits 0."""
    process = start(name, args, env, logs)
    try:
        code = process.popen.wait(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"{name} did not finish within {within:g} s\n{process.tail()}") from None
    assert code == 0, process.tail()
    return process


def serve(name: str, port: int, env: Mapping[str, str], logs: Path, *, workers: int = 2) -> Process:
    """``partnership-hub serve``: gunicorn with ``workers`` workers on ``port`` (wait with ``answering``)."""
    return start(name, ["serve", "--port", str(port), "--workers", str(workers)], env, logs)


def answering(port: int) -> bool:
    """Whether the server on ``port`` answers an API read."""
    try:
        status, _, _ = Api(port).call("GET", "/api/v1/bodies?per_page=1")
    except OSError:
        return False
    return status == 200


def wait_for(condition: Callable[[], bool], within: float, processes: list[Process], what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        for process in processes:
            if process.popen.poll() is not None:
                raise AssertionError(f"{process.name} exited ({process.popen.returncode}) waiting for {what}\n"
                                     f"{process.tail()}")  # fmt: skip
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {within:g} s for {what}\n" + "\n".join(p.tail() for p in processes))
        time.sleep(0.2)


def served_by(process: Process, method: str = "POST") -> dict[str, int]:
    """How many requests of ``method`` each worker (by pid) answered, from the access log."""
    counts: dict[str, int] = {}
    for line in process.output().splitlines():
        match = ACCESS_LINE.search(line)
        if match and match["method"] == method:
            counts[match["pid"]] = counts.get(match["pid"], 0) + 1
    return counts


def statuses(process: Process) -> list[int]:
    return [int(m["status"]) for line in process.output().splitlines() if (m := ACCESS_LINE.search(line))]


@dataclass
class Api:
    """One server's JSON API, a fresh connection per request (so requests spread over its workers)."""

    port: int
    token: str | None = None

    def call(
        self, method: str, path: str, body: Any = None, headers: Mapping[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        sent = {"Accept": "application/json", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            raw = response.read()
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()
        return response.status, answer_headers, json.loads(raw) if raw else None


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any
    server: int  # the port that answered
    attempts: int


@dataclass
class Writer:
    """Sends a write with an Idempotency-Key to each server in turn, retrying (the same key) after a lost
    connection or a 409 saying the first copy is still running, so a retry can never write twice."""

    servers: list[Api]
    attempts: int = 6
    log: list[str] = field(default_factory=list)

    def post(self, n: int, path: str, body: Any, *, if_match: int | None = None, key: str | None = None) -> Answer:
        key = key or uuid.uuid4().hex
        headers = {"Idempotency-Key": key}
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"'
        for attempt in range(1, self.attempts + 1):
            api = self.servers[(n + attempt - 1) % len(self.servers)]
            try:
                status, answer_headers, answer = api.call("POST", path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                self.log.append(f"{path} attempt {attempt} on {api.port}: {error!r}")
                time.sleep(0.2 * attempt)
                continue
            if status == 409 and "still being processed" in json.dumps(answer):
                self.log.append(f"{path} attempt {attempt} on {api.port}: still being processed")
                time.sleep(0.2 * attempt)
                continue
            return Answer(status, answer_headers, answer, api.port, attempt)
        raise AssertionError(f"{path}: no answer after {self.attempts} attempts: {self.log[-self.attempts :]}")
