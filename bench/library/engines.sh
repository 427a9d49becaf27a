#!/usr/bin/env bash
# Issue 18 engine bench (the measurements behind the engine choice in RESULTS.md), end to end: corpus -> indexes -> side-by-side queries with ripgrep.
# Needs ~4 GB free in /tmp; removes what it made at the end. Not part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")"
command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep; }
cargo build --release --features tantivy
B=target/release
mkdir -p /tmp/idx
$B/gen /tmp/lib250 225 500      # ~250 MB, 500 docs
$B/gen /tmp/lib1g 960 2000      # ~1 GB, 2,000 docs
for lib in lib250 lib1g; do
  $B/bench build /tmp/$lib /tmp/idx/full_$lib 2 full
  $B/bench build /tmp/$lib /tmp/idx/none_$lib 2 none
  $B/tv build /tmp/$lib /tmp/idx/tv_$lib
  TV_INDEX=/tmp/idx/tv_$lib $B/bench run /tmp/$lib /tmp/idx/full_$lib 2 Zorvath 数据 quillmoss
  FTS_AND=1 SKIP_NORM=1 $B/bench run /tmp/$lib /tmp/idx/none_$lib 2 Zorvath 数据 quillmoss
done
rm -rf /tmp/lib250 /tmp/lib1g /tmp/idx
