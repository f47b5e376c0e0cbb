#!/usr/bin/env bash
# Whole-process benchmark: `./bouncekit classify` against Sisimai (Debian's libsisimai-perl) on the same files.
#
#   benchmarks/cli-vs-anchors.sh [COPIES]
#
# Copies the shared corpus (../shared/testdata/bounces/set-of-emails/maildir/bsd, 629 files) COPIES times (default
# 16: 10,064 files) into a temporary directory, then times, RUNS times each (default 5) and one after the other:
#   bouncekit  ./bouncekit classify DIR > out.jsonl        (heap at most 256 MB: -Xmx256m)
#   sisimai    perl: Sisimai->make(DIR), each result's dump('json') on a line
# and prints each run, the medians, the spread, the results each wrote and the ratio of the medians.
# Installs libsisimai-perl with apt-get when it is missing (needs root). Environment:
#   RUNS=5                 runs per tool
#   BOUNCEKIT_JAVA_OPTS    JVM options (default below: 256 MB heap, serial GC, C1 only, class data sharing)
set -euo pipefail

cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
root=$(pwd -P)
copies=${1:-16}
runs=${RUNS:-5}
corpus="$root/../shared/testdata/bounces/set-of-emails/maildir/bsd"
[ -d "$corpus" ] || { echo "cli-vs-anchors: $corpus not found" >&2; exit 2; }

if ! perl -MSisimai -e 1 2>/dev/null; then
  echo "== apt-get install libsisimai-perl" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsisimai-perl > /dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
n=0
for ((c = 1; c <= copies; c++)); do
  for f in "$corpus"/*; do
    n=$((n + 1))
    cp "$f" "$work/corpus/$(printf '%05d' "$n")-$(basename "$f")"
  done
done

cat > "$work/sisimai.pl" <<'EOF'
use strict; use warnings;
use Sisimai;
binmode STDOUT;
my $results = 0;
for my $path (@ARGV) {
    my $v = Sisimai->make($path) || [];
    for my $e (@$v) { print $e->dump('json'), "\n"; $results++; }
}
print STDERR "$results\n";
EOF

export BOUNCEKIT_JAVA_OPTS=${BOUNCEKIT_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto}
# the first run builds the jar when needed, and the class data sharing archive; it is not timed
./bouncekit classify "$work/corpus" > /dev/null

now() { date +%s.%N; }
time_runs() { # name, then the command; prints one time per line
  local name=$1; shift
  for ((r = 1; r <= runs; r++)); do
    local t0 t1
    t0=$(now)
    "$@" > "$work/$name.out" 2> "$work/$name.err"
    t1=$(now)
    echo "$t1 - $t0" | bc
  done
}
stats() { # reads times; prints median and min-max
  sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2;
    printf "%.3f s (min %.3f, max %.3f, %d runs)", m, a[1], a[NR], NR}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

bk=$(time_runs bouncekit ./bouncekit classify "$work/corpus")
ss=$(time_runs sisimai perl "$work/sisimai.pl" "$work/corpus")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(java -version 2>&1 | head -1); perl Sisimai $(perl -MSisimai -e 'print $Sisimai::VERSION')"
echo "files: $n ($copies copies of $(ls "$corpus" | wc -l) shared-corpus messages, $(du -sh "$work/corpus" | cut -f1))"
echo "bouncekit classify ($BOUNCEKIT_JAVA_OPTS): $(echo "$bk" | stats); $(wc -l < "$work/bouncekit.out") JSON lines"
echo "sisimai make + dump:  $(echo "$ss" | stats); $(tail -1 "$work/sisimai.err") results"
echo "runs (s): bouncekit $(echo $bk) | sisimai $(echo $ss)"
ratio=$(echo "scale=2; $(echo "$ss" | median) / $(echo "$bk" | median)" | bc)
echo "ratio: bouncekit is ${ratio}x faster than Sisimai (medians)"
