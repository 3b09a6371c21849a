# Kenesh: the Rasa server and the action server in one image (python:3.10-slim; Rasa 3.6 needs 3.10).
# The model is trained at build time, so a container starts serving without training.
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 \
    KENESH_PYTHON=/usr/local/bin/python3.10 VENV=/opt/venv
RUN apt-get update && apt-get install -y --no-install-recommends make gcc && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt constraints.txt pyproject.toml Makefile ./
COPY scripts ./scripts
COPY bot/__init__.py ./bot/__init__.py
RUN make /opt/venv/.installed VENV=/opt/venv

COPY . .
RUN /opt/venv/bin/pip install --quiet --no-deps -e . && make train VENV=/opt/venv && useradd --create-home kenesh && mkdir -p var && chown -R kenesh var rasa_project
USER kenesh
ENV PATH=/opt/venv/bin:$PATH KENESH_STATE_DIR=/app/var

# Default: the Rasa server. docker-compose.yml runs the action server from the same image.
EXPOSE 5005 5055
CMD ["sh", "-c", "cd rasa_project && exec python -m rasa_project run --enable-api --interface 0.0.0.0 --port 5005 --model models/kenesh.tar.gz --endpoints ${KENESH_RASA_ENDPOINTS:-endpoints.yml} --credentials credentials.yml --quiet"]
