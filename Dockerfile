# Incident Atlas, self-hosted: docker build -t incident-atlas . && docker run -p 8501:8501 \
#   -v atlas-data:/var/lib/incident-atlas --env-file atlas.env incident-atlas
# Secrets: mount a secrets file at /app/.streamlit/secrets.toml (read-only) or pass INCIDENTS_*
# variables; nothing secret is baked into the image. See README "Hosting".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    STREAMLIT_SERVER_ENABLE_STATIC_SERVING=true \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_HEADLESS=true \
    INCIDENTS_DATABASE_URL=sqlite:////var/lib/incident-atlas/incidents.sqlite

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 10001 atlas \
    && mkdir -p /var/lib/incident-atlas \
    && chown atlas:atlas /var/lib/incident-atlas
COPY . .
# The map's static scripts (outlines, legend, bin layer), published while static/ is writable,
# so that the app links them instead of sending them with every change (static_data.py).
RUN python -c "from incidents.mapping import publish_static_scripts as p; print(p())"
# The code stays root-owned and read-only to the app; only the database folder is writable.
USER atlas
VOLUME ["/var/lib/incident-atlas"]
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 CMD \
    python -c "import os, sys, urllib.request; \
base = os.environ.get('STREAMLIT_SERVER_BASE_URL_PATH', '').strip('/'); \
url = 'http://127.0.0.1:8501/' + (base + '/' if base else '') + '_stcore/health'; \
sys.exit(0 if urllib.request.urlopen(url, timeout=4).status == 200 else 1)"

CMD ["streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
