# The server image: `connect-four serve` with the PostgreSQL driver.
# compose.yaml runs two of these behind nginx; see docs/operations.md.
FROM python:3.12-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir '.[web,postgres]' \
    && useradd --create-home --uid 10001 connect-four
USER connect-four
ENV CONNECT_FOUR_LOG_FORMAT=json
EXPOSE 8000
# uvicorn finishes the requests in flight on SIGTERM; live feeds get a reconnect hint.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# The proxy limits how fast each client sends commands: the servers see only its address.
CMD ["connect-four", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-rate-limit", "--shutdown-timeout", "10"]
