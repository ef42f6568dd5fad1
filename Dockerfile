# A small image for one safebot instance. Build: docker build -t safebot .
# Run:  docker run -d --name safebot -e SAFEBOT_TELEGRAM_TOKEN=... \
#         -v safebot-data:/data -v "$PWD/instance:/instance:ro" safebot
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SAFEBOT_DATA_DIR=/data
RUN useradd --create-home --uid 10001 safebot
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY content ./content
COPY locales ./locales
RUN pip install --no-cache-dir -e . && mkdir -p /data && chown safebot /data
USER safebot
VOLUME ["/data"]
# the web chat and the webhook, when enabled in safebot.toml
EXPOSE 8080 8443
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "if [ -f /instance/safebot.toml ]; then exec safebot --config /instance/safebot.toml run; else exec safebot run; fi"]
