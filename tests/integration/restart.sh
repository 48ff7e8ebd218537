#!/usr/bin/env bash
# tests/integration/restart.sh: stable vnetIndex across agent restarts, and
# the state file's failure modes.
#
# Bridges brA, brB, brC; the agent keeps its name -> vnetIndex map in
# $T/state/indexes (vnetStateDir).
#  1. First start: three distinct indexes, written to the state file.
#  2. SIGTERM (exit 0); while the agent is down brB is deleted and brD created;
#     start again with the same state dir: brA and brC keep their indexes, brD
#     gets a number never used before (greater than every earlier one, brB's
#     included); brB created again while the agent runs gets its old index.
#  3. Damaged state files, each followed by a restart: the agent logs the
#     problem (naming the file and the line), starts, serves all four bridges
#     with four distinct indexes, and writes a clean file again:
#       - truncated in the middle of an entry: the entries before it keep
#         their indexes, the names lost get numbers above the file's
#         high-water mark (never used before);
#       - entries repeating an index or a name: the first line wins, the
#         names it loses get numbers never used before;
#       - junk (not a state file at all, binary bytes), and an empty file.
#     A restart after the rebuilt file keeps every index.
#  4. An unwritable state directory is a clear error at start-up (non-zero
#     exit within seconds, the log naming the path): vnetStateDir is a regular
#     file; is under a regular file; is on a read-only file system; its
#     "indexes" is a directory.
# Runs in about 30 s.

# shellcheck disable=SC2119
VNET_TEST_NAME=restart
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk timeout awk mount
vnet_need_agent

STATE=$T/state
SF=$STATE/indexes
HEADER="# vnet-agentx indexes v1"

vnet_snmpd_start
vnet_netns_create
for b in brA brB brC; do vnet_bridge_add "$b" 0; done

declare -A IDX=()
# load_idx: IDX[name] = vnetIndex for every row of vnetTable (one walk; tried
# again for up to 30 s if it fails: snmpd cannot answer while another process
# holds the kernel's RTNL lock, which a busy machine can do for seconds).
load_idx() {
	local i n out try
	IDX=()
	for ((try = 0; try < 60; try++)); do
		out=$(vnet_names 2>/dev/null) && break
		sleep 0.5
	done
	while IFS=$'\t' read -r i n; do [[ -z $n ]] || IDX[$n]=$i; done <<<"$out"
}
# show_idx NAME...: "NAME=INDEX ..." from IDX.
show_idx() {
	local n out=""
	for n in "$@"; do out+="$n=${IDX[$n]:-none} "; done
	printf '%s\n' "${out% }"
}
# distinct NAME...: the names have indexes, all different.
distinct() {
	local n
	local -A seen=()
	for n in "$@"; do
		[[ -n ${IDX[$n]:-} && -z ${seen[${IDX[$n]}]:-} ]] || return 1
		seen[${IDX[$n]}]=1
	done
}
# file_idx NAME: the index of NAME in the state file ("" if none).
file_idx() { awk -v n="$1" 'NR > 2 && $2 == n && NF == 2 { print $1; exit }' "$SF" 2>/dev/null || true; }
# file_next: the high-water mark of the state file.
file_next() { awk 'NR == 2 && $1 == "next" { print $2; exit }' "$SF" 2>/dev/null || true; }
# max_of N...
max_of() { printf '%s\n' "$@" | sort -n | tail -n1; }

# restart NETWORKS: stop the agent (it must exit 0 on SIGTERM), start it
# again, wait until it serves NETWORKS networks; load IDX.
restart() {
	if ! vnet_agent_stop 5; then
		vnet_fail "the agent exits on SIGTERM within 5 s" "it had to be killed"
	elif [[ $VNET_AGENT_RC != 0 ]]; then
		vnet_fail "the agent exits 0 on SIGTERM" "exit status $VNET_AGENT_RC"
	fi
	start "$1"
}
# start NETWORKS
start() {
	: >"$T/agent.log"
	vnet_agent_start
	# 30 s: snmpd cannot answer while another process holds the kernel's
	# RTNL lock (it blocks in SIOCGIFCONF), which a busy machine can do for
	# many seconds.
	vnet_wait_networks "$1" 30
	load_idx
}
# state_file_clean NAME...: the file is a clean map: header, "next N" above
# every index, one "INDEX NAME" per served name with its served index.
state_file_clean() {
	local n bad=""
	[[ $(head -n1 "$SF") == "$HEADER" ]] || bad+=" header: '$(head -n1 "$SF" | cut -c1-60)';"
	for n in "$@"; do
		[[ $(file_idx "$n") == "${IDX[$n]:-x}" ]] || bad+=" $n: file '$(file_idx "$n")', served '${IDX[$n]:-}';"
		(($(file_next) > ${IDX[$n]:-0})) || bad+=" next $(file_next) <= $n's ${IDX[$n]:-};"
	done
	printf '%s' "$bad"
}
# shellcheck disable=SC2317  # called through vnet_wait_until
file_is_clean() { [[ -z $(state_file_clean "$@") ]]; }

