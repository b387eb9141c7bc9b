"""A throwaway PostgreSQL server for the pipeline tests, queried with the `psql` client.

The server runs from a temporary directory on a free port of 127.0.0.1, as the current user,
or as the unprivileged `postgres` user when the tests run as root (`initdb` refuses root).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shlex
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SKIP_VARIABLE = "TAP_ZENDESK_SKIP_POSTGRES"
SERVER_TOOLS = ("initdb", "pg_ctl", "postgres")
OWNER_WHEN_ROOT = "postgres"
SUPERUSER = "e2e"
HOST = "127.0.0.1"
SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
)
NOT_FOUND = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found via "
    "`pg_config --bindir`, /usr/lib/postgresql/*/bin or PATH. Install them (Debian/Ubuntu: "
    "`apt-get install postgresql postgresql-client`, as .ci/run does) or set "
    f"{SKIP_VARIABLE}=1 to skip the PostgreSQL pipeline tests."
)


def skip_requested() -> bool:
    """Whether the environment asks to skip the PostgreSQL tests."""
    return os.environ.get(SKIP_VARIABLE, "").strip().lower() in {"1", "true", "yes"}


def _major_version(bindir: Path) -> int:
    name = bindir.parent.name
    return int(name) if name.isdigit() else 0


def find_bindir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, or None."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            bindir = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
            ).stdout.strip()
            candidates.append(Path(bindir))
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=_major_version, reverse=True
    )
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for candidate in candidates:
        if all(os.access(candidate / tool, os.X_OK) for tool in SERVER_TOOLS):
            return candidate
    return None


def find_psql(bindir: Path) -> str:
    """The psql client next to the server binaries, else the one on PATH."""
    if os.access(bindir / "psql", os.X_OK):
        return str(bindir / "psql")
    if psql := shutil.which("psql"):
        return psql
    msg = "the PostgreSQL client `psql` was not found (Debian: apt-get install postgresql-client)"
    raise FileNotFoundError(msg)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _server_owner() -> pwd.struct_passwd | None:
    """The unprivileged user to run the server as when we are root (created if missing)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(OWNER_WHEN_ROOT)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             OWNER_WHEN_ROOT],
            check=True,
            capture_output=True,
        )  # fmt: skip
        return pwd.getpwnam(OWNER_WHEN_ROOT)


