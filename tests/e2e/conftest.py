"""Fixtures for the browser (end-to-end) tests: a Streamlit server and headless Chromium.

Fixtures (tests/e2e/README.md and the docstring of test_smoke.py show them in use):

* ``streamlit_server`` (session): the app served once for the whole session, on a free
  port, with ``INCIDENTS_DATABASE_URL`` set to a fresh temp SQLite file.
* ``streamlit_server_factory`` (session): ``start(app=None, *, env=None,
  database_url=None, timeout=90) -> StreamlitServer`` to start more servers, e.g.
  ``start(env={"INCIDENTS_DEMO_EVENTS": "100000"})``; all are stopped at session end.
* ``browser`` (session): Playwright Chromium (Debian's /usr/bin/chromium).
* ``network`` (function): the ``NetworkCut`` installed on ``context``: every request that
  does not go to loopback is aborted and recorded (``network.assert_offline()``);
  ``asset_router`` is the same object under its former name.
* ``page_events`` (function): dialogs (auto-dismissed), console errors, page errors.
* ``context`` / ``page`` (function): a fresh browser context / page with both installed.
* ``app_page`` (function): ``page`` already opened on ``streamlit_server`` and idle.

Prerequisites: /usr/bin/chromium (``bash tests/e2e/setup.sh``), the playwright package, the
app script and its vendored map libraries (static/vendor). When one is missing the tests skip, unless
``INCIDENTS_REQUIRE_E2E=1`` (CI), where they fail.

Env knobs: ``INCIDENTS_E2E_APP`` runs another script than ``app.py``;
``INCIDENTS_E2E_CHROMIUM`` another Chromium binary. Servers do not inherit the caller's
``INCIDENTS_*`` variables: pass them with ``streamlit_server_factory(env=...)``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from incidents.mapping.assets import LEAFLET_JS, STATIC_DIR

from .helpers import SCREENSHOT_DIR, open_app
from .network import NetworkCut, PlaywrightError

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parent.parent
CHROMIUM = os.environ.get("INCIDENTS_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
REQUIRE_ENV = "INCIDENTS_REQUIRE_E2E"


def app_script() -> Path:
    return Path(os.environ.get("INCIDENTS_E2E_APP") or REPO_ROOT / "app.py").resolve()


def missing_prerequisites() -> list[str]:
    """Why the browser tests cannot run here (empty when they can)."""
    missing = []
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"{CHROMIUM} not found (run: bash tests/e2e/setup.sh)")
    if not (STATIC_DIR / LEAFLET_JS[0][1]).is_file():
        missing.append(f"{STATIC_DIR / LEAFLET_JS[0][1]} missing (run: python -m tools.fetch_vendor)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append(
            "python package playwright not installed (pip install -r requirements-dev.txt)"
        )
    if not app_script().is_file():
        missing.append(f"app script {app_script()} not found")
    return missing


def pytest_collection_modifyitems(config, items):
    # Everything in this folder is a browser test, marked or not.
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _e2e_prerequisites():
    missing = missing_prerequisites()
    if missing:
        reason = "browser tests cannot run: " + "; ".join(missing)
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _clear_failure_screenshots():
    """Drop FAILED-*.png left by an earlier run, so the folder shows this run's failures."""
    for old in SCREENSHOT_DIR.glob("FAILED-*.png"):
        old.unlink(missing_ok=True)


# -- Streamlit server ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StreamlitServer:
    """A ``streamlit run`` child process serving on 127.0.0.1."""

    url: str
    port: int
    app: Path
    env: dict[str, str]
    database_url: str
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_streamlit(
    app: Path | str | None = None,
    *,
    workdir: Path,
    env: dict[str, str] | None = None,
    database_url: str | None = None,
    timeout: float = 90.0,
    extra_args: tuple[str, ...] = (),
) -> StreamlitServer:
    """Start ``streamlit run`` on a free port and wait for /_stcore/health.

    The child gets the current environment without any inherited ``INCIDENTS_*``
    variable, then ``INCIDENTS_DATABASE_URL`` (a fresh SQLite file under ``workdir``
    unless ``database_url`` is given), then ``env``.
    """
    app = Path(app).resolve() if app else app_script()
    if not app.is_file():
        raise FileNotFoundError(f"app script not found: {app}")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    if "--server.baseUrlPath" in extra_args:  # the app is then served under that path
        base_path = extra_args[extra_args.index("--server.baseUrlPath") + 1].strip("/")
        url += f"/{base_path}" if base_path else ""
    database_url = database_url or f"sqlite:///{workdir / 'incidents.sqlite'}"
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENTS_")}
    child_env.update(
        {
            "INCIDENTS_DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
    )
    child_env.update(env or {})
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *extra_args,
    ]  # fmt: skip
    log_path = workdir / f"streamlit-{port}.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = StreamlitServer(url, port, app, child_env, database_url, log_path, process)
    deadline = time.monotonic() + timeout
    while not _healthy(url):
        if not server.running:
            raise RuntimeError(
                f"streamlit exited with {process.returncode} before serving {url}:\n{server.log_tail()}"
            )
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"streamlit not healthy on {url} after {timeout}s:\n{server.log_tail()}"
            )
        time.sleep(0.2)
    return server


