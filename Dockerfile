# syntax=docker/dockerfile:1
# Production image for onepluone: the same image runs the web server (gunicorn), the Celery worker
# and Celery beat; docker-compose.yml picks the process with `command`. See docs/deployment.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=onepluone.settings.production \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private-media \
    WEB_CONCURRENCY=3

# Runtime libraries for WeasyPrint (Pango, HarfBuzz subsetting, a font) and gettext for
# compilemessages.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# The user's home is writable for caches (fontconfig, used by WeasyPrint); /app is not.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# The processes run from /app (PYTHONPATH), where templates, static files and translations live.
RUN pip install .

# Build-time placeholders only: the production settings refuse to load without these. They are not
# kept in the image; the real values come from the environment at run time.
RUN SECRET_KEY=build-time-placeholder-not-used-at-run-time \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    CELERY_BROKER_URL=memory:// \
    sh -c 'python manage.py compilemessages --ignore=.venv -v0 && python manage.py collectstatic --noinput -v0'

# Writable locations for the unprivileged user: uploaded files and the beat schedule. Named volumes
# mounted here start with this ownership. The application code itself stays read-only to the user.
RUN mkdir -p /data/media /data/private-media /data/beat \
    && chown -R app:app /data \
    && chmod 0750 /data/private-media

USER app

EXPOSE 8000

# Gunicorn's worker count comes from WEB_CONCURRENCY (3 by default; about 2 x CPU + 1 is usual).
CMD ["sh", "-c", "exec gunicorn onepluone.wsgi:application --bind 0.0.0.0:8000 --workers \"${WEB_CONCURRENCY:-3}\" --timeout 60 --access-logfile - --error-logfile -"]
