# TrustGov web, worker and beat image.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=trustgov.settings.production
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /app/static/build static/build
COPY --from=assets /app/node_modules/govuk-frontend node_modules/govuk-frontend
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost SITE_URL=http://localhost python manage.py collectstatic --no-input
RUN useradd --create-home trustgov && mkdir -p /app/media && chown trustgov /app/media
USER trustgov
EXPOSE 8000
CMD ["gunicorn", "trustgov.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
