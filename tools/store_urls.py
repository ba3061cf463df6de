"""TRACKER_STORE_URL and LOCK_STORE_URL turned into the keys Rasa 3.6 reads in endpoints.yml.

Rasa's SQLTrackerStore takes dialect/url/port/db/username/password (`url` is the host name)
and its RedisLockStore (here rasa_ext/lock_store.py's subclass) takes url/port/db/password,
so one URL per store is split into those keys. Only the connection keys of `tracker_store`
are replaced: its `type` (a subclass of SQLTrackerStore doing erasure and retention) and any
other setting stay as endpoints.yml has them. Unset, endpoints.yml is used as written
(SQLite at TRACKER_DB, in-memory lock).
ACTION_SERVER_URL (http://host:port/webhook) replaces the action endpoint's loopback address
where the action server runs elsewhere (a container, a pod).
"""

from typing import Any, Dict
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

POSTGRES_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg2"}
REDIS_SCHEMES = {"redis", "rediss"}
TRACKER_CONNECTION_KEYS = (
    "dialect",
    "url",
    "host",
    "port",
    "db",
    "username",
    "password",
    "login_db",
    "query",
)
TRACKER_EXAMPLE = "postgresql://user:pass@host:port/db or sqlite:////path/to/tracker.db"
LOCK_EXAMPLE = "redis://[:password@]host:port/0"
# Rasa's RedisLockStore, with the tickets of live requests kept alive.
REDIS_LOCK_STORE = "rasa_ext.lock_store.LiveRedisLockStore"


class StoreUrlError(RuntimeError):
    """A store URL that cannot be used; the message never repeats the URL (it may hold a
    password)."""


def _split(url: str, variable: str, example: str) -> SplitResult:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError:
        raise StoreUrlError(f"{variable}: not a URL; expected {example}") from None
    return parts


def tracker_store_keys(url: str) -> Dict[str, Any]:
    parts = _split(url, "TRACKER_STORE_URL", TRACKER_EXAMPLE)
    if parts.scheme == "sqlite":
        # sqlite:////abs/path.db (SQLAlchemy's form): the path after the third slash.
        path = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path.lstrip("/"))
        if not path:
            raise StoreUrlError(f"TRACKER_STORE_URL: no database file; expected {TRACKER_EXAMPLE}")
        return {"dialect": "sqlite", "db": path}
    if parts.scheme not in POSTGRES_SCHEMES:
        raise StoreUrlError(
            f"TRACKER_STORE_URL: unsupported scheme {parts.scheme!r}; expected {TRACKER_EXAMPLE}"
        )
    database = unquote(parts.path.lstrip("/"))
    if not parts.hostname or not database:
        raise StoreUrlError(
            f"TRACKER_STORE_URL: needs a host and a database; expected {TRACKER_EXAMPLE}"
        )
    keys: Dict[str, Any] = {
        "dialect": "postgresql",
        "url": parts.hostname,
        "port": parts.port or 5432,
        "db": database,
    }
    if parts.username:
        keys["username"] = unquote(parts.username)
    if parts.password:
        keys["password"] = unquote(parts.password)
    query = dict(parse_qsl(parts.query))  # e.g. sslmode=require for a managed service
    if query:
        keys["query"] = query
    return keys


def lock_store_keys(url: str) -> Dict[str, Any]:
    parts = _split(url, "LOCK_STORE_URL", LOCK_EXAMPLE)
    if parts.scheme not in REDIS_SCHEMES or not parts.hostname:
        raise StoreUrlError(f"LOCK_STORE_URL: expected {LOCK_EXAMPLE}")
    db = parts.path.strip("/") or "0"
    if not db.isdigit():
        raise StoreUrlError(
            f"LOCK_STORE_URL: the database must be a number; expected {LOCK_EXAMPLE}"
        )
    keys: Dict[str, Any] = {
        "type": REDIS_LOCK_STORE,
        "url": parts.hostname,
        "port": parts.port or 6379,
        "db": int(db),
    }
    if parts.username:
        keys["username"] = unquote(parts.username)
    if parts.password:
        keys["password"] = unquote(parts.password)
    if parts.scheme == "rediss":
        keys["use_ssl"] = True
    return keys


def apply_store_urls(sections: Dict[str, Any], env: Dict[str, str]) -> Dict[str, Any]:
    """The endpoints sections with the stores named by the environment filled in."""
    sections = dict(sections)
    if env.get("TRACKER_STORE_URL"):
        store = {
            key: value
            for key, value in (sections.get("tracker_store") or {}).items()
            if key not in TRACKER_CONNECTION_KEYS
        }
        store.setdefault("type", "SQL")
        store.update(tracker_store_keys(env["TRACKER_STORE_URL"]))
        sections["tracker_store"] = store
    if env.get("LOCK_STORE_URL"):
        sections["lock_store"] = lock_store_keys(env["LOCK_STORE_URL"])
    if env.get("ACTION_SERVER_URL"):
        sections["action_endpoint"] = {
            **(sections.get("action_endpoint") or {}),
            "url": env["ACTION_SERVER_URL"],
        }
    return sections
