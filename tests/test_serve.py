"""`briefgen serve`: output/ on 127.0.0.1, and the open page reloads itself after a rebuild.

The end-to-end test drives the system's Chromium through Playwright: it opens the
served briefing, edits a fact on disk, and waits for the page to show the new
title without being told to reload.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEADLINE,
    MINIMAL_SHEET,
    LiveCommand,
    minimal_project,
    run,
    wait_for,
)

from briefgen.errors import Problem
from briefgen.serve import HOST, SCRIPT_PATH, STATE_PATH, PreviewServer, with_reload_script
from briefgen.watch import Rebuild

PAGE = "<!DOCTYPE html>\n<html><body><h1>A briefing</h1></body></html>\n"


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=DEADLINE) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    output = tmp_path / "output"
    output.mkdir()
    (output / "brief.html").write_text(PAGE)
    (output / "brief.pdf").write_bytes(b"%PDF-1.7 fake")
    (output / ".brief.html.x.part").write_text("half written")
    (tmp_path / "secret.txt").write_text("not in output/")
    preview = PreviewServer(output, 0)
    preview.start()
    yield preview
    preview.close()


def test_server_listens_on_loopback_only(server: PreviewServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", server.url)
    assert not server.url.endswith(":0/")


def test_pages_get_the_reload_script_and_the_file_does_not(server: PreviewServer) -> None:
    status, kind, body = _get(server.url + "brief.html")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    digest = server.digest("brief.html")
    assert body.decode() == PAGE.replace(
        "</body>",
        f'<script src="{SCRIPT_PATH}" data-page="brief.html" data-digest="{digest}"></script>\n'
        "</body>",
    )
    assert (server.output_dir / "brief.html").read_text() == PAGE
    status, kind, body = _get(server.url + SCRIPT_PATH.lstrip("/"))
    assert (status, kind) == (200, "text/javascript; charset=utf-8")
    assert b"location.reload()" in body


def test_index_lists_the_outputs(server: PreviewServer) -> None:
    status, _, body = _get(server.url)
    assert status == 200
    assert '<li><a href="brief.html">brief.html</a></li>' in body.decode()
    assert '<li><a href="brief.pdf">brief.pdf</a></li>' in body.decode()
    assert ".part" not in body.decode()


def test_other_files_are_served_as_they_are(server: PreviewServer) -> None:
    assert _get(server.url + "brief.pdf") == (200, "application/pdf", b"%PDF-1.7 fake")


@pytest.mark.parametrize(
    "path",
    [
        "secret.txt",
        "../secret.txt",
        "%2e%2e/secret.txt",
        "..%2fsecret.txt",
        ".brief.html.x.part",
        "output/brief.html",
        "nothing.html",
    ],
)
def test_nothing_outside_output_is_served(server: PreviewServer, path: str) -> None:
    status, _, body = _get(server.url + path)
    assert (status, body) == (404, b"not found\n")


def test_state_follows_the_file_and_the_last_build(server: PreviewServer) -> None:
    def state() -> dict[str, object]:
        return json.loads(_get(server.url + STATE_PATH.lstrip("/") + "?page=brief.html")[2])

    first = state()
    assert first == {"digest": server.digest("brief.html"), "problems": [], "warnings": []}
    (server.output_dir / "brief.html").write_text(PAGE.replace("A briefing", "Another"))
    assert state()["digest"] != first["digest"]

    problem = Problem("facts/a.yaml", 3, 5, "unknown key 'x' in a fact")
    server.publish(Rebuild(("facts/a.yaml",), (), (problem,)))
    assert state()["problems"] == ["facts/a.yaml:3:5: error: unknown key 'x' in a fact"]
    server.publish(Rebuild(("facts/a.yaml",), (), (problem.as_warning(),)))
    assert state()["problems"] == []
    # A build with warnings only: the banner shows them, collapsed.
    assert state()["warnings"] == ["facts/a.yaml:3:5: warning: unknown key 'x' in a fact"]
    server.publish(Rebuild((), (), (), "PDF: refused; nothing was written"))
    assert state()["problems"] == ["PDF: refused; nothing was written"]
    assert state()["warnings"] == []


def _raw_get(server: PreviewServer, target: str, host: str | None) -> tuple[int, bytes]:
    """GET `target` exactly as written, with `host` as the Host header (None: no header)."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=DEADLINE)
    try:
        connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host.replace("PORT", str(server.port)))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:PORT", "localhost", "LocalHost:PORT", "[::1]", "[::1]:PORT"]
)
def test_loopback_names_are_answered(server: PreviewServer, host: str) -> None:
    status, body = _raw_get(server, "/brief.html", host)
    assert status == 200
    assert b"<h1>A briefing</h1>" in body


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example",
        "attacker.example:PORT",
        "127.0.0.1.attacker.example:PORT",
        "localhost.:PORT",
        "127.0.0.1:1",
        "[::1]:1",
        "0.0.0.0:PORT",
        "",
        None,
    ],
)
def test_any_other_host_gets_nothing(server: PreviewServer, host: str | None) -> None:
    """A page whose name was made to resolve here (DNS rebinding) reads nothing."""
    server.publish(Rebuild(("facts/a.yaml",), (), (Problem("facts/a.yaml", 1, 1, "secret"),)))
    for target in ("/brief.html", "/", STATE_PATH + "?page=brief.html", SCRIPT_PATH):
        assert _raw_get(server, target, host) == (421, b"misdirected request\n")


