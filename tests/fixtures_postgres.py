"""A throwaway PostgreSQL cluster on loopback: Debian's server binaries, a temporary data
folder, an unprivileged owner when we run as root, a password, and nothing left behind."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

USER = "narrator"
# Test clusters need no crash safety: without fsync, creating a database per test
# costs milliseconds. The benchmark keeps the durable defaults.
FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresMissing(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def server_bindir() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: the newest /usr/lib/postgresql/<v>/bin,
    else what ``pg_config --bindir`` names."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    if shutil.which("pg_config"):
        bindir = Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
        if (bindir / "initdb").is_file():
            return bindir
    raise PostgresMissing(
        "the PostgreSQL server binaries (initdb, pg_ctl) are not installed; ./scripts/test "
        "installs them (Debian: apt-get install postgresql)"
    )


class PostgresCluster:
    """A cluster started by :meth:`start` and removed by :meth:`stop`.

    ``settings`` are server settings (``-c name=value``) added at start.
    """

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.bindir = server_bindir()
        self.settings = settings or {}
        self.password = secrets.token_urlsafe(16)
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="narrator-pg-"))
        self._owner: dict[str, Any] = {}
        if os.geteuid() == 0:  # the server refuses to run as root
            account = _unprivileged_account()
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._owner = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}

    def start(self) -> PostgresCluster:
        data, password_file = self.root / "data", self.root / "password"
        password_file.write_text(self.password)
        password_file.chmod(0o600)
        if self._owner:
            os.chown(password_file, self._owner["user"], self._owner["group"])
        self._run_as_owner([
            str(self.bindir / "initdb"), "-D", str(data), "-U", USER, "-E", "UTF8",
            "--pwfile", str(password_file), "--auth-local=trust", "--auth-host=scram-sha-256",
        ])  # fmt: skip
        options = [f"-p {self.port}", f"-k {self.root}", "-c listen_addresses=127.0.0.1"]
        options += [f"-c {name}={value}" for name, value in self.settings.items()]
        self._run_as_owner([
            str(self.bindir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data),
            "-l", str(self.root / "server.log"), "-o", " ".join(options),
        ])  # fmt: skip
        return self

    def stop(self) -> None:
        if (self.root / "data" / "postmaster.pid").exists():
            self._run_as_owner(
                [str(self.bindir / "pg_ctl"), "stop", "-D", str(self.root / "data"), "-m", "fast"]
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", *, driver: str = "postgresql") -> str:
        """The URL of ``database``, password included (``driver``: e.g. postgresql+asyncpg)."""
        return f"{driver}://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create the empty database ``name``; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _run_as_owner(self, args: list[str]) -> None:
        done = subprocess.run(args, capture_output=True, text=True, cwd=self.root, **self._owner)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}\n{tail}")


def _unprivileged_account() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a 'postgres' nor a 'nobody' user exists")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
