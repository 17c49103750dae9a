"""Plotly figures as PNG images for the brief: kaleido 1.x driving a Chromium installed on the system.

The browser is found the way kaleido finds it (its `BROWSER_PATH` variable, else `chromium` on the PATH);
on Streamlit Community Cloud `packages.txt` installs it. One kaleido render server is started on the first brief
and kept for the life of the process: starting a browser for every chart costs seconds, a render ~0.3 s.
"""
from __future__ import annotations

import atexit
import os
import shutil
import threading
import time
import warnings

import plotly.graph_objects as go
import plotly.io as pio

from compute_ledger.i18n import said, t_later

BROWSER_ENV = "BROWSER_PATH"  # kaleido's (choreographer's) own variable
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")  # untranslated: program names
CHART_WIDTH_PX = 800  # drawn at this width and scaled 2x for print: at 800 px its 11-12 px labels print at ~7 pt
CHART_SCALE = 2
# The page's figure, drawn with a print theme: under Streamlit every new figure carries Streamlit's template,
# which the browser fills in from the app's theme and which leaves the axes' margins to it (kaleido would cut
# the provider names off). The data, order, labels and sizes stay the page's own.
PRINT_TEMPLATE = "plotly_white"

_lock = threading.Lock()
_server_running = False
FAILURE_SHOWN_S = 600  # how long the Overview says, beside its button, why the last brief's chart was not drawn
# The last failure, for every reader of this server: (when, why). `why` is English that keeps its template
# (i18n.t_later), said in the language of whoever reads it (`recent_failure`).
_last_failure: tuple[float, str] | None = None


class RendererMissing(RuntimeError):
    """No browser to draw the charts with: the brief cannot be made here."""


def browser_path() -> str | None:
    configured = os.environ.get(BROWSER_ENV)
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return next((path for name in BROWSER_NAMES if (path := shutil.which(name))), None)


def _missing_browser() -> str | None:
    if browser_path():
        return None
    configured = os.environ.get(BROWSER_ENV)
    if configured:
        return t_later("The PDF brief is not available here: it draws its chart with Chromium, and {setting} is not "
                       "a browser. Install Chromium (packages.txt on Streamlit Community Cloud) or set BROWSER_PATH.",
                       setting=f"{BROWSER_ENV}={configured}")
    return t_later("The PDF brief is not available here: it draws its chart with Chromium, and no Chromium on this "
                   "server. Install Chromium (packages.txt on Streamlit Community Cloud) or set BROWSER_PATH.")


def renderer_problem() -> str | None:
    """Why charts cannot be drawn here, in words for the page (the current language); None when they can."""
    problem = _missing_browser()
    return said(problem) if problem else None


def failed(error: Exception) -> str:
    """Why the chart could not be drawn, in words for the brief (the current language); kept for `recent_failure`."""
    global _last_failure
    if isinstance(error, RendererMissing) and error.args and isinstance(error.args[0], str):
        why = error.args[0]
    else:
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        why = (reason if isinstance(error, RendererMissing)
               else t_later("the browser that draws it failed ({kind}: {reason})", kind=type(error).__name__,
                            reason=reason))
    _last_failure = (time.monotonic(), why)
    return said(why)


def recent_failure() -> str | None:
    """The reason the last brief's chart was not drawn, if that was in the last FAILURE_SHOWN_S seconds, in the
    current reader's language (the failure may have been another reader's)."""
    if _last_failure and time.monotonic() - _last_failure[0] < FAILURE_SHOWN_S:
        return said(_last_failure[1])
    return None


def _stop_server() -> None:
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)


def chart_png(fig: go.Figure, width: int = CHART_WIDTH_PX, scale: int = CHART_SCALE) -> bytes:
    """The figure as a PNG, at its own height; raises RendererMissing when no browser is found."""
    global _server_running
    problem = _missing_browser()
    if problem:
        raise RendererMissing(problem)
    import kaleido

    printable = go.Figure(fig)
    printable.update_layout(template=PRINT_TEMPLATE)
    printable.update_xaxes(automargin=True)
    printable.update_yaxes(automargin=True)
    height = fig.layout.height or 450
    with _lock:
        for attempt in (1, 2):
            if not _server_running:
                kaleido.start_sync_server(silence_warnings=True)
                if attempt == 1:
                    atexit.register(_stop_server)
                _server_running = True
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "kopts is ignored when using a server": we pass none
                    return pio.to_image(printable, format="png", width=width, height=height, scale=scale)
            except Exception:
                # A render server whose browser died (killed, out of memory) fails every call: start a new one once.
                _stop_server()
                _server_running = False
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")  # untranslated: never shown
