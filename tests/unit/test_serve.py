"""The launcher fills ${VARIABLES} in, drops unconfigured channels, and refuses an endpoint
whose variables are missing."""

import pytest
import yaml

from tools import serve


def test_channels_without_their_variables_are_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "ROOT", tmp_path)
    monkeypatch.setattr(serve, "STATE", tmp_path / ".state")
    (tmp_path / "credentials.yml").write_text(
        "rest:\nsocketio:\n  session_persistence: true\n"
        "telegram:\n  access_token: ${TG_TOKEN}\n  verify: ${TG_NAME}\n"
    )
    rendered = yaml.safe_load(
        serve.render("credentials.yml", {"TG_TOKEN": "abc"}, True).read_text()
    )
    assert set(rendered) == {"rest", "socketio"}
    both = {"TG_TOKEN": "abc", "TG_NAME": "legbot"}
    rendered = yaml.safe_load(serve.render("credentials.yml", both, True).read_text())
    assert rendered["telegram"] == {"access_token": "abc", "verify": "legbot"}


def test_an_endpoint_with_a_missing_variable_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "ROOT", tmp_path)
    monkeypatch.setattr(serve, "STATE", tmp_path / ".state")
    (tmp_path / "endpoints.yml").write_text("action_endpoint:\n  url: http://x:${ACTION_PORT}/\n")
    with pytest.raises(RuntimeError, match="ACTION_PORT"):
        serve.render("endpoints.yml", {}, False)
    rendered = serve.render("endpoints.yml", {"ACTION_PORT": "5055"}, False).read_text()
    assert "http://x:5055/" in rendered


def test_values_stay_strings_and_each_run_has_its_own_file(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "ROOT", tmp_path)
    monkeypatch.setattr(serve, "STATE", tmp_path / ".state")
    (tmp_path / "credentials.yml").write_text("twilio:\n  number: ${NUMBER}\n")
    first = serve.render("credentials.yml", {"NUMBER": "+14155238886", "RASA_PORT": "1"}, True)
    second = serve.render("credentials.yml", {"NUMBER": "+1", "RASA_PORT": "2"}, True)
    assert first != second
    assert yaml.safe_load(first.read_text())["twilio"]["number"] == "+14155238886"


def test_the_action_server_listens_on_loopback_unless_told_otherwise():
    assert serve.process_env("actions", {})["SANIC_HOST"] == "127.0.0.1"
    assert serve.process_env("actions", {"ACTION_HOST": "0.0.0.0"})["SANIC_HOST"] == "0.0.0.0"
    assert "SANIC_HOST" not in serve.process_env("rasa", {})
