# arxiv-enrich: the HTTP API. No Docker engine runs on our development machines, so this file is
# kept deliberately simple and is not exercised by the test suite.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite:////data/arxiv-enrich.db

WORKDIR /srv
COPY pyproject.toml README.md ./
COPY app ./app
COPY clients ./clients
COPY migrations ./migrations
RUN pip install . && useradd --create-home --uid 10001 arxiv && mkdir /data && chown arxiv /data

USER arxiv
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["arxiv-enrich", "serve", "--host", "0.0.0.0", "--port", "8000"]
