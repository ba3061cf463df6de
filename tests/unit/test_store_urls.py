"""TRACKER_STORE_URL / LOCK_STORE_URL become the keys Rasa's SQLTrackerStore and
RedisLockStore read, the tracker store's own type and settings stay, bad URLs get a clear
error that never repeats the password."""

import pytest
import yaml

from tools import serve
from tools.store_urls import (
    REDIS_LOCK_STORE,
    StoreUrlError,
    apply_store_urls,
    lock_store_keys,
    tracker_store_keys,
)


def test_a_postgresql_url_becomes_the_sql_tracker_store_keys():
    keys = tracker_store_keys("postgresql://rasa:s%40cret@db.internal:6543/bot?sslmode=require")
    assert keys == {
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 6543,
        "db": "bot",
        "username": "rasa",
        "password": "s@cret",
        "query": {"sslmode": "require"},
    }
    assert tracker_store_keys("postgres://h/db")["port"] == 5432


def test_a_sqlite_url_names_the_file():
    assert tracker_store_keys("sqlite:////var/lib/bot/t.db") == {
        "dialect": "sqlite",
        "db": "/var/lib/bot/t.db",
    }


def test_a_redis_url_becomes_the_redis_lock_store_keys():
    assert lock_store_keys("redis://:pw@cache:6380/2") == {
        "type": REDIS_LOCK_STORE,
        "url": "cache",
        "port": 6380,
        "db": 2,
        "password": "pw",
    }
    assert lock_store_keys("rediss://cache")["use_ssl"] is True
    assert lock_store_keys("redis://cache")["db"] == 0


@pytest.mark.parametrize(
    "variable, url",
    [
        ("TRACKER_STORE_URL", "mysql://u:topsecret@h/db"),
        ("TRACKER_STORE_URL", "postgresql://u:topsecret@h:notaport/db"),
        ("TRACKER_STORE_URL", "postgresql://u:topsecret@h:5432/"),
        ("LOCK_STORE_URL", "http://u:topsecret@h:6379/0"),
        ("LOCK_STORE_URL", "redis://u:topsecret@h:6379/zero"),
    ],
)
def test_a_bad_url_gets_a_clear_error_without_the_password(variable, url):
    with pytest.raises(StoreUrlError) as error:
        apply_store_urls({}, {variable: url})
    assert variable in str(error.value) and "topsecret" not in str(error.value)


def test_the_tracker_stores_type_and_other_settings_are_kept():
    sections = {
        "tracker_store": {
            "type": "rasa_ext.tracker_store.X",
            "dialect": "sqlite",
            "db": "/tmp/t.db",
            "retention_days": 30,
        }
    }
    out = apply_store_urls(sections, {"TRACKER_STORE_URL": "postgresql://u:p@h:1/d"})
    assert out["tracker_store"] == {
        "type": "rasa_ext.tracker_store.X",
        "retention_days": 30,
        "dialect": "postgresql",
        "url": "h",
        "port": 1,
        "db": "d",
        "username": "u",
        "password": "p",
    }
    assert apply_store_urls(sections, {}) == sections


def test_the_launcher_renders_both_stores_into_its_endpoints_file(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "STATE", tmp_path / ".state")
    env = {
        **serve.settings(),
        "RASA_PORT": "5999",
        "ACTION_PORT": "5998",
        "TRACKER_STORE_URL": "postgresql://rasa:pw@127.0.0.1:5432/rasa",
        "LOCK_STORE_URL": "redis://127.0.0.1:6379/0",
    }
    path = serve.render("endpoints.yml", env, optional_sections=False)
    rendered = yaml.safe_load(path.read_text())
    assert rendered["tracker_store"]["dialect"] == "postgresql"
    assert rendered["tracker_store"]["password"] == "pw"
    assert rendered["lock_store"] == {
        "type": REDIS_LOCK_STORE,
        "url": "127.0.0.1",
        "port": 6379,
        "db": 0,
    }
    assert path.stat().st_mode & 0o077 == 0, "a file with a password is readable by others"
    default = yaml.safe_load(
        serve.render(
            "endpoints.yml", {**env, "TRACKER_STORE_URL": "", "LOCK_STORE_URL": ""}, False
        ).read_text()
    )
    assert default["tracker_store"]["dialect"] == "sqlite"
    assert default["lock_store"] == {"type": "rasa_ext.lock_store.LiveInMemoryLockStore"}
