#!/bin/sh
# Bytes fangtan and less write to their terminal: the first screen, then each of 10 pages
# (Space), in a private tmux server at 120x40 (issue 13, "leaner frames").
#
#   bench/frame-bytes.sh [FILE]        # FILE defaults to assets/sample.md
#
# Environment: FANGTAN_BIN (default target/release/fangtan, built if needed), PAGES (default
# 10), COLS and ROWS (default 120 and 40).
#
# What a program writes to its pty is copied by tmux `pipe-pane` into a file, whose size is
# read once the screen has changed and the file has stopped growing. The program is started
# by a shell that waits, with echo off, for one Enter, so the pipe is open before the first
# byte and nothing but the program's own output is counted. Waits have deadlines (a hang
# guard); a page that changed nothing (the document's end) or did not settle is told on
# stderr. Pick a document longer than PAGES screens for a fair per-page figure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
src=${1:-$repo/assets/sample.md}
pages=${PAGES:-10}
cols=${COLS:-120}
rows=${ROWS:-40}
bin=${FANGTAN_BIN:-$repo/target/release/fangtan}

die() {
    echo "frame-bytes.sh: $*" >&2
    exit 2
}

command -v tmux >/dev/null 2>&1 || die "tmux is missing (e.g. apt-get install tmux)"
command -v less >/dev/null 2>&1 || die "less is missing (e.g. apt-get install less)"
[ -r "$src" ] || die "cannot read $src"
if [ -z "${FANGTAN_BIN:-}" ] && command -v cargo >/dev/null 2>&1; then
    echo "building: cargo build --release" >&2
    (cd "$repo" && cargo build --release --quiet) || die "cargo build --release failed"
fi
[ -x "$bin" ] || die "no fangtan binary at $bin (run cargo build --release)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fangtan-bytes.XXXXXX")
sock=$tmp/tmux
T() { tmux -S "$sock" "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

T -f /dev/null new-session -d -s keep -x "$cols" -y "$rows" "sleep 100000" \; set -g status off
mkdir "$tmp/data"

sq() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }
cap() { T capture-pane -p -t run 2>/dev/null || true; }
size() { wc -c <"$tmp/out" | tr -d ' '; }

# Wait until the screen differs from $1 (3 s at most: at the end of the document a key
# changes nothing), then until the output file has not grown for 0.3 s (20 s at most).
# Returns 1 when the screen did not change, 2 when the output did not settle.
settle() {
    _n=0 _changed=0
    while [ $_n -lt 60 ]; do
        if [ "$(cap)" != "$1" ]; then
            _changed=1
            break
        fi
        _n=$((_n + 1))
        sleep 0.05
    done
    _n=0 _last=-1 _same=0
    while [ $_same -lt 6 ]; do
        _s=$(size)
        if [ "$_s" = "$_last" ]; then _same=$((_same + 1)); else _same=0 _last=$_s; fi
        _n=$((_n + 1))
        [ $_n -lt 400 ] || return 2
        sleep 0.05
    done
    [ $_changed = 1 ] || return 1
}

# measure NAME COMMAND: prints "NAME first N" and "NAME page K N" lines.
measure() {
    T kill-session -t run >/dev/null 2>&1 || true
    : >"$tmp/out"
    T new-session -d -s run -x "$cols" -y "$rows" "stty -echo; read _go; stty echo; exec $2"
    T pipe-pane -o -t run "cat >>$(sq "$tmp/out")"
    before=$(cap)
    T send-keys -t run Enter
    settle "$before" || echo "$1: no first screen (status $?)" >&2
    last=$(size)
    echo "$1 first $last"
    k=1
    while [ $k -le "$pages" ]; do
        before=$(cap)
        T send-keys -t run Space
        settle "$before" || case $? in
            1) echo "$1: page $k left the screen as it was (the end of the document?)" >&2 ;;
            *) echo "$1: page $k: the output did not settle in 20 s" >&2 ;;
        esac
        now=$(size)
        echo "$1 page $k $((now - last))"
        last=$now
        k=$((k + 1))
    done
    T send-keys -t run q
    sleep 0.2
    T kill-session -t run >/dev/null 2>&1 || true
}

f=$(sq "$src")
fangtan="env LANG=C.UTF-8 FANGTAN_DATA_DIR=$(sq "$tmp/data") $(sq "$bin") --no-resume $f"
lessc="env -u LESS -u LESSOPEN -u LESSCLOSE LANG=C.UTF-8 LESSHISTFILE=- less $f"

{
    measure fangtan "$fangtan"
    measure less "$lessc"
} >"$tmp/res"

awk -v pages="$pages" '
    $2 == "first" { first[$1] = $3 }
    $2 == "page" { sum[$1] += $4; p[$1, $3] = $4 }
    END {
        printf "%-8s %12s %14s %14s\n", "program", "first screen", "pages 1-" pages, "per page"
        for (prog in first)
            printf "%-8s %12d %14d %14.0f\n", prog, first[prog], sum[prog], sum[prog] / pages
        if (sum["less"] > 0)
            printf "fangtan/less per page: %.2f; first screen: %.2f\n",
                sum["fangtan"] / sum["less"], first["fangtan"] / first["less"]
        printf "pages:"
        for (k = 1; k <= pages; k++) printf " %d/%d", p["fangtan", k], p["less", k]
        printf " (fangtan/less bytes)\n"
    }' "$tmp/res"
