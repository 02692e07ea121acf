#!/usr/bin/env bash
# Benchmark: zhiku against Hugo on the same synthetic knowledge base, measured in one run.
#
#   bench/run.sh [N]        (default N = 10000)
#   PAIRS=5 bench/run.sh N  (Hugo and the zhiku full build run in turn five times; medians compared)
#
# Generates N articles from the bundled content/ (gen_corpus.py: Markdown with three taxonomies for
# Hugo; raw_corpus.py: the same articles as raw scrapes — reader dumps with menus and comment boxes,
# text with source lists, trending-headline tails, notes — for zhiku), then times:
#   1. Hugo rendering the clean Markdown (if hugo is installed; `apt-get install -y hugo`),
#   2. a full zhiku build of the raw files (no cache),
#   3. a zhiku rebuild with nothing changed, then one after adding an article (reported apart: it may
#      find the page cache cold), then five more after adding one article each (cache and previous
#      output present; their median is reported).
# Each run gets a fresh output folder and a `sync` first. Prints seconds, peak memory, articles/s, pages/s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
n=${1:-10000}
pairs=${PAIRS:-1}
work=${BENCH_DIR:-/tmp/zhiku-bench}
deleted=0
if [ -e "$work" ]; then
  rm -rf "$work" && sync
  deleted=$(date +%s)
fi
mkdir -p "$work"

echo "generating $n articles in $work"
python3 "$here/gen_corpus.py" "$work/corpus" "$n" --seeds "$root/content" >/dev/null
python3 "$here/raw_corpus.py" "$work/corpus/hugo/content" "$work/raw" >/dev/null
(cd "$root" && cargo build --release --quiet)
zhiku="$root/target/release/zhiku"
timer=/usr/bin/time
[ -x "$timer" ] || { echo "needs GNU time (apt-get install -y time)"; exit 1; }

measure() { # label, then the command; prints "label: S s, M MiB"
  local label=$1; shift
  sync
  "$timer" -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt"; exit 1; }
  read -r secs kib <"$work/time.txt"
  printf '%-34s %7.2f s  %6d MiB\n' "$label" "$secs" $((kib / 1024))
  last_secs=$secs
}

# ext4 without a journal (this machine) will not reuse an inode for 60 s after its file was deleted,
# or for 360 s while the block of the inode table that holds it is dirty (RECENTCY_MIN and
# RECENTCY_DIRTY in fs/ext4/ialloc.c), and creating a file passes over every such inode one by one.
# Creating files dirties those blocks again, so after deleting a previous run's ~50,000 files, a build
# that creates files within six minutes spends seconds in the kernel (`recently_deleted`). Wait that
# out, so both tools create their files on a settled file system. A fresh BENCH_DIR has no wait.
settle=0
[ "$deleted" -gt 0 ] && settle=$((deleted + 370 - $(date +%s)))
if [ "$settle" -gt 0 ]; then
  echo "waiting ${settle} s for the file system to let go of the previous run's files"
  sleep "$settle"
fi

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# On a noisy machine one run of each says little: with PAIRS > 1 the two full builds alternate, each into
# a fresh folder, and their medians are compared. The rebuilds below use the first zhiku output.
suffix() { if [ "$pairs" -gt 1 ]; then echo " ($1)"; fi; }
if command -v hugo >/dev/null; then
  mkdir -p "$work/hugo-site" && cp -r "$here/hugo-site/." "$work/hugo-site/"
  ln -s "$work/corpus/hugo/content" "$work/hugo-site/content"
  hugo_version=$(hugo version | grep -o 'v[0-9.]*' | head -1)
fi
hugo_runs=() full_runs=()
for p in $(seq 1 "$pairs"); do
  tag=""
  if [ "$p" -gt 1 ]; then tag="-$p"; fi
  if [ -n "${hugo_version:-}" ]; then
    measure "hugo $hugo_version (clean Markdown)$(suffix "$p")" hugo --quiet -s "$work/hugo-site" -d "$work/hugo-out$tag"
    hugo_runs+=("$last_secs")
  fi
  measure "zhiku full build (raw files)$(suffix "$p")" "$zhiku" build --content "$work/raw" --out "$work/out$tag" --quiet
  full_runs+=("$last_secs")
done
full_secs=$(median "${full_runs[@]}")
if [ ${#hugo_runs[@]} -gt 0 ]; then
  hugo_secs=$(median "${hugo_runs[@]}")
  hugo_pages=$(find "$work/hugo-out" -name '*.html' | wc -l)
fi
pages=$(find "$work/out" -name '*.html' | wc -l)
articles=$(find "$work/raw" -type f ! -name '*.meta.toml' | wc -l)

measure "zhiku rebuild, nothing changed" "$zhiku" build --content "$work/raw" --out "$work/out" --quiet

# Add one article (a copy of an existing raw file under a new name, with a changed line) and rebuild.
# The first such rebuild is reported apart: the last build's files may have left the page cache while
# the full builds ran (some virtual machines page out memory left idle for a minute), and it reads them
# back from disk. Then five more, each with another article, since one rebuild is short enough for the
# machine's noise to swing it: their median is the figure reported, with the page cache warm, as the
# full builds had theirs.
add_one() { # k, label
  local source
  source=$(find "$work/raw" -type f ! -name 'zz-added-*' | sort | sed -n "$(($1 + 1))p")
  { echo "新增文章：人工智能+行动一周年回顾（$1）"; cat "$source"; } >"$work/raw/zz-added-$1.txt"
  measure "$2" "$zhiku" build --content "$work/raw" --out "$work/out" --quiet
}
add_one 0 "zhiku rebuild, one added, first"
incs=()
for k in 1 2 3 4 5; do
  add_one "$k" "zhiku rebuild after adding one ($k)"
  incs+=("$last_secs")
done
inc_secs=$(median "${incs[@]}")

echo
awk -v a="$articles" -v p="$pages" -v f="$full_secs" -v i="$inc_secs" 'BEGIN {
  printf "zhiku: %d articles, %d pages: %.0f articles/s, %.0f pages/s; rebuild after adding one (median) = %.1f%% of the full build\n", a, p, a / f, p / f, 100 * i / f }'
if [ -n "${hugo_secs:-}" ]; then
  awk -v h="$hugo_secs" -v f="$full_secs" -v hp="$hugo_pages" -v m="$(if [ "$pairs" -gt 1 ]; then echo " (medians of $pairs)"; fi)" 'BEGIN {
    printf "hugo:  %d pages in %.2f s; zhiku full build takes %.2f× Hugo'"'"'s time%s\n", hp, h, f / h, m }'
fi
# The extra outputs of PAIRS, removed once everything is measured.
rm -rf "$work"/out-* "$work"/hugo-out-*
