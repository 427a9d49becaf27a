#!/bin/sh
# fangtan beside less on big documents (issue 7): first paint, a jump, search, `G` and peak
# memory, measured in a private tmux server (socket in a temporary directory) at 120x40,
# medians of 5 runs.
#
#   bench/compare.sh [SOURCE]          # SOURCE defaults to assets/sample.md
#
# Documents are generated into a temporary directory (bench/gen.sh): SOURCE repeated 1x,
# 100x and 1000x with numbered headings, 200,000 short turns, and one 10 MB paragraph.
# Environment: BENCH_RUNS (default 5), BENCH_DOCS (default "1x 100x 1000x turns para"),
# BENCH_WORD (the search word for the repeated documents; default: a Latin word from the
# last third of SOURCE), FANGTAN_BIN (default target/release/fangtan, built if needed).
#
# Timing is done from outside, as a user sees it: a timestamp (`date +%s%N`) just before the
# command or key is sent, then `tmux capture-pane` is polled until the expected text is on
# screen. One poll costs a few milliseconds (printed first): that is the resolution floor.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
src=${1:-$repo/assets/sample.md}
runs=${BENCH_RUNS:-5}
docs=${BENCH_DOCS:-1x 100x 1000x turns para}
bin=${FANGTAN_BIN:-$repo/target/release/fangtan}

die() {
    echo "compare.sh: $*" >&2
    exit 2
}

command -v tmux >/dev/null 2>&1 || die "tmux is missing (e.g. apt-get install tmux)"
command -v less >/dev/null 2>&1 || die "less is missing (e.g. apt-get install less)"
command -v awk >/dev/null 2>&1 || die "awk is missing"
case $(date +%s%N) in
*N* | '') die "date +%s%N must give nanoseconds (GNU coreutils date)" ;;
esac
[ -r "$src" ] || die "cannot read $src"

if [ -z "${FANGTAN_BIN:-}" ] && command -v cargo >/dev/null 2>&1; then
    echo "building: cargo build --release" >&2
    (cd "$repo" && cargo build --release --quiet) || die "cargo build --release failed"
fi
[ -x "$bin" ] || die "no fangtan binary at $bin (run cargo build --release)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fangtan-bench.XXXXXX")
sock=$tmp/tmux
res=$tmp/results

T() { tmux -S "$sock" "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# A keeper session holds the server up, so no run pays for starting it; no status bar, so
# each pane is the full 120x40, and no user configuration.
T -f /dev/null new-session -d -s keep -x 120 -y 40 "sleep 100000" \; set -g status off
mkdir "$tmp/data"
: >"$res"

# Single-quote a word for the pane's shell.
sq() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }
now() { date +%s%N; }
# The pane's rows FIRST..LAST (0-based) as text.
cap() { T capture-pane -p -t run -S "$1" -E "$2" 2>/dev/null || true; }

# Polls set $hit to the timestamp right after the capture that satisfied them; they return
# 1 at the deadline (milliseconds) so that nothing ever hangs.
wait_has() { # FIRST LAST NEEDLE DEADLINE_MS
    _dl=$(($(now) + $4 * 1000000))
    while :; do
        _s=$(cap "$1" "$2")
        hit=$(now)
        case $_s in *"$3"*) return 0 ;; esac
        [ "$hit" -lt "$_dl" ] || return 1
    done
}
wait_lacks() { # FIRST LAST NEEDLE DEADLINE_MS
    _dl=$(($(now) + $4 * 1000000))
    while :; do
        _s=$(cap "$1" "$2")
        hit=$(now)
        case $_s in *"$3"*) ;; *) return 0 ;; esac
        [ "$hit" -lt "$_dl" ] || return 1
    done
}
wait_change() { # FIRST LAST BEFORE DEADLINE_MS
    _dl=$(($(now) + $4 * 1000000))
    while :; do
        _s=$(cap "$1" "$2")
        hit=$(now)
        [ "$_s" = "$3" ] || return 0
        [ "$hit" -lt "$_dl" ] || return 1
    done
}

