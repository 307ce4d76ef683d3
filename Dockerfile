# One image for web, the workers and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"

# Pango for WeasyPrint, gettext for compiled translations, Node.js/npm for DKFDS and htmx,
# the PostgreSQL client programs for `manage.py backup` and `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext nodejs npm postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev
COPY . .
# Production settings refuse to load without their secrets; collectstatic uses none of them.
RUN SSP_ENVIRONMENT=production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build \
    CPR_ENCRYPTION_KEYS=collectstatic-only CPR_HASH_KEY=collectstatic-only \
    DATABASE_URL=postgres://build/build python manage.py collectstatic --no-input

# Private files live outside the web root; a new volume takes this directory's owner.
RUN useradd --system --home /app ssp && chown -R ssp /app \
    && mkdir -p /srv/private-media && chown ssp /srv/private-media
USER ssp
EXPOSE 8000
CMD ["gunicorn", "ssp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
