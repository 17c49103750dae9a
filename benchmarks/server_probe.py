"""A Streamlit server that logs what it does for each browser session, for the benchmarks only:

    BENCH_PROBE_LOG=/tmp/probe.jsonl python -m benchmarks.server_probe run dashboard.py --server.headless true ...

It is `python -m streamlit` with three hooks installed first, each appending one JSON line to $BENCH_PROBE_LOG
(wall-clock `t`, `session`): "session" when Streamlit creates a session (a browser tab connected), "run" when a
script run of it starts, "chart" when the session's script hands over its first Plotly chart (the chart's
message is queued for the browser then). Timing the server this way does not depend on how fast the machine's
browsers are: 'eight visitors arriving together' becomes, per session, seconds from connection to first chart.
Hooks into Streamlit internals of the pinned version (1.67); a hook that no longer fits is skipped, not fatal.
"""
from __future__ import annotations

import functools
import json
import os
import sys
import threading
import time

LOG = os.environ.get("BENCH_PROBE_LOG")
_lock = threading.Lock()
_charted: set[str] = set()


def _write(event: str, session: str | None) -> None:
    if not LOG or not session:
        return
    with _lock, open(LOG, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"event": event, "session": session, "t": time.time()}) + "\n")


def _install() -> None:
    import streamlit
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.runtime import app_session
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    original_session_init = app_session.AppSession.__init__

    @functools.wraps(original_session_init)
    def session_init(self, *args, **kwargs):
        original_session_init(self, *args, **kwargs)
        _write("session", getattr(self, "id", None))

    app_session.AppSession.__init__ = session_init

    original_run = script_runner.ScriptRunner._run_script

    @functools.wraps(original_run)
    def run_script(self, *args, **kwargs):
        _write("run", getattr(self, "_session_id", None))
        return original_run(self, *args, **kwargs)

    script_runner.ScriptRunner._run_script = run_script

    original_chart = DeltaGenerator.plotly_chart

    @functools.wraps(original_chart)
    def plotly_chart(self, *args, **kwargs):
        result = original_chart(self, *args, **kwargs)
        ctx = get_script_run_ctx()
        session = getattr(ctx, "session_id", None)
        if session and session not in _charted:
            _charted.add(session)
            _write("chart", session)
        return result

    DeltaGenerator.plotly_chart = plotly_chart
    streamlit.plotly_chart = streamlit._main.plotly_chart  # bound at import time to the original


def read_log(path: str) -> dict[str, dict[str, float]]:
    """Per session: the first time of each event ("session", "run", "chart")."""
    sessions: dict[str, dict[str, float]] = {}
    if not os.path.exists(path):
        return sessions
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            sessions.setdefault(record["session"], {}).setdefault(record["event"], record["t"])
    return sessions


if __name__ == "__main__":
    try:
        _install()
    except (ImportError, AttributeError) as err:  # a Streamlit whose internals moved: serve unprobed
        print(f"server_probe: hooks not installed ({err})", file=sys.stderr)
    from streamlit.web.cli import main

    sys.argv[0] = "streamlit"
    main(prog_name="streamlit")
