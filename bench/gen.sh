#!/bin/sh
# Generate a big test document for bench/compare.sh (issue 7). Documents are made at run
# time and never stored in the repository.
#
#   bench/gen.sh KIND SOURCE OUT
#
# KIND:
#   Nx     SOURCE repeated N times (e.g. 1x, 100x, 1000x), each copy preceded by a numbered
#          heading `## 第 N 部分 · Part N`.
#   turns  200,000 short speaker turns (three speakers, mixed Chinese and English, ~3.8 MB),
#          a section heading every 10,000 turns. SOURCE is ignored.
#   para   a title, then one 10 MB paragraph with no line break. SOURCE is ignored.
#
# turns and para contain the word `Zanzibar` once every 1,000 turns / sentences, for search.
# Plain POSIX sh and awk, so it runs where python3 is missing.
set -eu

usage() {
    echo "usage: bench/gen.sh Nx|turns|para SOURCE OUT" >&2
    exit 2
}

[ $# -eq 3 ] || usage
kind=$1
src=$2
out=$3

case $kind in
turns)
    LC_ALL=C awk 'BEGIN {
        n = split("对。|好的。|Right.|OK, 明白。|嗯。|是的。|Yes.|然后呢？|Sure.|哈哈。", say, "|")
        split("A|B|甲", who, "|")
        printf "# Bench turns · 二十万轮对话\n\n"
        for (i = 0; i < 200000; i++) {
            if (i % 10000 == 0) printf "## 第 %d 节 · Section %d\n\n", i / 10000 + 1, i / 10000 + 1
            line = (i % 1000 == 999) ? "我们下周去 Zanzibar 录一期。" : say[i % n + 1]
            printf "**%s：** %s\n\n", who[i % 3 + 1], line
        }
    }' >"$out"
    ;;
para)
    LC_ALL=C awk 'BEGIN {
        n = split("这是一个非常长的段落，从头到尾没有换行。|It keeps going without a single line break, on purpose.|中文和 English 混排在同一行里，number 42 也不例外。|读者只需要看到屏幕上的那几十行。|Layout should touch only the rows on screen.", say, "|")
        printf "# Bench paragraph · 一段到底\n\n"
        size = 0
        for (i = 0; size < 10000000; i++) {
            s = (i % 1000 == 999) ? "我们下周去 Zanzibar 录一期。" : say[i % n + 1]
            printf "%s", s
            size += length(s)
        }
        printf "\n"
    }' >"$out"
    ;;
*x)
    count=${kind%x}
    case $count in
    '' | *[!0-9]*) usage ;;
    esac
    [ -r "$src" ] || {
        echo "gen.sh: cannot read $src" >&2
        exit 2
    }
    # The source is held once, as lines, and written N times: the 1000x file takes about a
    # second even with mawk.
    LC_ALL=C awk -v n="$count" '
        { line[NR] = $0 }
        END {
            for (i = 1; i <= n; i++) {
                printf "## 第 %d 部分 · Part %d\n\n", i, i
                for (j = 1; j <= NR; j++) print line[j]
                print ""
            }
        }' "$src" >"$out"
    ;;
*) usage ;;
esac
