"""`.env` in the working directory, read by the CLI and local runs (the seed systems kept
their settings there). Deployed functions never read it: only the CLI calls `load_env_file`,
and a variable the environment already sets wins over the file."""

from __future__ import annotations

from pathlib import Path

from dotenv import load_dotenv


def env_file() -> Path | None:
    """`./.env` if there is one."""
    path = Path.cwd() / ".env"
    return path if path.is_file() else None


def load_env_file() -> Path | None:
    """Set the variables of `./.env` the environment does not set; the file read, if any."""
    path = env_file()
    if path is not None:
        load_dotenv(path, override=False)
    return path


def describe_env_file() -> str:
    """One line for `--help`: which file was read."""
    path = env_file()
    if path is None:
        return f"Settings: the environment only (no .env in {Path.cwd()}; see .env.example)."
    return f"Settings: the environment, then {path} for what it does not set."
