"""A local Bucket: the same REST API and OAuth2/OIDC endpoints as the real service, on SQLite."""

from .app import create_app
from .config import SandboxConfig
from .server import SandboxServer, start_sandbox

__all__ = ["SandboxConfig", "SandboxServer", "create_app", "start_sandbox"]