def _clean_environ() -> dict[str, str]:
    """The environment without libpq's PG* variables, so no host setting reaches the server."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PG")}


@dataclass
class PostgresServer:
    """A running throwaway server: connection details and a psql-based query helper."""

    bindir: Path
    psql_path: str
    root: Path
    port: int
    password: str
    owner: pwd.struct_passwd | None
    host: str = HOST
    user: str = SUPERUSER

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory."""
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        """The server log."""
        return self.root / "server.log"

    @classmethod
    def start(cls, bindir: Path) -> PostgresServer:
        """initdb a cluster in a new temporary directory and start it on a free port."""
        owner = _server_owner()
        root = Path(tempfile.mkdtemp(prefix="tap-zendesk-e2e-pg-"))
        server = cls(bindir, find_psql(bindir), root, 0, secrets.token_urlsafe(18), owner)
        try:
            server._init_cluster()
            server._start_on_free_port()
        except BaseException:
            server.stop()
            raise
        return server

    def _as_owner(self, command: list[str]) -> list[str]:
        if self.owner is None:
            return command
        if shutil.which("runuser"):
            return ["runuser", "-u", self.owner.pw_name, "--", *command]
        return ["su", "-s", "/bin/sh", "-c", shlex.join(command), self.owner.pw_name]

    def _server_command(self, command: list[str], timeout: float = 120) -> None:
        result = subprocess.run(
            self._as_owner(command),
            cwd=self.root,
            env=_clean_environ(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            log = self.log_file.read_text() if self.log_file.exists() else ""
            msg = (
                f"{Path(command[0]).name} failed ({result.returncode}):\n{result.stdout}"
                f"{result.stderr}\nserver log:\n{log[-3000:]}"
            )
            raise RuntimeError(msg)

    def _init_cluster(self) -> None:
        password_file = self.root / "pwfile"
        password_file.write_text(self.password)
        password_file.chmod(0o600)
        (self.root / "socket").mkdir()
        if self.owner is not None:
            for path in (self.root, password_file, self.root / "socket"):
                os.chown(path, self.owner.pw_uid, self.owner.pw_gid)
        try:
            self._server_command(
                [
                    str(self.bindir / "initdb"),
                    f"--pgdata={self.data_dir}",
                    f"--username={self.user}",
                    f"--pwfile={password_file}",
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--no-locale",
                    "--no-sync",
                ]
            )
        finally:
            password_file.unlink(missing_ok=True)

    def _start_on_free_port(self, attempts: int = 3) -> None:
        for attempt in range(attempts):
            self.port = free_port()
            options = (
                f"-c listen_addresses={self.host} -p {self.port} "
                f"-k {self.root / 'socket'} {SERVER_OPTIONS}"
            )
            try:
                self._server_command(
                    [
                        str(self.bindir / "pg_ctl"),
                        f"--pgdata={self.data_dir}",
                        f"--log={self.log_file}",
                        "--wait",
                        "--timeout=60",
                        f"--options={options}",
                        "start",
                    ]
                )
            except RuntimeError:
                if attempt == attempts - 1:
                    raise
            else:
                return

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its directory."""
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._server_command(
                    [
                        str(self.bindir / "pg_ctl"),
                        f"--pgdata={self.data_dir}",
                        "--mode=fast",
                        "--wait",
                        "stop",
                    ]
                )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- queries ----------------------------------------------------------------------------

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run `sql` with psql and return its unaligned, tuples-only output."""
        result = subprocess.run(
            [
                self.psql_path,
                "--no-psqlrc",
                "--quiet",
                "--tuples-only",
                "--no-align",
                "--set=ON_ERROR_STOP=1",
                f"--host={self.host}",
                f"--port={self.port}",
                f"--username={self.user}",
                f"--dbname={database}",
                f"--command={sql}",
            ],
            env={**_clean_environ(), "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "10"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            msg = f"psql failed ({result.returncode}) on {sql!r}:\n{result.stderr}"
            raise RuntimeError(msg)
        return result.stdout

    def rows(self, sql: str, database: str) -> list[dict[str, Any]]:
        """The rows of a SELECT, as JSON objects."""
        wrapped = f"SELECT coalesce(json_agg(q), '[]'::json) FROM ({sql}) AS q"
        return json.loads(self.psql(wrapped, database))

    def scalar(self, sql: str, database: str) -> Any:
        """The single value of a one-row, one-column SELECT."""
        [row] = self.rows(sql, database)
        [value] = row.values()
        return value

    def create_database(self, name: str) -> str:
        """Create an empty database and return its name."""
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def tables(self, database: str, schema: str) -> set[str]:
        """The tables of `schema`."""
        rows = self.rows(
            f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}'",
            database,
        )
        return {row["table_name"] for row in rows}

    def columns(self, database: str, schema: str, table: str) -> dict[str, str]:
        """Column name -> data type of `schema.table`."""
        rows = self.rows(
            "SELECT column_name, data_type FROM information_schema.columns "
            f"WHERE table_schema = '{schema}' AND table_name = '{table}'",
            database,
        )
        return {row["column_name"]: row["data_type"] for row in rows}

    def target_env(self, database: str, schema: str) -> dict[str, str]:
        """`TARGET_POSTGRES_*` variables that point target-postgres at `database.schema`."""
        return {
            "TARGET_POSTGRES_HOST": self.host,
            "TARGET_POSTGRES_PORT": str(self.port),
            "TARGET_POSTGRES_USER": self.user,
            "TARGET_POSTGRES_PASSWORD": self.password,
            "TARGET_POSTGRES_DATABASE": database,
            "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
        }
