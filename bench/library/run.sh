#!/usr/bin/env bash
# Issue 18 acceptance bench, one run, side by side with ripgrep, best of 3:
#   corpus (generated with the tests' generator, every form; never committed, deleted at
#   the end) -> `fangtan index` (MB/s, index size) -> `fangtan search` vs `rg -c -F` at
#   two sizes -> time to the first result line -> `fangtan library` from a warm cache ->
#   the library screen's first rows in tmux and the reader's peak memory after a search.
#
# usage: bench/library/run.sh            (2,000 documents ~1 GB, and 500 ~250 MB)
#        SIZES="100:50" bench/library/run.sh   (a quick try: DOCS:MEGABYTES, space separated)
#        RUNS=1 (fewer repeats), FANGTAN_BIN=path/to/fangtan (measure another build)
# Needs about twice the corpus free in $TMPDIR (the corpus and its index). Prints a table.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SIZES=${SIZES:-"500:250 2000:1000"}
RUNS=${RUNS:-3}
WORDS=(Zorvath quillmoss 数据)

need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2"; }; }
need rg ripgrep
need tmux tmux

echo "building (release)..." >&2
(cd "$HERE" && cargo build --release --quiet --bin corpus --bin firstline)
B=$HERE/target/release
# FANGTAN_BIN: measure that build instead of this tree's (e.g. another branch's).
if [ -n "${FANGTAN_BIN:-}" ]; then FT=$FANGTAN_BIN; else
  (cd "$ROOT" && cargo build --release --quiet --bin fangtan)
  FT=$ROOT/target/release/fangtan
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fangtan-bench.XXXXXX")
SESSION="fangtan-bench-$$"
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export FANGTAN_DATA_DIR="$WORK/data"
mkdir -p "$FANGTAN_DATA_DIR"

HAS_INDEX=0
if "$FT" --help | grep -qE '^  index '; then HAS_INDEX=1; else
  echo "note: \`fangtan index\` does not exist in this build: index rows skipped" >&2
fi

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# Best (smallest) of the numbers on stdin.
best() { sort -g | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# Wall time of a command in ms, best of $RUNS, output thrown away.
wall() {
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(now_ms); "$@" >/dev/null 2>&1 || true; t1=$(now_ms)
    echo $((t1 - t0))
  done | best
}

row() { printf '| %-54s | %14s | %14s | %7s |\n' "$@"; }

echo
row "measure" "fangtan" "ripgrep" "ratio"
row "------------------------------------------------------" "--------------" "--------------" "-------"

for size in $SIZES; do
  docs=${size%%:*}; mb=${size##*:}
  DIR="$WORK/lib-$docs"
  export FANGTAN_CACHE_DIR="$WORK/cache-$docs"
  echo "generating $docs documents, ~$mb MB..." >&2
  "$B/corpus" "$DIR" "$docs" "$mb" >&2
  bytes=$(du -sb "$DIR" | cut -f1)
  cmb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }')
  tag="${docs} docs ${cmb} MB"
  cat $(find "$DIR" -type f) >/dev/null   # warm page cache

  if [ "$HAS_INDEX" = 1 ]; then
    best_ms=$(for _ in $(seq "$RUNS"); do
      rm -rf "$FANGTAN_CACHE_DIR"
      t0=$(now_ms); "$FT" index "$DIR" >/dev/null; t1=$(now_ms); echo $((t1 - t0))
    done | best)
    isize=$(du -sb "$FANGTAN_CACHE_DIR" | cut -f1)
    row "$tag: index build (ms, MB/s)" "$best_ms ms" "-" "$(awk -v b="$bytes" -v t="$best_ms" 'BEGIN { printf "%.0f MB/s", b / 1e6 / (t / 1000) }')"
    row "$tag: index size / corpus" "$((isize / 1000000)) MB" "-" "$(ratio "$isize" "$bytes")"
  else
    row "$tag: index build" "no \`index\`" "-" "-"
    # Let whatever the library caches on its own be there (a warm cache).
    "$FT" library "$DIR" --format json >/dev/null
  fi

  for w in "${WORDS[@]}"; do
    lines=0; firsts=(); totals=()
    for _ in $(seq "$RUNS"); do
      read -r first total lines < <("$B/firstline" "$FT" search "$DIR" "$w" --format json || true)
      firsts+=("$first"); totals+=("$total")
    done
    ft=$(printf '%s\n' "${totals[@]}" | best)
    f1=$(printf '%s\n' "${firsts[@]}" | grep -v '^-$' | best || true)
    rgms=$(wall rg -c -F "$w" "$DIR")
    rgn=$( (rg -c -F "$w" "$DIR" || true) | awk -F: '{ s += $NF } END { print s + 0 }')
    row "$tag: search $w (ms; hits / rg lines)" "$ft ms ($lines)" "$rgms ms ($rgn)" "$(ratio "$ft" "$rgms")"
    row "$tag: first result line $w" "${f1:--} ms" "-" "-"
  done

  lib_ms=$(wall "$FT" library "$DIR" --format json)
  row "$tag: library --format json (warm)" "$lib_ms ms" "-" "-"

  # The library screen: time to the first row, and memory after a search in it.
  first_screen=""; hwm=""
  for _ in $(seq "$RUNS"); do
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    # A pane that stays when its command ends, then the reader started in it.
    tmux new-session -d -s "$SESSION" -x 160 -y 45 "sleep 600"
    tmux set-option -t "$SESSION" remain-on-exit on >/dev/null
    t0=$(now_ms)
    tmux respawn-pane -k -t "$SESSION" \
      "exec env FANGTAN_CACHE_DIR='$FANGTAN_CACHE_DIR' FANGTAN_DATA_DIR='$FANGTAN_DATA_DIR' '$FT' '$DIR'"
    seen=""
    for _ in $(seq 4000); do
      if tmux capture-pane -p -t "$SESSION" 2>/dev/null | grep -qE 'ep0[0-9]{3}|Episode [0-9]|第[0-9]+集'; then
        seen=$(( $(now_ms) - t0 )); break
      fi
      sleep 0.002
    done
    [ -n "$seen" ] && first_screen+="$seen"$'\n'
    pid=$(tmux display-message -p -t "$SESSION" '#{pane_pid}' 2>/dev/null || true)
    dead=$(tmux display-message -p -t "$SESSION" '#{pane_dead}' 2>/dev/null || echo 1)
    if [ "$dead" = 0 ] && [ -n "$pid" ]; then
      tmux send-keys -t "$SESSION" / && tmux send-keys -t "$SESSION" -l Zorvath && tmux send-keys -t "$SESSION" Enter
      # Until the screen settles (the search done): unchanged for 1.5 s, at most 2 minutes.
      prev=""; same=0
      for _ in $(seq 240); do
        sleep 0.5
        cur=$(tmux capture-pane -p -t "$SESSION" 2>/dev/null || true)
        if [ "$cur" = "$prev" ]; then same=$((same + 1)); else same=0; fi
        [ "$same" -ge 3 ] && break
        prev=$cur
      done
      kb=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$kb" ] && hwm="$kb"
    fi
  done
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  fs=$(printf '%s' "$first_screen" | best || true)
  row "$tag: library screen, first row (tmux)" "${fs:--} ms" "-" "-"
  if [ -n "$hwm" ]; then
    row "$tag: reader peak memory after a search" "$((hwm / 1024)) MB" "-" "-"
  else
    row "$tag: reader peak memory after a search" "n/a (exited)" "-" "-"
  fi
  rm -rf "$DIR" "$FANGTAN_CACHE_DIR"
done