# rec DOC METRIC PROG NS|-1 (-1: deadline passed)
rec() { echo "$1 $2 $3 $4" >>"$res"; }
# A fresh pane with a bare shell, ready for a command: launching through it (not through
# tmux new-session, which alone takes ~40 ms) is what a user does, and costs both programs
# the same.
fresh_pane() {
    T kill-session -t run >/dev/null 2>&1 || true
    T new-session -d -s run -x 120 -y 40 "PS1='ready\$ ' ENV= exec sh"
    wait_has 0 39 'ready$' 10000 || die "the shell in the tmux pane did not start"
}
# Sets t0 just before the command line is typed.
launch() { # COMMAND...
    fresh_pane
    t0=$(now)
    T send-keys -t run -l "$*" \; send-keys -t run Enter
}

# One fangtan run on document $1 (paint marker $2, search word $3, jump key $4).
run_fangtan() {
    d=$1 f=$tmp/$1.md
    launch exec env LANG=C.UTF-8 FANGTAN_DATA_DIR="$(sq "$tmp/data")" "$(sq "$bin")" --no-resume "$(sq "$f")"
    if wait_has 0 39 "$2" 60000; then rec "$d" paint fangtan $((hit - t0)); else
        rec "$d" paint fangtan -1
        return 0
    fi
    # Keys are timed only once the background indexing is done.
    wait_lacks 39 39 indexing 60000 || echo "  ($d: still indexing after 60 s)" >&2

    before=$(cap 0 39)
    t0=$(now)
    T send-keys -t run -l "$4"
    if wait_change 0 39 "$before" 20000; then rec "$d" jump fangtan $((hit - t0)); else rec "$d" jump fangtan -1; fi

    case $(cap 0 38) in *"$3"*) echo "  ($d: '$3' already on screen before the search)" >&2 ;; esac
    before=$(cap 39 39)
    T send-keys -t run -l /
    wait_change 39 39 "$before" 5000 || true
    t0=$(now)
    T send-keys -t run -l "$3"
    if wait_has 0 38 "$3" 20000; then rec "$d" search fangtan $((hit - t0)); else rec "$d" search fangtan -1; fi
    count_wait
    T send-keys -t run Enter

    # The other navigation keys of the issue (fangtan only; less has no equivalents):
    # `n` (next match), `]` (next quote), `.` (next turn by the same speaker), a resize.
    time_key n "n"
    time_key "]" "]"
    time_key . "."
    before=$(cap 0 39)
    t0=$(now)
    T resize-window -t run -x 110 -y 40
    if wait_change 0 39 "$before" 20000; then rec "$d" resize fangtan $((hit - t0)); else rec "$d" resize fangtan -1; fi
    T resize-window -t run -x 120 -y 40
    sleep 0.2

    time_bottom fangtan "100%"
}

# One key in fangtan's pane, timed until the screen changes (a key that changes nothing,
# e.g. `]` without quotes, runs into the deadline and shows as such). METRIC KEY
time_key() {
    before=$(cap 0 39)
    t0=$(now)
    T send-keys -t run -l "$2"
    if wait_change 0 39 "$before" 3000; then rec "$d" "$1" fangtan $((hit - t0)); else rec "$d" "$1" fangtan -1; fi
}

# The full match count: the first run learns it (the `k/N` status that stays unchanged for
# 1.5 s), later runs wait for that N. Uses $d and $t0 of run_fangtan.
count_wait() {
    if [ -s "$tmp/$d.count" ]; then
        n=$(cat "$tmp/$d.count")
        if wait_has 39 39 "/$n " 30000; then rec "$d" count fangtan $((hit - t0)); else rec "$d" count fangtan -1; fi
        return 0
    fi
    _dl=$(($(now) + 30000000000))
    last='' since=0
    while :; do
        _s=$(cap 39 39)
        _t=$(now)
        if [ "$_s" != "$last" ]; then
            last=$_s since=$_t
        elif [ $((_t - since)) -gt 1500000000 ]; then
            n=$(printf '%s\n' "$_s" | sed -n 's/.*[0-9]\/\([0-9][0-9]*\).*/\1/p')
            if [ -n "$n" ]; then
                echo "$n" >"$tmp/$d.count"
                rec "$d" count fangtan $((since - t0))
                return 0
            fi
        fi
        if [ "$_t" -ge "$_dl" ]; then
            rec "$d" count fangtan -1
            return 0
        fi
    done
}