# ---------------------------------------------------------------- 1. first start
start 3
vnet_log "first start: $(show_idx brA brB brC)"
if distinct brA brB brC; then
	vnet_pass "first start: brA, brB, brC have distinct indexes ($(show_idx brA brB brC))"
else
	vnet_fail "first start: brA, brB, brC have distinct indexes" "$(show_idx brA brB brC)"
fi
declare -A FIRST=()
for n in brA brB brC; do FIRST[$n]=${IDX[$n]:-}; done
vnet_wait_until 5 file_is_clean brA brB brC || true
vnet_assert_eq "the state file holds the three indexes" "" "$(state_file_clean brA brB brC)"
EVER=("${IDX[@]}")

# ---------------------------------------------------------------- 2. restart with brB gone, brD new
vnet_agent_stop 5 || vnet_fail "the agent exits on SIGTERM within 5 s" "it had to be killed"
vnet_assert_eq "the agent exits 0 on SIGTERM (in ${VNET_AGENT_STOP_MS} ms)" 0 "$VNET_AGENT_RC"
vnet_bridge_del brB
vnet_bridge_add brD 0
start 3
vnet_log "second start: $(show_idx brA brC brD)"
vnet_assert_eq "after a restart brA keeps its index" "${FIRST[brA]}" "${IDX[brA]:-none}"
vnet_assert_eq "after a restart brC keeps its index" "${FIRST[brC]}" "${IDX[brC]:-none}"
vnet_assert_eq "brB, deleted while the agent was down, is not served" "" "${IDX[brB]:-}"
vnet_assert_cmp "brD (new) gets a number never used before: above $(max_of "${EVER[@]}")" "${IDX[brD]:-0}" -gt "$(max_of "${EVER[@]}")"
vnet_assert_eq "the state file still remembers brB's index" "${FIRST[brB]}" "$(file_idx brB)"
EVER+=("${IDX[brD]:-0}")
vnet_bridge_add brB 0
vnet_wait_networks 4 30
load_idx
vnet_assert_eq "brB, created again while the agent runs, gets its old index back" "${FIRST[brB]}" "${IDX[brB]:-none}"
ALL=(brA brB brC brD)
vnet_wait_until 5 file_is_clean "${ALL[@]}" || true
vnet_assert_eq "the state file holds the four indexes" "" "$(state_file_clean "${ALL[@]}")"
declare -A GOOD=()
for n in "${ALL[@]}"; do GOOD[$n]=${IDX[$n]}; done
GOOD_NEXT=$(file_next)

# ---------------------------------------------------------------- 3. damaged state files
# damaged NAME: after a restart on a damaged file, the agent logs it (the file
# and "line"), serves all four with distinct indexes, rewrites a clean file.
damaged() {
	local what=$1 log
	restart 4
	log=$(cat "$T/agent.log")
	vnet_assert_match "$what: the agent logs the damaged state file, naming it and the line" \
		"$SF: line [0-9]+: .*" "$log"
	vnet_log "$what: $(grep -F "$SF" "$T/agent.log" | head -n1)"
	if distinct "${ALL[@]}"; then
		vnet_pass "$what: the agent runs, the four bridges have distinct indexes ($(show_idx "${ALL[@]}"))"
	else
		vnet_fail "$what: the four bridges have distinct indexes" "$(show_idx "${ALL[@]}")"
	fi
	vnet_wait_until 5 file_is_clean "${ALL[@]}" || true
	vnet_assert_eq "$what: the state file is written clean again" "" "$(state_file_clean "${ALL[@]}")"
}

