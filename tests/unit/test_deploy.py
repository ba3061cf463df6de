"""deploy/ (Docker, Compose, Kubernetes) cannot run here: these tests check that each file
parses and names the same services, images, ports and settings as `make cluster`."""

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from tools import cluster, serve
from tools.store_urls import REDIS_LOCK_STORE, apply_store_urls

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ROOT = DEPLOY.parent
SETTINGS = ("TICKET_LOCK_LIFETIME", "SQL_POOL_SIZE", "SQL_MAX_OVERFLOW", "SANIC_PROXIES_COUNT")


def pins() -> Dict[str, str]:
    text = (ROOT / "pyproject.toml").read_text()
    return dict(re.findall(r'"([A-Za-z0-9_.-]+)==([^"]+)"', text))


def dockerfile(name: str) -> List[str]:
    return [
        line.strip()
        for line in (DEPLOY / name).read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def compose() -> Dict[str, Any]:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def kubernetes() -> List[Dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all((DEPLOY / "kubernetes.yml").read_text()) if doc]


def by_kind(kind: str) -> Dict[str, Dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in kubernetes() if doc["kind"] == kind}


BUILT_BY_MAKE = {"models"}


def local_names() -> Dict[str, List[str]]:
    """The process names `make cluster` gives with its defaults."""
    local = cluster.Cluster(cluster.cluster_settings({"RASA_PORT": "5005", "ACTION_PORT": "5055"}))
    return {"rasa": list(local.replica_ports), "actions": list(local.action_ports)}


@pytest.mark.parametrize(
    "name, base, package",
    [("rasa.Dockerfile", "rasa/rasa", "rasa"), ("actions.Dockerfile", "rasa/rasa-sdk", "rasa-sdk")],
)
def test_the_images_are_built_on_the_pinned_rasa_versions(name, base, package):
    lines = dockerfile(name)
    assert lines[0] in (f"FROM {base}:{pins()[package]}", f"FROM {base}:{pins()[package]}-full")
    for line in lines:
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                # models/ is what `make model` writes before an image is built; `make check`
                # runs without it on a fresh clone.
                if source.rstrip("/") in BUILT_BY_MAKE:
                    continue
                assert (ROOT / source).exists(), f"{name} copies {source}, which does not exist"
        for extra in re.findall(r"([a-z0-9_.-]+)==([0-9.]+)", line):
            if extra[0] in pins():
                assert pins()[extra[0]] == extra[1], f"{name} pins {extra} unlike pyproject"


def test_the_rasa_image_starts_a_replica_with_the_cluster_launcher():
    lines = dockerfile("rasa.Dockerfile")
    assert 'ENTRYPOINT ["python", "tools/cluster.py"]' in lines and 'CMD ["replica"]' in lines
    assert set(cluster.ONE_PROCESS) >= {"replica", "web"}


def test_compose_has_the_cluster_topology_and_settings():
    services = compose()["services"]
    names = local_names()
    assert set(services) == {"postgres", "redis", "proxy", "web", *names["rasa"], *names["actions"]}
    replicas, actions = cluster.DEPLOY_PROXIES["compose"]
    assert list(replicas) == names["rasa"] and list(actions) == names["actions"]
    for name in names["rasa"]:
        env = services[name]["environment"]
        assert services[name]["command"] == ["replica"]
        assert services[name]["image"] == "dermatome-leg-pain-rasa:latest"
        assert {key: env[key] for key in SETTINGS} == {
            key: cluster.CLUSTER_DEFAULTS[key] for key in SETTINGS
        }
        assert env["RASA_PORT"] == "5005" and replicas[name] == f"{name}:5005"
        assert env["ACTION_SERVER_URL"] == "http://proxy:5055/webhook"
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"].startswith("redis:")
    assert services["proxy"]["image"] == "haproxy:2.6"
    assert services["proxy"]["ports"] == ["5005:5005"]
    assert services["web"]["command"] == ["web"] and services["web"]["ports"] == ["8000:8000"]


def test_compose_store_urls_render_into_rasa_endpoints():
    env = dict(compose()["services"]["rasa-1"]["environment"])
    env = {k: re.sub(r"\$\{POSTGRES_PASSWORD[^}]*\}", "pw", v) for k, v in env.items()}
    endpoints = apply_store_urls(yaml.safe_load((ROOT / "endpoints.yml").read_text()), env)
    assert {k: endpoints["tracker_store"][k] for k in ("dialect", "url", "port", "db")} == {
        "dialect": "postgresql",
        "url": "postgres",
        "port": 5432,
        "db": "rasa",
    }
    assert endpoints["lock_store"] == {
        "type": REDIS_LOCK_STORE,
        "url": "redis",
        "port": 6379,
        "db": 0,
    }
    assert endpoints["action_endpoint"]["url"] == "http://proxy:5055/webhook"
    original = yaml.safe_load((ROOT / "endpoints.yml").read_text())["tracker_store"]["type"]
    assert endpoints["tracker_store"]["type"] == original


@pytest.mark.parametrize("platform", ["compose", "kubernetes"])
def test_the_proxy_configuration_is_the_one_make_cluster_runs(platform):
    if platform == "compose":
        text = (DEPLOY / "haproxy.cfg").read_text()
    else:
        text = by_kind("ConfigMap")["haproxy"]["data"]["haproxy.cfg"]
    assert text == cluster.deploy_haproxy_config(platform), (
        f"regenerate: tools/cluster.py haproxy-config {platform}"
    )
    for needed in (
        "balance roundrobin",
        "option redispatch",
        "retry-on conn-failure empty-response junk-response",
        "stick match url_param(sid)",
        "check",
    ):
        assert needed in text


@pytest.mark.skipif(not shutil.which("haproxy"), reason="needs haproxy (make cluster-deps)")
def test_haproxy_accepts_the_deploy_configuration(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text((DEPLOY / "haproxy.cfg").read_text())
    check = subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_kubernetes_has_the_same_topology_images_and_settings():
    names = local_names()
    services = by_kind("Service")
    assert set(services) == {"postgres", "redis", "rasa", "actions", "proxy", "web"}
    rasa = by_kind("StatefulSet")["rasa"]
    assert rasa["spec"]["replicas"] == len(names["rasa"])
    assert services["rasa"]["spec"]["clusterIP"] == "None"  # per-pod names for HAProxy
    container = rasa["spec"]["template"]["spec"]["containers"][0]
    compose_images = {s["image"] for s in compose()["services"].values()}
    images = {
        c["image"]
        for kind in ("StatefulSet", "Deployment")
        for doc in by_kind(kind).values()
        for c in doc["spec"]["template"]["spec"]["containers"]
    }
    assert images == compose_images
    assert container["args"] == ["replica"] and container["ports"] == [{"containerPort": 5005}]
    settings = by_kind("ConfigMap")["rasa-settings"]["data"]
    assert {key: settings[key] for key in SETTINGS} == {
        key: cluster.CLUSTER_DEFAULTS[key] for key in SETTINGS
    }
    secret = by_kind("Secret")["dermatome-leg-pain"]["stringData"]
    endpoints = apply_store_urls({}, {**settings, **secret})
    assert endpoints["tracker_store"]["url"] == "postgres"
    assert endpoints["lock_store"]["url"] == "redis"
    assert {p["port"] for p in services["proxy"]["spec"]["ports"]} == {5005, 5055}


def test_the_launcher_accepts_the_one_process_commands():
    env = {**serve.settings(), "RASA_PORT": "5005"}
    assert set(serve.commands(env)) >= set(cluster.ONE_PROCESS.values())