@pytest.mark.parametrize(
    "target",
    [
        "/%00",
        "/brief.html%00",
        "/%ff%fe.html",
        "/%1b%5b31m.html",
        "/brief%0a.html",
        "/" + "a" * 5000 + ".html",
        STATE_PATH + "?page=%00",
        STATE_PATH + "?page=" + "a" * 5000,
    ],
)
def test_odd_bytes_in_a_url_get_an_answer_not_a_traceback(
    server: PreviewServer, target: str, capfd: pytest.CaptureFixture[str]
) -> None:
    status, body = _raw_get(server, target, "127.0.0.1")
    if target.startswith(STATE_PATH):
        assert (status, json.loads(body)["digest"]) == (200, "missing")
    elif "a" * 5000 in target:
        assert (status, body) == (404, b"not found\n")
    else:
        assert (status, body) == (400, b"bad request\n")
    assert capfd.readouterr().err == ""


def test_reload_script_goes_before_the_end_of_the_body() -> None:
    assert with_reload_script(b"<p>no body tag</p>", "x.html", "d").startswith(
        b'<p>no body tag</p><script src="/__briefgen/reload.js" data-page="x.html"'
    )
    # fact text saying </body> is escaped in a page, so the last real tag is the end
    tagged = with_reload_script(b"<body><p>&lt;/body&gt;</p></body>\n", 'a"b.html', "d")
    assert tagged == (
        b"<body><p>&lt;/body&gt;</p>"
        b'<script src="/__briefgen/reload.js" data-page="a&quot;b.html" data-digest="d">'
        b"</script>\n</body>\n"
    )


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", port, "--project", project)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot serve on 127.0.0.1:{port}: Address already in use; "
        "pass --port 0 to use any free port\n"
    )
    assert not (project / "output").exists()


@pytest.mark.slow
def test_serve_reloads_the_open_page_in_a_browser(tmp_path: Path, live: type[LiveCommand]) -> None:
    from playwright.sync_api import Locator, sync_playwright

    project = minimal_project(tmp_path)
    sheet = project / "facts/main.yaml"
    command = live("serve", "--port", "0", "--project", project)
    url = command.expect(re.compile(r"serving http://127\.0\.0\.1:\d+/")).split()[-1]
    command.expect("output/brief.html")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "brief.html")

            def title(text: str) -> Locator:
                return page.locator("article h3", has_text=text)

            assert title("A fact").count() == 1
            # A mark that only survives if nobody reloads the page.
            page.evaluate("window.briefgenMark = 'original'")

            sheet.write_text(MINIMAL_SHEET.replace("title: A fact", "title: A retitled fact"))
            title("A retitled fact").wait_for(timeout=DEADLINE * 1000)
            assert page.evaluate("window.briefgenMark") is None  # it reloaded by itself

            sheet.write_text(MINIMAL_SHEET.replace("confidence: moderate", "confidence: hgh"))
            banner = page.locator("#briefgen-problems")
            banner.wait_for(timeout=DEADLINE * 1000)
            assert banner.inner_text() == (
                "The last build failed; this is the last good page.\n"
                "facts/main.yaml:17:17: error: 'hgh' is not a valid confidence "
                "(did you mean 'high'?)"
            )
            assert title("A retitled fact").count() == 1  # the last good page stays

            sheet.write_text(MINIMAL_SHEET)
            banner.wait_for(state="detached", timeout=DEADLINE * 1000)
            title("A fact").wait_for(timeout=DEADLINE * 1000)

            # No error but a warning: shown collapsed, one line that opens to the list.
            sheet.write_text(MINIMAL_SHEET.replace("confidence: moderate", "confidence: high"))
            warnings = page.locator("details#briefgen-warnings")
            warnings.wait_for(timeout=DEADLINE * 1000)
            assert warnings.get_attribute("open") is None
            assert warnings.inner_text() == "1 warning"
            warnings.locator("summary").click()
            assert warnings.inner_text() == (
                "1 warning\nfacts/main.yaml:17:17: warning: fact 'fact-one' has high confidence "
                "but is single-sourced (ICD 203 high confidence rests on several independent "
                "sources; cite an independent source or lower the confidence to moderate)"
            )
        finally:
            browser.close()

    wait_for(lambda: (project / "output/brief.pdf").is_file(), "the PDF")
    built = (project / "output/brief.html").read_text()
    assert "A fact" in built
    assert "__briefgen" not in built and "<script" not in built
    assert command.interrupt() == 0


@pytest.mark.slow
def test_serve_started_by_a_script_keeps_ignoring_ctrl_c_and_stops_on_sigterm(
    tmp_path: Path, live: type[LiveCommand]
) -> None:
    project = minimal_project(tmp_path)
    command = live("serve", "--port", "0", "--project", project, sigint_ignored=True)
    url = command.expect(re.compile(r"serving http://127\.0\.0\.1:\d+/")).split()[-1]
    command.expect("output/brief.pdf")

    command.process.send_signal(signal.SIGINT)  # the script chose to ignore it
    (project / "facts/main.yaml").write_text(MINIMAL_SHEET.replace("A fact", "A later fact"))
    command.expect(re.compile(r"\d\d:\d\d:\d\d changed: facts/main\.yaml"))
    command.expect("output/brief.pdf")
    assert b"A later fact" in _get(url + "brief.html")[2]

    assert command.stop(signal.SIGTERM) == 0
    command.expect("stopped; output/ holds the last good build")
    with pytest.raises(urllib.error.URLError):
        _get(url)  # the server is closed