# Truncated in the middle of the second entry (as a crash during a
# non-atomic write would leave it).
mapfile -t lines <"$SF"
keep=${lines[2]#* } cut=${lines[3]#* }
printf '%s\n%s\n%s\n%s' "${lines[0]}" "${lines[1]}" "${lines[2]}" "${lines[3]:0:$((${#lines[3]} - 1))}" >"$T/trunc"
vnet_agent_stop 5 || true
cp "$T/trunc" "$SF"
damaged "truncated file"
vnet_assert_eq "truncated file: $keep (an entry before the cut) keeps its index" "${GOOD[$keep]}" "${IDX[$keep]:-none}"
lost=""
for n in "${ALL[@]}"; do
	[[ $n == "$keep" ]] && continue
	((${IDX[$n]:-0} >= GOOD_NEXT)) || lost+=" $n=${IDX[$n]:-none}"
done
vnet_assert_eq "truncated file: the names lost ($cut and after) get numbers never used before (>= next $GOOD_NEXT)" "" "$lost"
EVER+=("${IDX[@]}")

# Entries repeating an index and a name: the first line of each wins.
hi=$(max_of "${EVER[@]}")
vnet_agent_stop 5 || true
printf '%s\nnext %d\n%d brA\n%d brC\n%d brA\n' "$HEADER" $((hi + 1)) $((hi + 1)) $((hi + 1)) $((hi + 3)) >"$SF"
damaged "repeated index and name"
vnet_assert_eq "repeated index and name: brA keeps the index of its first line" $((hi + 1)) "${IDX[brA]:-none}"
lost=""
for n in brB brC brD; do ((${IDX[$n]:-0} > hi + 3)) || lost+=" $n=${IDX[$n]:-none}"; done
vnet_assert_eq "repeated index and name: the other names get numbers above every index in the file ($((hi + 3)))" "" "$lost"

# Junk, then an empty file: nothing can be kept, but the agent starts.
vnet_agent_stop 5 || true
printf 'this is not a state file\n\001\002\377\376 17 brA\n\000\000junk\nnext x\n' >"$SF"
damaged "junk file"
vnet_agent_stop 5 || true
: >"$SF"
damaged "empty file"
declare -A REBUILT=()
for n in "${ALL[@]}"; do REBUILT[$n]=${IDX[$n]}; done
restart 4
vnet_assert_eq "after the rebuilt file, a restart keeps every index" "$(show_idx "${ALL[@]}")" \
	"$(for n in "${ALL[@]}"; do printf '%s=%s ' "$n" "${REBUILT[$n]}"; done | sed 's/ $//')"
vnet_assert_eq "a clean file logs no state-file problem" "" "$(grep -F "$SF" "$T/agent.log" || true)"
vnet_agent_stop 5 || true

# ---------------------------------------------------------------- 4. unwritable state dir
# bad_dir DESC STATEDIR [PREP]: the agent with vnetStateDir STATEDIR (PREP: a
# shell command run first in the agent's own mount namespace) exits non-zero
# within 10 s, and its log or stderr names STATEDIR.
bad_dir() {
	local desc=$1 dir=$2 prep=${3:-:} rc=0 t0 ms out
	printf 'vnetStateDir %s\n' "$dir" >"$T/bad.conf"
	: >"$T/bad.log"
	t0=$(_vnet_elapsed_ms)
	# ip netns exec gives the agent its own mount namespace (mounts made
	# there stay there).
	timeout -k 2 10 ip netns exec "$VNET_SW" sh -c "$prep"' && exec "$@"' sh \
		"$VNET_AGENTX" -f -C -c "$T/bad.conf" -x "unix:$T/agentx.sock" -Lf "$T/bad.log" \
		</dev/null >"$T/bad.out" 2>&1 || rc=$?
	ms=$(($(_vnet_elapsed_ms) - t0))
	out=$(cat "$T/bad.log" "$T/bad.out")
	if ((rc != 0 && rc != 124 && rc != 137)) && [[ $out == *"$dir"* ]]; then
		vnet_pass "$desc: start-up fails (status $rc, $ms ms): $(grep -F "$dir" <<<"$out" | head -n1)"
	else
		vnet_fail "$desc: start-up fails with an error naming $dir" "status $rc after $ms ms (124/137: it hung)" "output: ${out:0:1500}"
	fi
}
: >"$T/afile"
bad_dir "vnetStateDir is a regular file" "$T/afile"
bad_dir "vnetStateDir is under a regular file" "$T/afile/state"
mkdir -p "$T/ro"
bad_dir "vnetStateDir is on a read-only file system" "$T/ro" "mount -t tmpfs -o ro vnet-ro '$T/ro'"
mkdir -p "$T/st2/indexes"
bad_dir "the state file (indexes) is a directory" "$T/st2"
vnet_assert_eq "the read-only mount stayed in the agent's mount namespace" "" "$(awk -v d="$T/ro" '$2 == d' /proc/self/mounts)"

vnet_finish
