"""`attrdb serve` over the 100 M-value store of bench_queries (1 000 x 128 x 800).

GET /api/capacity?run=big against a running server (the store opened per request, read in one
snapshot), median of 9 after one warm-up, side by side with the same table from the command line as
a whole process (the baseline: what a script would do without the server); 50 concurrent requests
of the API (capacity, top, profile, concentration), all checked against their sequential answers.
"""
import json, os, re, signal, statistics, subprocess, time, urllib.request
from concurrent.futures import ThreadPoolExecutor


def fetch(base, path):
    start = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=120) as response:
        body = response.read()
    return time.perf_counter() - start, body


def bench(args, work, row, run):
    store = os.path.join(work, "big.sqlite")
    print("\n== attrdb serve over the 100 M-value store")
    server = subprocess.Popen([args.attrdb, "--db", store, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = re.search(r"http://[^/ ]+", server.stdout.readline().decode()).group(0)
        path = "/api/capacity?run=big"
        fetch(base, path)  # warm-up: the page cache, as the baseline's is warm too
        api_s = statistics.median([fetch(base, path)[0] for _ in range(9)])
        cli = [args.attrdb, "--db", store, "capacity", "--run", "big", "--format", "json"]
        run(cli)
        cli_s = statistics.median([run(cli)[0] for _ in range(5)])
        same = fetch(base, path)[1].decode() == run(cli)[1]
        row("GET /api/capacity, median of 9, ms (target <= 200)", api_s * 1000, "ms", target=api_s <= 0.2)
        row("  attrdb capacity --format json, whole process (baseline), ms", cli_s * 1000, "ms")
        row("  API time / command-line time", api_s / cli_s, "x")
        row("  API answer equals the command line's, byte for byte (1 = yes)", 1.0 if same else 0.0, "", target=same)

        label = json.loads(fetch(base, "/api/top?run=big&k=1")[1])[0]["component"]
        paths = ["/api/capacity?run=big&checkpoint=last", "/api/top?run=big&k=10",
                 "/api/profile?run=big&component=" + urllib.request.quote(label), "/api/concentration?run=big&checkpoint=every:100"]
        expected = {p: fetch(base, p)[1] for p in paths}
        requests = [paths[i % len(paths)] for i in range(50)]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=50) as pool:
            answers = list(pool.map(lambda p: fetch(base, p), requests))
        wall = time.perf_counter() - start
        correct = sum(body == expected[p] for p, (_, body) in zip(requests, answers))
        row("50 concurrent API requests, wall seconds", wall, "s", f"(slowest {max(s for s, _ in answers) * 1000:.0f} ms)")
        row("  answers equal to their sequential answer (target 50)", correct, "", target=correct == 50)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
