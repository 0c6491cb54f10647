"""Previewing: serve output/ on 127.0.0.1 and reload the open page after each rebuild.

Pages are served with one added script tag (the files in output/ never hold
it). The script asks /__briefgen/state every half second for a digest of the
page's file; when the digest changes the page reloads, and while the last
build failed it shows the problems in a banner over the last good page.
Polling keeps the server to the standard library and works through any proxy.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .formats import format_for_file
from .watch import Rebuild

HOST = "127.0.0.1"  # never another interface: a preview is for the person at this machine
# The names a page on this machine reaches the server by. Any other Host is a page
# elsewhere that made its own name resolve here (DNS rebinding): it gets nothing.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
STATE_PATH = "/__briefgen/state"
SCRIPT_PATH = "/__briefgen/reload.js"

RELOAD_SCRIPT = """\
// briefgen serve: reload this page when its file is rebuilt; show build problems.
(() => {
  const me = document.currentScript;
  let seen = me.dataset.digest;
  const page = me.dataset.page;
  let banner = null;
  let shown = "";
  function show(problems, warnings) {
    // Redrawn only when what it says changes, so a warnings list opened stays open.
    const key = JSON.stringify([problems, warnings]);
    if (key === shown) { return; }
    shown = key;
    if (banner) { banner.remove(); banner = null; }
    if (!problems.length && !warnings.length) { return; }
    banner = document.createElement(problems.length ? "div" : "details");
    banner.id = problems.length ? "briefgen-problems" : "briefgen-warnings";
    banner.setAttribute("role", problems.length ? "alert" : "status");
    const colour = problems.length ? "#8a1c1c;background:#fff3f3" : "#7a5200;background:#fff8e6";
    banner.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:99999;" +
      "max-height:40vh;overflow:auto;margin:0;padding:.75rem 1rem;" +
      "color:" + colour + ";border-bottom:2px solid currentColor;font:14px/1.4 monospace;" +
      "white-space:pre-wrap";
    if (problems.length) {
      banner.textContent = "The last build failed; this is the last good page.\\n" +
        problems.join("\\n");
    } else {
      // Warnings do not stop a build: one line, collapsed, that opens to the list.
      const summary = document.createElement("summary");
      summary.textContent = warnings.length === 1 ? "1 warning" : warnings.length + " warnings";
      banner.appendChild(summary);
      banner.appendChild(document.createTextNode(warnings.join("\\n")));
    }
    document.body.appendChild(banner);
  }
  async function poll() {
    try {
      const url = "STATE_PATH?page=" + encodeURIComponent(page);
      const state = await (await fetch(url, {cache: "no-store"})).json();
      if (state.digest !== seen) { seen = state.digest; location.reload(); return; }
      show(state.problems, state.warnings);
    } catch (error) { /* the server is restarting or stopped; keep trying */ }
    setTimeout(poll, 500);
  }
  setTimeout(poll, 500);
})();
""".replace("STATE_PATH", STATE_PATH)


class PreviewServer:
    """An HTTP server for one project's output/ folder, run in a background thread."""

    def __init__(self, output_dir: Path, port: int = 0) -> None:
        """Bind 127.0.0.1:`port` (0: any free port); raises OSError if it is taken."""
        self.output_dir = output_dir
        self._problems: list[str] = []
        self._warnings: list[str] = []
        self._lock = threading.Lock()
        self._httpd = _QuietServer((HOST, port), _handler_for(self))
        # close() waits for the serving loop's next poll: 0.1 s, not socketserver's 0.5 s.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def publish(self, rebuild: Rebuild) -> None:
        """Record the outcome of a build, for the banner on open pages."""
        problems = [] if rebuild.ok else [str(p) for p in rebuild.problems]
        if rebuild.failure:
            problems.append(rebuild.failure)
        warnings = [str(p) for p in rebuild.problems] if rebuild.ok else []
        with self._lock:
            self._problems = problems
            self._warnings = warnings

    def problems(self) -> list[str]:
        with self._lock:
            return list(self._problems)

    def warnings(self) -> list[str]:
        """The warnings of the last build, when it succeeded."""
        with self._lock:
            return list(self._warnings)

    def file(self, name: str) -> Path | None:
        """The file `name` directly inside output/, or None: nothing else is served."""
        if not name or "/" in name or "\\" in name or name.startswith("."):
            return None
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
            return None
        path = self.output_dir / name
        try:
            if path.resolve().parent != self.output_dir.resolve() or not path.is_file():
                return None
        except (OSError, ValueError):  # a name too long for the file system, say
            return None
        return path

    def digest(self, name: str) -> str:
        """A digest of what page `name` shows: its file, or the listing for the index."""
        if name == "":
            return _digest("\n".join(self.listing()).encode())
        path = self.file(name)
        return _digest(path.read_bytes()) if path else "missing"

    def listing(self) -> list[str]:
        if not self.output_dir.is_dir():
            return []
        return sorted(p.name for p in self.output_dir.iterdir() if self.file(p.name))


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a connection early is routine; anything else is a bug.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _local_host(host: str | None, port: int) -> bool:
    """Whether a request's Host names this machine's loopback, with no port or the server's."""
    if host is None:
        return False
    host = host.lower()
    split = host.index("]") + 1 if host.startswith("[") and "]" in host else host.find(":")
    name, rest = (host, "") if split < 0 else (host[:split], host[split:])
    return name in LOCAL_HOSTS and rest in ("", f":{port}")


