#!/usr/bin/env bash
# The bounded fuzzing step of CI (.ci/run calls it after the tests; see fuzz/README.md).
#
# 1. Replays every saved crash input under fuzz/crashes/<harness>/ through its
#    harness: a fixed bug that comes back fails here first.
# 2. Runs each harness for FUZZ_SECONDS (default 20) from a seed corpus built
#    from our test examples (large messages included), with a fixed libFuzzer
#    seed so that a run is repeatable, and -max_len of FUZZ_MAX_LEN (default
#    1 MiB: libFuzzer's own default of 4096 bytes never tries a large input
#    and would cut the large seeds short).  Any crash, hang (60 s on one input) or memory blow-up
#    (2 GiB) fails the step; libFuzzer saves the input under
#    fuzz/crashes/<harness>/ and this script prints it in base64, so it can
#    be turned into a regression test from the CI log alone.
#
# About 10 minutes in all with the default FUZZ_SECONDS: libFuzzer runs every
# seed once first, the large ones included.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python}
SECONDS_PER_HARNESS=${FUZZ_SECONDS:-20}
FUZZ_SEED=${FUZZ_SEED:-1}
MAX_LEN=${FUZZ_MAX_LEN:-1048576}

# harness -> seed kind (fuzz/seeds.py) and whether the XML dictionary helps it.
HARNESSES=(
    "parse xml dict"
    "parse_commands xml dict"
    "decode_tool xml dict"
    "structured xml -"
    "wbxml wbxml -"
    "wbxml_agreement xml dict"
    "validate xml dict"
    "server_session session -"
    "ddf xml dict"
    "notification notification -"
)

# atheris is a fuzz-only dependency (the "fuzz" extra), not a runtime one.
"$PYTHON" -c "import atheris" 2>/dev/null || "$PYTHON" -m pip install --quiet -e ".[fuzz]"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for kind in xml wbxml session notification; do
    "$PYTHON" fuzz/seeds.py "--$kind" "$work/seeds-$kind" >/dev/null
done

failed=()

report() {  # harness, dir: print what libFuzzer saved
    local found
    found=$(find "$2" -maxdepth 1 -type f -newer "$work/started" 2>/dev/null || true)
    for file in $found; do
        echo "fuzz: $1 saved $file (base64 below)"
        base64 -w0 "$file"
        echo
    done
}

touch "$work/started"

echo "fuzz: replaying saved crash inputs"
for dir in fuzz/crashes/*/; do
    [ -d "$dir" ] || continue
    harness=$(basename "$dir")
    inputs=("$dir"*)
    [ -e "${inputs[0]}" ] || continue
    # Given files rather than a directory, libFuzzer runs each once and stops.
    if ! "$PYTHON" "fuzz/fuzz_$harness.py" "${inputs[@]}" >"$work/replay-$harness.log" 2>&1; then
        tail -n 30 "$work/replay-$harness.log"
        failed+=("replay of $harness")
    fi
done

for entry in "${HARNESSES[@]}"; do
    read -r harness kind dict <<<"$entry"
    crashes="fuzz/crashes/$harness"
    mkdir -p "$crashes" "$work/corpus-$harness"
    options=(
        -max_total_time="$SECONDS_PER_HARNESS" -max_len="$MAX_LEN" -timeout=60 -rss_limit_mb=2048 -seed="$FUZZ_SEED"
        -print_final_stats=1 -artifact_prefix="$crashes/"
    )
    [ "$dict" = dict ] && options+=(-dict=fuzz/syncml.dict)
    echo "fuzz: $harness for ${SECONDS_PER_HARNESS}s"
    if "$PYTHON" "fuzz/fuzz_$harness.py" "${options[@]}" "$work/corpus-$harness" "$work/seeds-$kind" \
        >"$work/$harness.log" 2>&1; then
        grep -E "stat::number_of_executed_units" "$work/$harness.log" || true
    else
        tail -n 40 "$work/$harness.log"
        report "$harness" "$crashes"
        failed+=("$harness")
    fi
    rmdir "$crashes" 2>/dev/null || true  # keep only directories that hold something
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: no crash"