# One less run: the same steps, with less's own keys.
run_less() {
    d=$1 f=$tmp/$1.md
    launch exec env LANG=C.UTF-8 LESS= LESSHISTFILE=- less "$(sq "$f")"
    if wait_has 0 39 "$2" 60000; then rec "$d" paint less $((hit - t0)); else
        rec "$d" paint less -1
        return 0
    fi

    if [ "$4" = "}" ]; then
        # less has no turns: search forward for the next speaker label or heading.
        T send-keys -t run -l "/$label_re"
        wait_has 39 39 "$label_re" 5000 || true
        before=$(cap 0 39)
        t0=$(now)
        T send-keys -t run Enter
    else
        before=$(cap 0 39)
        t0=$(now)
        T send-keys -t run -l "$4"
    fi
    if wait_change 0 39 "$before" 20000; then rec "$d" jump less $((hit - t0)); else rec "$d" jump less -1; fi

    T send-keys -t run -l "/$3"
    wait_has 39 39 "$3" 5000 || true
    t0=$(now)
    T send-keys -t run Enter
    if wait_has 0 38 "$3" 20000; then rec "$d" search less $((hit - t0)); else rec "$d" search less -1; fi

    time_bottom less "(END)"
}

# `g`, then `G` timed until END_MARKER shows on the status row; ends the session.
# PROG END_MARKER (uses $d of the caller)
time_bottom() {
    T send-keys -t run -l g
    wait_lacks 39 39 "$2" 5000 || true
    t0=$(now)
    T send-keys -t run -l G
    if wait_has 39 39 "$2" 20000; then rec "$d" G "$1" $((hit - t0)); else rec "$d" G "$1" -1; fi
    T kill-session -t run >/dev/null 2>&1 || true
}

# Peak resident memory of one session: open, wait for indexing, `G`, quit.
# PROG DOC PAINT_MARKER END_MARKER
peak_rss() {
    out=$tmp/rss-$1-$2
    if [ "$1" = fangtan ]; then
        launch exec env LANG=C.UTF-8 FANGTAN_DATA_DIR="$(sq "$tmp/data")" /usr/bin/time -v -o "$(sq "$out")" "$(sq "$bin")" --no-resume "$(sq "$tmp/$2.md")"
    else
        launch exec env LANG=C.UTF-8 LESS= LESSHISTFILE=- /usr/bin/time -v -o "$(sq "$out")" less "$(sq "$tmp/$2.md")"
    fi
    wait_has 0 39 "$3" 60000 || true
    wait_lacks 39 39 indexing 60000 || true
    T send-keys -t run -l G
    # A program still busy after 20 s is interrupted (less: Ctrl-C), then asked to quit.
    wait_has 39 39 "$4" 20000 || T send-keys -t run C-c
    T send-keys -t run -l q
    _dl=$(($(now) + 20000000000))
    until grep -q 'Maximum resident' "$out" 2>/dev/null; do
        [ "$(now)" -lt "$_dl" ] || break
        sleep 0.05
    done
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$out" 2>/dev/null)
    rec "$2" rss "$1" "${kb:--1}"
    T kill-session -t run >/dev/null 2>&1 || true
}

label_re='^(\*\*[^*]+(\*\*)?(：|:)|#)'

