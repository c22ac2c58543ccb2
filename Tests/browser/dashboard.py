#!/usr/bin/env python3
"""The dashboard of `attrdb serve` in headless Chromium, driven over the DevTools protocol.

Checks: the page loads with no console error; clicking a heatmap cell fills the top-components
table; clicking a component draws its profile; a checkpoint ingested while the page is open
appears within 2 s; hostile run and component names show as text. Saves a screenshot.

    python3 Tests/browser/dashboard.py --attrdb .build/debug/attrdb --out docs/dashboard.png

Standard library only (a small WebSocket client below): nothing to install but Debian's chromium.
Exit status 0 when every check passes, 1 with the failures listed otherwise, 77 when chromium is missing.
"""
import argparse, base64, csv, io, json, os, re, shutil, signal, socket, struct, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "tl-modadd")
HOSTILE_RUN = '<img src=x onerror=alert(1)>"run'
HOSTILE_COMPONENT = "<b onclick=alert(2)>L0H0</b>"


class DevTools:
    """One page's DevTools WebSocket: commands by id, events kept for inspection."""

    def __init__(self, url):
        host_port, path = url[len("ws://"):].split("/", 1)
        host, port = host_port.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("DevTools refused the WebSocket: " + head.decode(errors="replace"))
        self.next_id = 0
        self.events = []

    def _exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            data += chunk
        return data

    def _frame(self):
        message = b""
        while True:
            b1, b2 = self._exact(2)
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            mask = self._exact(4) if b2 & 0x80 else None
            payload = self._exact(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = b1 & 0x0F
            if opcode in (0, 1, 2):
                message += payload
                if b1 & 0x80:
                    return json.loads(message)
            elif opcode == 8:
                raise RuntimeError("DevTools closed the connection")

    def call(self, method, **params):
        self.next_id += 1
        data = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        header = bytearray([0x81])
        if len(data) < 126:
            header.append(0x80 | len(data))
        elif len(data) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        self.sock.sendall(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        while True:
            reply = self._frame()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=10.0):
        """Seconds until `expression` is truthy; raises after `timeout`."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.evaluate(expression):
                return time.monotonic() - start
            time.sleep(0.05)
        raise TimeoutError(f"not within {timeout} s: {expression}")

    def click(self, selector):
        """A real mouse click at the middle of the element `selector` names."""
        box = self.evaluate(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e) return null; e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        if box is None:
            raise RuntimeError(f"nothing matches {selector}")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def console_errors(self):
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                errors.append(json.dumps(params.get("exceptionDetails", {}))[:300])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(json.dumps(params.get("args", []))[:300])
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                errors.append(params["entry"].get("text", "")[:300])
        return errors


def attrdb(binary, *arguments, stdin=None):
    result = subprocess.run([binary, *arguments], input=stdin, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"attrdb {' '.join(arguments)}: {result.stderr.decode(errors='replace')}")
    return result.stdout.decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", required=True)
    parser.add_argument("--out", required=True, help="the screenshot (PNG)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is missing")
        return 77
    failures = []
    work = tempfile.mkdtemp(prefix="attrdb-browser-")
    db = os.path.join(work, "s.sqlite")
    server = browser = None
    try:
        # The example as a run with a hostile name; a "live" run that gets its last checkpoint later,
        # with one component renamed to markup.
        attrdb(args.attrdb, "ingest", EXAMPLE, "--run", HOSTILE_RUN, "--db", db)
        with open(os.path.join(EXAMPLE, "attributions.csv")) as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        for row in body:
            if row[2] == "L0H0":
                row[2] = HOSTILE_COMPONENT
        last = max(int(r[0]) for r in body)

        def as_csv(selected):
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows([header] + selected)
            return out.getvalue().encode()
        attrdb(args.attrdb, "ingest", "-", "--format", "csv", "--run", "live", "--db", db,
               stdin=as_csv([r for r in body if int(r[0]) != last]))

        server = subprocess.Popen([args.attrdb, "serve", "--db", db, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = server.stdout.readline().decode()
        base = re.search(r"http://[^/ ]+", line).group(0)

        profile = os.path.join(work, "profile")
        browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                    f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1400,2000",
                                    "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.monotonic() + 60
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            page.call(domain)
        page.call("Emulation.setDeviceMetricsOverride", width=1400, height=2000, deviceScaleFactor=1, mobile=False)

        def check(name, condition, detail=""):
            print(("ok   " if condition else "FAIL ") + name + (f": {detail}" if detail and not condition else ""))
            if not condition:
                failures.append(name)

        # The runs page: both runs listed, the hostile name as text.
        page.call("Page.navigate", url=base + "/")
        page.wait_for("document.querySelectorAll('#runs tbody tr').length === 2")
        names = page.evaluate("Array.from(document.querySelectorAll('#runs tbody a')).map(a => a.textContent)")
        check("runs page lists the runs with names as text", sorted(names) == sorted([HOSTILE_RUN, "live"]), names)
        check("no markup from a name on the runs page", page.evaluate("document.querySelectorAll('img').length") == 0)
        page.click("#runs tbody tr:nth-child(1) input")
        page.click("#runs tbody tr:nth-child(2) input")
        page.wait_for("!document.getElementById('compare').disabled")
        page.click("#compare")
        page.wait_for("document.querySelectorAll('#comparison-table tbody tr').length > 0")
        columns = page.evaluate("Array.from(document.querySelectorAll('#comparison-table th')).map(h => h.textContent)")
        check("ticking two runs and comparing shows their capacity side by side", "share_a" in columns and "share_b" in columns, columns)

        # The hostile run's dashboard.
        page.call("Page.navigate", url=base + "/run/" + urllib.parse.quote(HOSTILE_RUN, safe=""))
        loaded = page.wait_for("document.querySelectorAll('#heatmap rect.cell').length > 0")
        check("dashboard draws the heatmap within 1 s", loaded <= 1.0, f"{loaded:.2f} s")
        check("run name shown as text", page.evaluate("document.getElementById('run-name').textContent") == HOSTILE_RUN)
        check("no element made from the name", page.evaluate("document.querySelectorAll('img').length") == 0)
        page.wait_for("document.querySelectorAll('#losses polyline').length >= 2")
        page.wait_for("document.querySelectorAll('#clusters tbody tr').length > 0")
        page.wait_for("document.querySelectorAll('#turnover tbody tr').length > 0")

        page.click('#heatmap rect.cell[data-step="1882"][data-layer="1"]')
        page.wait_for("document.querySelectorAll('#top tbody tr').length > 0")
        title = page.evaluate("document.getElementById('top-title').textContent")
        check("clicking a heatmap cell fills the top table for that cell", "1882" in title and "layer 1" in title, title)
        layers = page.evaluate("Array.from(document.querySelectorAll('#top tbody tr')).map(r => r.cells[2].textContent)")
        check("the top table holds that layer's components", layers and set(layers) == {"1"}, layers)

        page.click("#top tbody tr")
        page.wait_for("document.querySelectorAll('#profile polyline').length === 1")
        check("clicking a component draws its profile", "Profile of" in page.evaluate("document.getElementById('profile-title').textContent"))
        height = page.evaluate("document.documentElement.scrollHeight")
        page.call("Emulation.setDeviceMetricsOverride", width=1400, height=min(int(height), 4000), deviceScaleFactor=1, mobile=False)
        page.evaluate("window.scrollTo(0, 0)")
        time.sleep(0.3)
        shot = page.call("Page.captureScreenshot", format="png")
        with open(args.out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

        # The live run: open, then its last checkpoint ingested; it must appear within 2 s.
        page.call("Emulation.setDeviceMetricsOverride", width=1400, height=2000, deviceScaleFactor=1, mobile=False)
        page.call("Page.navigate", url=base + "/run/live")
        page.wait_for("document.querySelectorAll('#heatmap rect.cell').length > 0")
        before = page.evaluate("document.querySelectorAll('#heatmap rect.cell').length")
        page.click(f'#heatmap rect.cell[data-step="0"][data-layer="0"]')
        page.wait_for("document.querySelectorAll('#top tbody tr').length > 0")
        components = page.evaluate("Array.from(document.querySelectorAll('#top tbody tr')).map(r => r.cells[1].textContent)")
        check("a hostile component name shows as text", HOSTILE_COMPONENT in components, components)
        check("no element made from the component name", page.evaluate("document.querySelectorAll('#top b').length") == 0)
        ingested = time.monotonic()
        attrdb(args.attrdb, "ingest", "-", "--format", "csv", "--run", "live", "--db", db,
               stdin=as_csv([r for r in body if int(r[0]) == last]))
        page.wait_for(f"document.querySelectorAll('#heatmap rect.cell[data-step=\"{last}\"]').length > 0", timeout=10)
        shown = time.monotonic() - ingested
        after = page.evaluate("document.querySelectorAll('#heatmap rect.cell').length")
        check("a checkpoint ingested while the page is open appears within 2 s", shown <= 2.0, f"{shown:.2f} s")
        check("the whole checkpoint appears (one cell per layer more)", after > before and (after - before) * 32 == before, f"{before} -> {after}")

        errors = page.console_errors()
        check("no console error", not errors, errors)
    finally:
        if browser:
            browser.terminate()
            browser.wait()
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
    print("FAILED: " + ", ".join(failures) if failures else "all browser checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    import urllib.parse
    sys.exit(main())
