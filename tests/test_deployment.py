"""The production deployment description.

- onepluone.settings.production passes `manage.py check --deploy` without a single warning, and its
  responses carry the Content-Security-Policy, Permissions-Policy, HSTS and the other browser protections;
- docker-compose.yml describes the five services (web, worker, beat, db, redis) as documented in
  docs/deployment.md, and .env.example documents every variable it and the settings read;
- the container health check (/healthz over plain HTTP on 127.0.0.1) gets through the production
  settings' HTTPS redirect and host validation;
- `docker-compose config` / `docker compose config` accepts the file, when one of them is installed.
"""

import base64
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
PRODUCTION = "onepluone.settings.production"
APP_SERVICES = ("web", "worker", "beat")
HEALTHY = {"condition": "service_healthy"}


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """A clean environment for a child process on the production settings.

    Only PATH, HOME and the locale are inherited, so that nothing set for the test run (the test
    settings module, a developer's DEBUG or DATABASE_URL) leaks into the child. The values the
    deployment checks depend on are set explicitly, because the settings also read the repository's
    .env (without overriding what is already in the environment).
    """
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL") if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="grants.example.org,localhost,127.0.0.1",
        CSRF_TRUSTED_ORIGINS="https://grants.example.org",
        SITE_URL="https://grants.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        CELERY_BROKER_URL="memory://",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(overrides)
    return env


def _run(args: list[str], *, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False)


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


# --- manage.py check --deploy --------------------------------------------------------------------


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    assert len(_production_env(tmp_path)["SECRET_KEY"]) >= 50

    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout
    assert result.stderr == ""


def test_check_deploy_does_fail_on_the_placeholder_secret_key(tmp_path):
    """The check above really runs on the production settings: the .env.example placeholder fails it."""
    placeholder = _env_example()["SECRET_KEY"]

    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path, SECRET_KEY=placeholder),
    )

    assert result.returncode == 1
    assert "(security.W009)" in result.stderr


# --- The health check through the production settings ------------------------------------------

HEALTH_PROBE = """
import json

import django

django.setup()
from django.test import Client

client = Client()
health = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
home = client.get("/", HTTP_HOST="127.0.0.1:8000")
print(json.dumps({
    "health": [health.status_code, health.get("Location"), health.content.decode()],
    "home": [home.status_code, home.get("Location")],
}))
"""


def test_container_health_check_passes_the_production_https_redirect_and_host_check(tmp_path):
    allowed_hosts = _env_example()["ALLOWED_HOSTS"]
    assert "127.0.0.1" in allowed_hosts.split(",")

    result = _run([sys.executable, "-c", HEALTH_PROBE], env=_production_env(tmp_path, ALLOWED_HOSTS=allowed_hosts))

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    health_status, health_location, health_body = probe["health"]
    assert (health_status, health_location) == (200, None)
    assert json.loads(health_body) == {"database": "ok", "broker": "ok"}
    # Everything else over plain HTTP is redirected to HTTPS, so the exemption is what lets it through.
    assert probe["home"] == [301, "https://127.0.0.1:8000/"]


HEADERS_PROBE = """
import json

import django

django.setup()
from django.test import Client

response = Client().get("/healthz", HTTP_HOST="grants.example.org", secure=True)
print(json.dumps({
    "status": response.status_code,
    "headers": {name: response.get(name) for name in (
        "Content-Security-Policy", "Permissions-Policy", "Strict-Transport-Security", "X-Frame-Options",
        "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy",
    )},
}))
"""