# The search word of the repeated documents: a Latin word (5+ letters) from the last third
# of SOURCE that occurs nowhere before (case-insensitively, even inside another word), outside
# links, so that it is not on screen before the search and both programs show it whole.
word=${BENCH_WORD:-$(LC_ALL=C awk '{ l[NR] = $0 } END {
    cut = int(NR * 2 / 3)
    for (i = cut + 1; i <= NR; i++) {
        if (l[i] ~ /http|\]\(/) continue
        s = l[i]
        while (match(s, /[A-Za-z][A-Za-z][A-Za-z][A-Za-z][A-Za-z]+/)) {
            w = substr(s, RSTART, RLENGTH)
            s = substr(s, RSTART + RLENGTH)
            lw = tolower(w)
            for (j = 1; j < i; j++) if (index(tolower(l[j]), lw)) break
            if (j == i) { print w; exit }
        }
    }
}' "$src")}
[ -n "$word" ] || die "no Latin word in the last third of $src: set BENCH_WORD"

# The timing floor.
_a=$(now)
i=0
while [ $i -lt 20 ]; do
    T capture-pane -p -t keep >/dev/null
    i=$((i + 1))
done
_b=$(now)
poll_ms=$(awk -v ns=$((_b - _a)) 'BEGIN { printf "%.1f", ns / 20 / 1e6 }')

# The launch floor: the pane's shell printing a word, the same way the programs are launched.
# Floors are the fastest of 10: on a shared machine the median floor can exceed a program's
# median, and subtracting less keeps the verdicts strict.
: >"$tmp/floor"
i=0
while [ $i -lt 10 ]; do
    launch "echo LAUNCH''FLOOR; sleep 60"
    wait_has 0 39 LAUNCHFLOOR 10000 && echo $((hit - t0)) >>"$tmp/floor"
    i=$((i + 1))
done
floor_ms=$(sort -n "$tmp/floor" | awk '{ v[NR] = $1 } END { printf "%.1f", NR ? v[1] / 1e6 : -1 }')
# The key floor: a typed character echoed by the pane's shell (send-keys, then polls).
fresh_pane
: >"$tmp/keyfloor"
typed=''
i=0
while [ $i -lt 10 ]; do
    typed=${typed}Q
    t0=$(now)
    T send-keys -t run -l Q
    wait_has 0 39 "ready\$ $typed" 5000 && echo $((hit - t0)) >>"$tmp/keyfloor"
    i=$((i + 1))
done
key_ms=$(sort -n "$tmp/keyfloor" | awk '{ v[NR] = $1 } END { printf "%.1f", NR ? v[1] / 1e6 : -1 }')

echo "source: $src ($(wc -c <"$src" | tr -d ' ') bytes)" >&2
echo "fangtan: $bin" >&2
echo "less: $(less --version | head -n 1)" >&2
echo "one capture-pane poll (+ date): $poll_ms ms — the resolution floor of every time below" >&2
echo "launch floor (the pane's shell runs \`echo\`; fastest of 10): $floor_ms ms — included in both first paints" >&2
echo "key floor (the pane's shell echoes a typed key; fastest of 10): $key_ms ms — included in every key time" >&2

for d in $docs; do
    "$here/gen.sh" "$d" "$src" "$tmp/$d.md"
    case $d in
    turns) paint='Bench turns' w=Zanzibar key='}' ;;
    para) paint='Bench paragraph' w=Zanzibar key=' ' ;;
    *) paint='Part 1' w=$word key='}' ;;
    esac
    echo "$d: $(wc -c <"$tmp/$d.md" | tr -d ' ') bytes, searching '$w'" >&2
    r=1
    while [ "$r" -le "$runs" ]; do
        run_fangtan "$d" "$paint" "$w" "$key"
        run_less "$d" "$paint" "$w" "$key"
        r=$((r + 1))
    done
    if [ -x /usr/bin/time ]; then
        peak_rss fangtan "$d" "$paint" "100%"
        peak_rss less "$d" "$paint" "(END)"
    fi
done
[ -x /usr/bin/time ] || echo "(no /usr/bin/time: peak memory not measured)" >&2

# The table: medians (a run past its deadline counts as infinitely slow).
median() { # DOC METRIC PROG -> value or -1, with "/k" for deadline misses
    awk -v d="$1" -v m="$2" -v p="$3" '$1 == d && $2 == m && $3 == p { print ($4 < 0 ? "inf" : $4) }' "$res" |
        sort -g | awk '{ v[NR] = $1 } END {
            if (NR == 0) { print ""; exit }
            x = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            print (x == "inf" || x + 0 > 1e17) ? -1 : x
        }'
}
ms() { awk -v n="$1" 'BEGIN { if (n == "") print "-"; else if (n < 0) print "deadline"; else printf "%.1f ms", n / 1e6 }'; }

