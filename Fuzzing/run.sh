#!/usr/bin/env bash
# Runs every libFuzzer harness for SECONDS each (default 60) on one core, seeded from
# .build-fuzz/seeds (Fuzzing/seeds.py), keeping each harness's growing corpus in
# .build-fuzz/corpus/<harness> between runs. A crash, a leak, a timeout (10 s) or an out-of-memory
# (2 GiB) stops that harness and leaves its input in .build-fuzz/crashes/; the script then exits 1.
# Usage: Fuzzing/run.sh [SECONDS] [HARNESS...]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
bin=.build-fuzz/debug
declare -A binary=([npy-header]=FuzzNPYHeader [npy]=FuzzNPY [npz]=FuzzNPZ [csv]=FuzzCSV [jsonl]=FuzzJSONLines
                   [json]=FuzzJSON [axes]=FuzzAxes [gzip]=FuzzGzip [frames]=FuzzFrames)
# Inputs large enough for every seed; larger ones only slow each run without reaching new code.
declare -A maxlen=([npy-header]=4096 [npy]=8192 [npz]=8192 [csv]=4096 [jsonl]=4096 [json]=4096 [axes]=8192 [gzip]=4096 [frames]=8192)
# ZIPFoundation's Archive(url:), which NPZArchive opens every archive with, leaks the C string of the
# path (FileManager.fileSystemRepresentation, never freed: about 40 bytes an archive). Until that is
# fixed, leak detection would stop the npz harness at its first input and fuzz nothing.
declare -A extra=([npz]=-detect_leaks=0)
declare -A asan=([npz]=detect_leaks=0)
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(npy-header npy npz csv jsonl json axes gzip frames)
mkdir -p .build-fuzz/crashes .build-fuzz/logs
failed=0
for h in "${harnesses[@]}"; do
    mkdir -p ".build-fuzz/corpus/$h"
    log=".build-fuzz/logs/$h.log"
    ASAN_OPTIONS="${asan[$h]:-}" "$bin/${binary[$h]}" ".build-fuzz/corpus/$h" ".build-fuzz/seeds/$h" \
        -max_total_time="$seconds" -max_len="${maxlen[$h]}" -timeout=10 -rss_limit_mb=2048 \
        -use_value_profile=1 -print_final_stats=1 ${extra[$h]:-} -artifact_prefix=".build-fuzz/crashes/$h-" >"$log" 2>&1
    status=$?
    # The last status line: executions, coverage (cov: edges, ft: features), corpus size.
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | head -1)
    echo "fuzz $h: exit $status, $runs runs in ${seconds} s; last: $last"
    if [ $status -ne 0 ]; then
        failed=1
        grep -E 'ERROR|SUMMARY|Fatal error|Test unit written|deadly signal' "$log" | head -8 | sed 's/^/    /'
    fi
done
exit $failed
