# Fishbot: Telegram assistant for Vietnamese fish farmers.
# CPU torch by default; for a GPU image: --build-arg BASE=nvidia/cuda:12.4.1-runtime-ubuntu22.04 --build-arg TORCH_INDEX=https://download.pytorch.org/whl/cu124
ARG BASE=python:3.11-slim
FROM ${BASE}

ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    FISHBOT_DB=/data/fishbot.sqlite3 \
    FISHBOT_CACHE=/data/cache

RUN (command -v python3 >/dev/null || (apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-venv && rm -rf /var/lib/apt/lists/*)) \
    && useradd --create-home --uid 10001 fishbot

WORKDIR /app

# Dependencies first, so editing code does not reinstall them (layer caching).
COPY pyproject.toml README.md ./
RUN python3 -m pip install --index-url ${TORCH_INDEX} "torch>=2.4,<2.15" \
    && python3 -c "import tomllib;d=tomllib.load(open('pyproject.toml','rb'));print('\n'.join(d['project']['dependencies']))" > /tmp/requirements.txt \
    && python3 -m pip install -r /tmp/requirements.txt

# The shipped model and intents travel inside the image; the code comes last.
COPY models/fishbot-vi ./models/fishbot-vi
COPY intents ./intents
COPY bot ./bot
RUN python3 -m pip install --no-deps . \
    && mkdir -p /data && chown -R fishbot:fishbot /data

ENV FISHBOT_MODEL=/app/models/fishbot-vi \
    FISHBOT_INTENTS=/app/intents

USER fishbot
VOLUME ["/data"]

# Cheap self-check: the model loads, the intents validate, the database opens.
HEALTHCHECK --interval=60s --timeout=30s --start-period=30s --retries=3 CMD ["fishbot", "selfcheck"]

CMD ["fishbot", "run"]