echo
echo "fangtan vs less, tmux 120x40, median of $runs runs"
echo "floors (in every figure of both programs; fastest of 10): poll $poll_ms ms, launch $floor_ms ms, key $key_ms ms;"
echo "the <5 ms key targets are checked against fangtan's time minus the key floor."
echo "jump: fangtan \`}\` (next turn) vs less \`/$label_re\` Enter (next label or heading);"
echo "      on para both press Space (a page down inside the one paragraph)."
echo "deadline: past the poll's deadline (20 s for keys, 60 s for a first paint; G on less 20 s)."
echo "search: type '$word' (Zanzibar on turns/para) at once, like a paste, until the first match shows;"
echo "        count: until fangtan shows k/N with the full N."
echo "key n, key ], key ., resize (fangtan only): next match, next quote, next turn by the same"
echo "        speaker, and the pane going from 120 to 110 columns, each until the screen changes."
echo
printf '%-6s %9s  %-13s %12s %12s %7s  %s\n' document size metric fangtan less ratio target
for d in $docs; do
    bytes=$(wc -c <"$tmp/$d.md" | tr -d ' ')
    size=$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1048576 }')
    for m in paint jump search count n "]" . resize G rss; do
        f=$(median "$d" $m fangtan)
        l=$(median "$d" $m less)
        [ -n "$f$l" ] || continue
        if [ $m = rss ]; then
            budget=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", (1.5 * b + 30 * 1048576) / 1024 }')
            fs=$(awk -v k="$f" 'BEGIN { if (k < 0) print "-"; else printf "%.1f MB", k / 1024 }')
            ls=$(awk -v k="$l" 'BEGIN { if (k == "" || k < 0) print "-"; else printf "%.1f MB", k / 1024 }')
            tgt=$(awk -v k="$f" -v b="$budget" 'BEGIN { printf "<= %.1f MB %s", b / 1024, (k >= 0 && k <= b) ? "met" : "MISSED" }')
            ratio=$(awk -v f="$f" -v l="$l" 'BEGIN { if (f > 0 && l > 0) printf "%.2f", f / l; else print "-" }')
            printf '%-6s %9s  %-13s %12s %12s %7s  %s\n' "$d" "$size" "peak RSS" "$fs" "$ls" "$ratio" "$tgt"
            continue
        fi
        ratio=$(awk -v f="$f" -v l="$l" 'BEGIN { if (f > 0 && l > 0) printf "%.2f", f / l; else print "-" }')
        case $m in
        paint) name='first paint' tgt=$(awk -v f="$f" -v l="$l" 'BEGIN { ok = f >= 0 && f < 50e6 && (l <= 0 || f <= 3 * l); printf "<50 ms, <=3x less %s", ok ? "met" : "MISSED" }') ;;
        jump) name='jump' tgt=$(awk -v f="$f" -v k="$key_ms" 'BEGIN { printf "<5 ms %s", (f >= 0 && f - k * 1e6 < 5e6) ? "met" : "MISSED" }') ;;
        search) name='search 1st' tgt=$(awk -v f="$f" 'BEGIN { printf "<50 ms %s", (f >= 0 && f < 50e6) ? "met" : "MISSED" }') ;;
        count) name='search count' tgt=$(awk -v f="$f" 'BEGIN { printf "<300 ms %s", (f >= 0 && f < 300e6) ? "met" : "MISSED" }') ;;
        n | "]" | . | resize)
            name="key $m"
            [ $m = resize ] && name='resize'
            tgt=$(awk -v f="$f" -v k="$key_ms" 'BEGIN { printf "<5 ms %s", (f >= 0 && f - k * 1e6 < 5e6) ? "met" : "MISSED" }')
            ;;
        G) name='G' tgt=$(awk -v f="$f" -v l="$l" -v k="$key_ms" 'BEGIN { ok = f >= 0 && f - k * 1e6 < 5e6 && (l == "" || l < 0 || f <= l); printf "<5 ms, <=less %s", ok ? "met" : "MISSED" }') ;;
        esac
        printf '%-6s %9s  %-13s %12s %12s %7s  %s\n' "$d" "$size" "$name" "$(ms "$f")" "$(ms "$l")" "$ratio" "$tgt"
    done
done