def _request_path(raw: str) -> str | None:
    """The decoded path of a request, or None if it holds bytes no file name can."""
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        return None
    return path


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def with_reload_script(html: bytes, page: str, digest: str) -> bytes:
    """The page with the reload script added before </body> (or at its end)."""
    tag = (
        f'<script src="{SCRIPT_PATH}" data-page="{_attr(page)}" data-digest="{digest}"></script>\n'
    ).encode()
    at = html.rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _index_page(names: list[str]) -> bytes:
    items = "\n".join(f'<li><a href="{_attr(n)}">{_attr(n)}</a></li>' for n in names)
    body = f"<ul>\n{items}\n</ul>" if names else "<p>Nothing built yet.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>briefgen preview</title></head>\n"
        f"<body>\n<h1>Briefings in output/</h1>\n{body}\n</body>\n</html>\n"
    ).encode()


def _handler_for(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "briefgen-preview"

        def do_GET(self) -> None:
            if not _local_host(self.headers.get("Host"), server.port):
                self._send(b"misdirected request\n", "text/plain", HTTPStatus.MISDIRECTED_REQUEST)
                return
            parts = urlsplit(self.path)
            path = _request_path(parts.path)
            if path is None:
                self._send(b"bad request\n", "text/plain", HTTPStatus.BAD_REQUEST)
            elif path == STATE_PATH:
                name = parse_qs(parts.query).get("page", [""])[0]
                state = {
                    "digest": server.digest(name),
                    "problems": server.problems(),
                    "warnings": server.warnings(),
                }
                self._send(json.dumps(state).encode(), "application/json")
            elif path == SCRIPT_PATH:
                self._send(RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8")
            elif path == "/":
                page = with_reload_script(_index_page(server.listing()), "", server.digest(""))
                self._send(page, "text/html; charset=utf-8")
            elif (file := server.file(path.removeprefix("/"))) is None:
                self._send(b"not found\n", "text/plain", HTTPStatus.NOT_FOUND)
            else:
                entry = format_for_file(file.name)
                kind = entry.media_type if entry else "application/octet-stream"
                data = file.read_bytes()
                if kind.startswith("text/html"):  # a page: it reloads itself
                    data = with_reload_script(data, file.name, _digest(data))
                self._send(data, kind)

        def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Requests are not logged: the terminal is for build results."""

    return Handler
