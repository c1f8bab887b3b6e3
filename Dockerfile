# jixiao application image: web (runserver for now), Celery worker and beat share it.
FROM python:3.11-slim-bookworm

# The run-time system packages of bin/system-deps, minus chromium (browser tests only) and
# python3-venv (the image's Python is used directly).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    JIXIAO_VAR_DIR=/app/var

WORKDIR /app

# Dependencies first, so code changes don't reinstall them. pyproject declares no packages
# (`packages = []`): `pip install .` installs the dependencies; the code runs from /app.
COPY pyproject.toml ./
RUN pip install .

COPY . .
RUN useradd --create-home --uid 1000 jixiao \
    && mkdir -p /app/var \
    && chown jixiao:jixiao /app/var
USER jixiao

EXPOSE 8000
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