def test_production_responses_carry_the_browser_protections(tmp_path):
    """On /healthz, the one page that renders without collected static files; every response gets them."""
    result = _run([sys.executable, "-c", HEADERS_PROBE], env=_production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    headers = probe["headers"]
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert probe["status"] == 200
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"] + policy["style-src-elem"] + policy["default-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert headers["Permissions-Policy"].startswith("accelerometer=(), camera=(), ")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"]) == ("DENY", "nosniff")
    assert (headers["Referrer-Policy"], headers["Cross-Origin-Opener-Policy"]) == ("same-origin", "same-origin")


# --- docker-compose.yml ----------------------------------------------------------------------------


def test_compose_file_has_exactly_the_five_services_and_no_version_key(compose):
    assert "version" not in compose
    assert set(compose["services"]) == {"web", "worker", "beat", "db", "redis"}


def test_db_and_redis_images_and_health_checks(compose):
    db, redis = compose["services"]["db"], compose["services"]["redis"]
    assert db["image"] == "postgres:16"
    assert redis["image"] == "redis:7"
    pg_isready = 'pg_isready -U "$${POSTGRES_USER}" -d "$${POSTGRES_DB}"'  # $$: expanded in the container
    assert db["healthcheck"]["test"] == ["CMD-SHELL", pg_isready]
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_database_and_broker_data_live_on_named_volumes(compose):
    services, volumes = compose["services"], compose["volumes"]
    assert services["db"]["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert services["redis"]["volumes"] == ["redis-data:/data"]
    assert {"postgres-data", "redis-data"} <= set(volumes)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_image_and_env_and_wait_for_healthy_db_and_redis(compose, name):
    service = compose["services"][name]
    assert service["depends_on"] == {"db": HEALTHY, "redis": HEALTHY}
    assert service["image"] == "${ONEPLUONE_IMAGE:-onepluone:latest}"
    assert service["build"] == {"context": "."}
    assert service["env_file"] == ".env"
    assert service["environment"] == {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "MEDIA_ROOT": "/data/media",
        "PRIVATE_MEDIA_ROOT": "/data/private-media",
    }


def test_app_service_commands(compose):
    services = compose["services"]
    web = services["web"]["command"]
    assert web[:2] == ["sh", "-c"]
    assert web[2].startswith("python manage.py migrate --noinput && exec gunicorn onepluone.wsgi:application")
    assert "--bind 0.0.0.0:8000" in web[2]
    assert services["worker"]["command"].startswith("celery -A onepluone worker -Q celery,letters -l info")
    assert services["beat"]["command"] == ("celery -A onepluone beat -l info --schedule /data/beat/celerybeat-schedule")


def test_web_health_check_hits_healthz_on_loopback(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert "urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=5)" in test[3]


def test_uploads_on_named_volumes_and_private_media_only_in_app_containers(compose):
    services, volumes = compose["services"], compose["volumes"]
    media_mounts = ["media:/data/media", "private-media:/data/private-media"]
    assert services["web"]["volumes"] == media_mounts
    assert services["worker"]["volumes"] == media_mounts
    assert services["beat"]["volumes"] == ["beat-schedule:/data/beat"]
    assert {"media", "private-media", "beat-schedule"} <= set(volumes)
    mounting_private = {
        name
        for name, service in services.items()
        if any(mount.split(":")[0] == "private-media" for mount in service.get("volumes", []))
    }
    assert mounting_private == {"web", "worker"}
    # Only web is published, on the host's loopback by default, for the TLS proxy.
    assert {name for name, service in services.items() if "ports" in service} == {"web"}
    assert services["web"]["ports"] == ["${WEB_BIND:-127.0.0.1:8000}:8000"]


# --- .env.example ----------------------------------------------------------------------------------

# Read by the settings but not meant to be set in production (forced, or set by docker-compose.yml).
NOT_FOR_PRODUCTION_ENV = {
    "DEBUG",
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_FILE_PATH",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
}


def test_env_example_documents_every_variable_with_placeholders(compose):
    documented = _env_example()
    settings_source = "".join(
        (ROOT / "onepluone" / "settings" / module).read_text(encoding="utf-8")
        for module in ("base.py", "production.py")
    )
    read_by_settings = set(re.findall(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", settings_source))
    compose_source = COMPOSE_FILE.read_text(encoding="utf-8")
    substituted_by_compose = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose_source))
    assert "SECRET_KEY" in read_by_settings and "POSTGRES_PASSWORD" in substituted_by_compose

    assert sorted((read_by_settings - NOT_FOR_PRODUCTION_ENV) - set(documented)) == []
    assert sorted(substituted_by_compose - set(documented)) == []
    # Placeholders, never secrets.
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "EMAIL_HOST_PASSWORD"):
        assert documented[name].startswith("change-me"), name
    assert "change-me-database-password@db:5432/" in documented["DATABASE_URL"]
    assert documented["CELERY_BROKER_URL"] == "redis://redis:6379/0"


# --- docker-compose config -------------------------------------------------------------------------


def _compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=60, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    return None


@pytest.fixture
def compose_project(tmp_path):
    """A copy of the deployment files with .env.example as .env (the repository's .env is not touched)."""
    for name in ("docker-compose.yml", "Dockerfile", ".dockerignore"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    return tmp_path


def _compose_config(project: Path) -> subprocess.CompletedProcess:
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker-compose` nor `docker compose` is available on PATH")
    # The shell's variables win over .env in compose substitution; do not let any leak in.
    env = {name: os.environ[name] for name in ("PATH", "HOME", "DOCKER_CONFIG") if name in os.environ}
    return _run([*command, "-f", "docker-compose.yml", "config", "-q"], env=env, cwd=project)


def test_compose_config_accepts_the_file(compose_project):
    result = _compose_config(compose_project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_compose_config_requires_the_database_password(compose_project):
    env_file = compose_project / ".env"
    lines = env_file.read_text(encoding="utf-8").splitlines(keepends=True)
    env_file.write_text("".join(line for line in lines if not line.startswith("POSTGRES_PASSWORD=")))

    result = _compose_config(compose_project)

    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in result.stdout + result.stderr