@pytest.fixture(scope="session")
def streamlit_server_factory(_e2e_prerequisites):
    """Callable starting Streamlit servers; each gets its own temp dir and database."""
    servers: list[StreamlitServer] = []
    base = Path(tempfile.mkdtemp(prefix="incidents-e2e-"))

    def start(
        app: Path | str | None = None,
        *,
        env: dict[str, str] | None = None,
        database_url: str | None = None,
        timeout: float = 90.0,
        extra_args: tuple[str, ...] = (),
    ) -> StreamlitServer:
        workdir = base / f"server{len(servers)}"
        server = start_streamlit(
            app,
            workdir=workdir,
            env=env,
            database_url=database_url,
            timeout=timeout,
            extra_args=extra_args,
        )
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        server.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def streamlit_server(streamlit_server_factory) -> StreamlitServer:
    """The app on a fresh temp SQLite database, shared by the whole session."""
    return streamlit_server_factory()


# -- browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(_e2e_prerequisites):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@dataclass
class DialogRecord:
    type: str  # alert, confirm, prompt, beforeunload
    message: str
    url: str


@dataclass
class PageEvents:
    """What the pages of a context did besides rendering: dialogs, errors, console."""

    dialogs: list[DialogRecord] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text), all

    def attach(self, context) -> None:
        context.on("dialog", self._on_dialog)
        context.on("console", self._on_console)
        context.on("weberror", self._on_weberror)

    def _on_dialog(self, dialog) -> None:
        url = dialog.page.url if dialog.page else ""
        self.dialogs.append(DialogRecord(dialog.type, dialog.message, url))
        with contextlib.suppress(PlaywrightError):  # page already gone
            dialog.dismiss()

    def _on_console(self, msg) -> None:
        self.console.append((msg.type, msg.text))
        if msg.type == "error":
            loc = msg.location or {}
            where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
            self.console_errors.append(msg.text + where)

    def _on_weberror(self, web_error) -> None:
        self.page_errors.append(str(web_error.error))

    def assert_no_dialogs(self) -> None:
        assert not self.dialogs, f"unexpected dialogs: {self.dialogs}"

    def assert_no_page_errors(self) -> None:
        assert not self.page_errors, "uncaught JS errors:\n" + "\n".join(self.page_errors)


@pytest.fixture
def network() -> NetworkCut:
    return NetworkCut()


@pytest.fixture
def asset_router(network) -> NetworkCut:
    """``network`` under the name the tests used while CDN files came from node_modules."""
    return network


@pytest.fixture
def page_events() -> PageEvents:
    return PageEvents()


@pytest.fixture
def context(browser, network, page_events):
    ctx = browser.new_context(
        viewport=VIEWPORT, locale="en-US", timezone_id="UTC", service_workers="block"
    )
    ctx.set_default_timeout(30_000)
    ctx.route("**/*", network.handle)
    page_events.attach(ctx)
    yield ctx
    ctx.close()
    # Every browser test, whatever it checks: no page asked the internet for anything but
    # basemap tiles (tests that choose the offline basemap also assert there were none).
    network.assert_offline(allow_tiles=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


@pytest.fixture
def page(context, request):
    page = context.new_page()
    yield page
    report = getattr(request.node, "_e2e_report_call", None)
    if report is not None and report.failed and not page.is_closed():
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        name = "FAILED-" + "".join(
            c if c.isalnum() or c in "-_." else "_" for c in request.node.nodeid
        )
        with contextlib.suppress(PlaywrightError):
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name[:150]}.png"))


@pytest.fixture
def app_page(page, streamlit_server):
    """``page`` opened on the session's app, after its first run finished."""
    open_app(page, streamlit_server.url, timeout=120_000)
    return page
