#!/usr/bin/env bash
# Benchmark: builds generated corpora with the release binary (and with Hugo, when
# installed, on the same reports) and prints the median of 3 runs of wall time, peak RSS,
# output bytes and files per corpus size.
#
#   scripts/bench.sh [N...]          default: 1000 10000
#   BENCH_DIR=/dev/shm/bench scripts/bench.sh 10000    # on tmpfs
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work=${BENCH_DIR:-${TMPDIR:-/tmp}/sijill-bench}
gen=${GEN:-scripts/gen_corpus.py}
runs=${RUNS:-3}
mkdir -p "$work"
cargo build --release --quiet
bin=$(realpath "${CARGO_TARGET_DIR:-target}")/release/sijill

# Every run writes a fresh folder: on ext4 with `discard`, creating files right after deleting
# a large tree is much slower, so old outputs are removed only when the script ends.
trap 'rm -rf "$work"/run-*' EXIT

# measure PREFIX COMMAND: runs COMMAND (a shell string using $OUT) $runs times and prints
# "seconds kilobytes" of the median run.
measure() {
  local prefix=$1 command=$2
  local results=()
  for i in $(seq "$runs"); do
    OUT="$work/run-$prefix-$i-$$" /usr/bin/time -f "%e %M" -o "$work/time.txt" \
      bash -c "$command" >/dev/null 2>&1
    results+=("$(cat "$work/time.txt")")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}
size() { find "$1" -type f -printf '%s\n' | awk '{t+=$1} END {print t}'; }

printf '%-8s %-7s %9s %9s %11s %8s %8s\n' reports tool seconds "peak MB" "out bytes" files ratio
for n in "${sizes[@]}"; do
  corpus=$work/native-$n
  [ -d "$corpus" ] || python3 "$gen" --n "$n" --seed 1 --format native --out "$corpus" >/dev/null
  measure "sijill-$n" "'$bin' build --root '$corpus' --out \"\$OUT\"" > "$work/m.txt"
  read -r s kb < "$work/m.txt"
  out=$work/run-sijill-$n-$runs-$$
  bytes=$(size "$out"); files=$(find "$out" -type f | wc -l)
  printf '%-8s %-7s %9s %9d %11s %8s %8s\n' "$n" sijill "$s" $((kb / 1024)) "$bytes" "$files" "1.0"
  if command -v hugo >/dev/null; then
    hsite=$work/hugo-$n
    [ -d "$hsite" ] || python3 "$gen" --n "$n" --seed 1 --format hugo --out "$hsite" >/dev/null
    measure "hugo-$n" "hugo --quiet -s '$hsite' -d \"\$OUT\"" > "$work/m.txt"
    read -r hs hkb < "$work/m.txt"
    hout=$work/run-hugo-$n-$runs-$$
    hbytes=$(size "$hout"); hfiles=$(find "$hout" -type f | wc -l)
    ratio=$(awk -v a="$hs" -v b="$s" 'BEGIN {printf "%.1f", a / b}')
    printf '%-8s %-7s %9s %9d %11s %8s %8s\n' "$n" hugo "$hs" $((hkb / 1024)) "$hbytes" "$hfiles" "${ratio}x"
  fi
  # Measured: free the space (on tmpfs, memory) before the next size.
  rm -rf "$work"/run-*
done
