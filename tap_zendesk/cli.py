"""The command line: every failure a user can cause ends in one line and exit code 1.

The SDK answers a missing config file, a setting of the wrong type or a bad `TAP_ZENDESK_*`
variable with a traceback, and a failed config validation with a dump of the whole config
schema (8 KB under Meltano, whose `meltano config test` shows only the last line). Here each
of them is one line naming the file or setting and what is wrong. Anything else, a real bug,
still reaches the SDK's excepthook and shows its traceback.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from singer_sdk.configuration._dict_config import parse_environment_config
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.plugin_base import SingerCommand

if TYPE_CHECKING:
    from collections.abc import Sequence

# What to do about a bad input file, by kind.
_FIX = {
    "config": "fix it",
    "state": "fix or delete it (the streams then start from start_date)",
    "catalog": "fix it, or write a new one with --discover",
}
# The SDK's schema errors end in " in config['key']"; the setting goes first instead.
_SCHEMA_ERROR = re.compile(r"^(?P<message>.*) in config\[(?P<path>.+)\]$", re.DOTALL)


class UserInputError(Exception):
    """A config, state or catalog input the tap cannot use; the message is the one line."""


def read_json_object(path: str, what: str) -> dict[str, Any]:
    """The JSON object in the `what` file at `path`.

    Raises:
        UserInputError: when the file cannot be read or does not hold a JSON object.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        problem = "does not exist"
    except IsADirectoryError:
        problem = "is a directory"
    except PermissionError:
        problem = "cannot be read (permission denied)"
    except UnicodeDecodeError:
        problem = "is not UTF-8 text"
    except OSError as exc:
        problem = f"cannot be read ({exc.strerror or type(exc).__name__})"
    else:
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = f"is not valid JSON ({exc.msg} at line {exc.lineno})"
        else:
            if isinstance(parsed, dict):
                return parsed
            problem = f"is a JSON {type(parsed).__name__}, not an object"
    msg = f"The {what} file {path} {problem}: {_FIX[what]}"
    raise UserInputError(msg)


def read_config_files(paths: Sequence[str]) -> tuple[dict[str, Any], bool]:
    """`--config` values: files merged in order, and whether `ENV` asks for variables too."""
    config: dict[str, Any] = {}
    for path in paths:
        if path != "ENV":
            config |= read_json_object(path, "config")
    return config, "ENV" in paths


def environment_config(schema: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Settings from `<prefix><SETTING>` variables, as the SDK parses them.

    Raises:
        UserInputError: naming the variable whose value does not parse as its setting's type.
    """
    try:
        return parse_environment_config(schema, prefix)
    except ValueError:
        pass
    # The SDK does not say which variable failed: find it one setting at a time.
    for name, spec in schema.get("properties", {}).items():
        try:
            parse_environment_config({"properties": {name: spec}}, prefix)
        except ValueError:
            kind = spec.get("type")
            kind = next((t for t in kind if t != "null"), kind) if isinstance(kind, list) else kind
            msg = (
                f"Invalid config: environment variable {prefix}{name.upper()} is not "
                f"a valid {kind or 'value'}"
            )
            raise UserInputError(msg) from None
    raise AssertionError  # pragma: no cover - the whole parse failed, so one setting does


def config_error_line(errors: Sequence[str]) -> str:
    """One line for all config validation errors, each led by the setting it is about."""
    lines = []
    for error in errors:
        match = _SCHEMA_ERROR.match(error)
        if match:
            keys = [a or b for a, b in re.findall(r"'([^']*)'|(\d+)", match["path"])]
            error = f"{'.'.join(keys)}: {match['message']}"  # noqa: PLW2901
        lines.append(error)
    return "Invalid config: " + "; ".join(lines)


class ZendeskCommand(SingerCommand):
    """The SDK's command, with user-caused failures reported in one line."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command without the SDK's handler, which logs the whole config schema."""
        logging.captureWarnings(capture=True)
        warnings.filterwarnings("once", category=DeprecationWarning)
        sys.excepthook = self.excepthook
        return click.Command.invoke(self, ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command; a config, state or catalog the tap cannot use is one line."""
        try:
            return super().main(*args, **kwargs)
        except ConfigValidationError as exc:
            self._exit(config_error_line(exc.errors or [str(exc)]))
        except UserInputError as exc:
            self._exit(str(exc))

    def _exit(self, line: str) -> NoReturn:
        self.logger.error("%s", line)
        sys.exit(1)


def one_line_command(command: click.Command, logger: logging.Logger) -> ZendeskCommand:
    """`command` (the SDK's) rebuilt as a `ZendeskCommand`.

    `--state` and `--catalog` become plain paths, read by `read_json_object`, so a missing
    file is one line rather than click's usage error.
    """
    for param in command.params:
        if param.name in {"state", "catalog"}:
            param.type = click.STRING
    return ZendeskCommand(
        name=command.name,
        callback=command.callback,
        params=command.params,
        help=command.help,
        context_settings=command.context_settings,
        logger=logger,
    )
