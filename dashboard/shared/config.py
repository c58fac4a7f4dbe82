"""Where the app's settings come from, and what zero-config means.

Order: ``st.secrets`` (``.streamlit/secrets.toml``, hosted), then the environment,
then ``.env`` (python-dotenv). With no ``OAUTH2_CLIENT_ID`` anywhere the app runs
on its embedded sandbox. Read once per process: the same for every visitor.
"""

from __future__ import annotations

import os
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bucket_client import BucketSettings
from bucket_client.settings import ENV_NAMES

# the project folder, beside app.py: its .env, .streamlit/secrets.toml and .bucket-data/
# (dashboard/shared/config.py is two folders down; one up was dashboard/, where the data
# folder had ended up, unlike what the README says)
ROOT = Path(__file__).resolve().parents[2]
# read beside the Bucket settings (ENV_NAMES); a name left out here is never read at all
# (BUCKET_PHONE_URL once was: the classroom command set it, and links named localhost)
EXTRA_NAMES = (
    "COOKIE_SECRET",
    "BUCKET_DATA_DIR",
    "BUCKET_SANDBOX",
    "REDIS_URL",
    "BUCKET_PHONE_URL",
    "BUCKET_PUBLIC_URL",
)


@dataclass(frozen=True)
class AppConfig:
    """Settings of this app instance. ``sandbox`` means the embedded zero-config Bucket."""

    sandbox: bool
    settings: BucketSettings
    data_dir: Path
    cookie_secret: str = field(repr=False)
    problems: tuple[str, ...] = ()
    source: str = "defaults"
    redis_url: str | None = field(default=None, repr=False)  # may hold a password
    # the address phones open a link at, when it is not the one the person's browser uses
    # (the classroom set-up: the laptop at https://localhost, phones at its network address)
    phone_url: str | None = None
    # the app's address as people's browsers reach it, prefix and all, when the app cannot
    # see it (Streamlit's hosted service frames it under /~/+/ and strips that)
    public_url: str | None = None

    @property
    def where(self) -> str:
        return "Local sandbox" if self.sandbox else self.settings.api_url


def _secrets_files() -> list[Path]:
    return [Path.home() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml"]


def read_sources(environ=None, secret_files=None) -> tuple[dict, str]:
    """Merge the sources (later wins): ``.env`` < environment < ``st.secrets`` files."""
    from dotenv import dotenv_values

    merged: dict[str, str] = {}
    source = "defaults"
    env_file = ROOT / ".env"
    if env_file.exists():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        source = ".env"
    environ = os.environ if environ is None else environ
    names = list(ENV_NAMES) + list(EXTRA_NAMES)
    found = {k: environ[k] for k in names if environ.get(k)}
    if found:
        merged.update(found)
        source = "environment"
    for path in secret_files if secret_files is not None else _secrets_files():
        if path.exists():
            try:
                data = tomllib.loads(path.read_text("utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                merged["__secrets_error__"] = f"{path}: {error}"
                continue
            merged.update({k: str(v) for k, v in data.items() if k in names and v != ""})
            source = "st.secrets"
    return merged, source


def load_config(environ=None, secret_files=None) -> AppConfig:
    """Build the config; problems are collected (to show on the page), never raised."""
    values, source = read_sources(environ, secret_files)
    data_dir = Path(values.get("BUCKET_DATA_DIR") or ROOT / ".bucket-data")
    problems: list[str] = []
    if "__secrets_error__" in values:
        problems.append(
            "secrets.toml cannot be read: "
            + values["__secrets_error__"]
            + '. Fix the TOML syntax (key = "value").'
        )
    forced = values.get("BUCKET_SANDBOX", "").strip().lower()
    sandbox = forced in ("1", "true", "yes") or (
        not values.get("OAUTH2_CLIENT_ID") and forced not in ("0", "false", "no")
    )
    settings = BucketSettings.from_mapping(values)
    if not sandbox:
        problems += settings.problems(need_redirect=True)
        redirect = settings.redirect_url
        if redirect and not redirect.rstrip("/").endswith("/auth/callback"):
            problems.append(
                f"OAUTH2_REDIRECT_URL must end with /auth/callback (this app's callback route), got {redirect!r}."
            )
    try:
        private_folder(data_dir)
    except OSError as error:
        problems.append(
            f"The data folder {data_dir} cannot be made private to this app's user "
            f"({error.strerror}): set BUCKET_DATA_DIR to a folder this user owns."
        )
    secret = values.get("COOKIE_SECRET") or _local_secret(data_dir)
    redis_url = values.get("REDIS_URL", "").strip() or None
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        problems.append(
            "REDIS_URL must start with redis://, rediss:// or unix:// (see docs/hosting.md)."
        )
        redis_url = None
    if redis_url and not sandbox and not _has_password(redis_url):
        problems.append(
            "REDIS_URL has no password: anyone who reaches that Redis could read and change "
            "the replicas' shared state. Give Redis a password (requirepass, as "
            "compose.yaml starts it) and put it in the URL: redis://:PASSWORD@host:6379/0."
        )
    if redis_url and not values.get("COOKIE_SECRET"):
        problems.append(
            "REDIS_URL is set but COOKIE_SECRET is not: replicas must share one cookie secret"
            " (each would make its own and none could read the others' sign-ins)."
        )
    phone_url = values.get("BUCKET_PHONE_URL", "").strip().rstrip("/") or None
    public_url = values.get("BUCKET_PUBLIC_URL", "").strip().rstrip("/") or None
    if public_url and not re.fullmatch(r"https?://[^/?#\s]+(/[A-Za-z0-9._~+\-]+)*", public_url):
        problems.append(
            "BUCKET_PUBLIC_URL must be the app's address, like https://your-app.streamlit.app/~/+ "
            f"(http or https, a host, a path of plain parts, nothing after), got {public_url!r}."
        )
        public_url = None
    return AppConfig(
        sandbox,
        settings,
        data_dir,
        secret,
        tuple(problems),
        source,
        redis_url,
        phone_url,
        public_url,
    )


def private_folder(path: Path) -> None:
    """The data folder exists and is this user's alone (0700), on every start: one made
    earlier, by hand or by an older version, kept 0755 and showed every file name."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)


def _has_password(url: str) -> bool:
    """A non-empty password, in the URL's user part or its ``password=`` query."""
    parts = urlsplit(url)
    return bool(parts.password) or any(parse_qs(parts.query or "").get("password", []))


def _local_secret(data_dir: Path) -> str:
    """A cookie-signing secret generated once per install and kept in the data folder."""
    path = data_dir / "cookie-secret"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        path.write_text(value)
        path.chmod(0o600)
        return value


_CONFIG: AppConfig | None = None


def app_config() -> AppConfig:
    """The process's config (the same for every visitor, so a module-level cache is right)."""
    global _CONFIG
    if _CONFIG is None:
        _CONFIG = load_config()
    return _CONFIG


def reset_config() -> None:
    """Forget the cached config (tests change the environment)."""
    global _CONFIG
    _CONFIG = None
