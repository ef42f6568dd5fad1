# A small image for one safebot instance, installed from the wheel (lessons, help
# directory and translations inside the package). Build: docker build -t safebot .
# Run with deploy/compose.yaml (data volume, daily backups), or:
#   docker run -d --name safebot -e SAFEBOT_TELEGRAM_TOKEN=... \
#     -v safebot-data:/data -v "$PWD/instance:/instance:ro" safebot
FROM python:3.12-slim
# inside the container the web chat and webhook listen on every interface, so the
# published ports reach them; the data folder is the volume
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    SAFEBOT_DATA_DIR=/data SAFEBOT_WEB_HOST=0.0.0.0 SAFEBOT_WEBHOOK_LISTEN=0.0.0.0
RUN useradd --create-home --uid 10001 safebot
WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY content ./content
COPY locales ./locales
RUN pip install --no-cache-dir . && rm -rf /src && mkdir -p /data && chown safebot /data \
    && chmod 700 /data
WORKDIR /data
USER safebot
VOLUME ["/data"]
# the web chat and the webhook, when enabled (mode, or SAFEBOT_MODE)
EXPOSE 8080 8443
# the data folder: the secret, the database's integrity, permissions and free disk
HEALTHCHECK --interval=5m --timeout=30s --start-period=30s --retries=2 CMD ["safebot", "doctor"]
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "if [ -f /instance/safebot.toml ]; then exec safebot --config /instance/safebot.toml run; else exec safebot run; fi"]
