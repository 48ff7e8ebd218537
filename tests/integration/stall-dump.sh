#!/usr/bin/env bash
# tests/integration/stall-dump.sh: the agent stopped while its counter dump
# waits for the kernel's RTNL lock: the seconds of the stop still hold what
# the stream sent in them (regression test for commit 2ab9aa2).
#
# A SIGSTOP only takes effect when a thread returns to user space: a sampler
# blocked in its RTM_GETSTATS dump (the dump waits for RTNL, which another
# process holds) reads the counters when the lock is released, then stops; if
# it read the clock after SIGCONT and timed the counters by it, the traffic of
# the stopped seconds would land in the next valid row (seen: the rows of the
# stop at -74 %, the row after at +447 %).  stall.sh hits that only by chance;
# here it is provoked:
#  - a scratch namespace holds SCRATCH_PAIRS veth pairs: deleting it holds
#    RTNL for about half a second (the kernel unregisters them all in one
#    batch under the lock, ~0.23 ms a pair on kernel 6.18); the cleanup
#    worker takes the lock 0..50 ms after `ip netns del` and keeps it until
#    +0.5..0.7 s, so a deletion LEAD_MS before a grid point has the lock
#    held when the sampler wakes there;
#  - iperf3 sends 8 Mbit/s of 1000-byte UDP datagrams from h1 to h2 through
#    br0 for RUN_S s (the meter of accuracy.sh, see acc-lib.sh);
#  - a few seconds into it, just after a tick (the agent's tick log says
#    when), the namespace is deleted LEAD_MS before the next grid point; as
#    soon as a thread of the agent waits in the kernel (state D, its kernel
#    stack in rtnl_lock where /proc shows it: the sampler's dump), the agent
#    gets SIGSTOP, and SIGCONT STOP_S s later.  If no thread was caught
#    blocked, no signal is sent and the namespace is rebuilt for one more
#    try, deleted closer to the grid point (a machine that tears the links
#    down faster); a run that did not provoke the case fails: it proves
#    nothing.
# With A and B read in one PDU each before the run and after it:
#  - no hole, and the history rows A+1..B add up to the change of the totals;
#  - the tick that wrote the rows of the stop took at least STOP_S s: the
#    stop came inside it (the case is provoked, not just a stop between ticks);
#  - the seconds the agent missed are one run of STOP_S..STOP_S+2 interpolated
#    (2) rows, one of which ends while it was stopped; every other row is
#    valid(1) (or interpolated next to a stall of the whole machine that the
#    watchdog saw too);
#  - those k rows hold k seconds of the stream within 5 %, sent and received;
#  - every other steady second, those right after the stop included, holds one
#    second of the stream within 5 % (acc_check_steady);
#  - the totals moved by iperf3's wire bytes (datagrams x 1042) within 2 %, and
#    the packet rows add up to its datagram count within 2 %.
# Runs in about 30 s.

# shellcheck disable=SC2119
VNET_TEST_NAME=stall-dump
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=tests/integration/acc-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/acc-lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip ss snmpd snmpget snmpbulkwalk iperf3 timeout awk
vnet_need_agent

RUN_S=18
PRE_S=3           # steady seconds of the stream before the stop
STOP_S=5
SCRATCH_PAIRS=2500
LEAD_MS=250       # the deletion starts this long before the agent's grid point (150 on the retry)
TRIES=2

# scratch_fill NS: SCRATCH_PAIRS veth pairs (down) in NS, in one ip -batch.
scratch_fill() {
	local i
	for ((i = 0; i < SCRATCH_PAIRS; i++)); do
		printf 'link add s%d type veth peer name t%d\n' "$i" "$i"
	done >"$T/scratch.batch"
	ip -n "$1" -batch "$T/scratch.batch" >/dev/null || vnet_die "creating $SCRATCH_PAIRS veth pairs in $1 failed"
}

# blocked_task PID: the first thread of PID waiting in the kernel (state D),
# as "TID STACK-FUNCTIONS" when its kernel stack shows it waits for RTNL (or
# /proc does not show kernel stacks); fails otherwise.  No external command
# until it finds one: this runs in a tight loop while the lock is held.
blocked_task() {
	local f line st stack=""
	for f in /proc/"$1"/task/*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		st=${line##*) }
		[[ ${st%% *} == D ]] || continue
		f=${f%/stat}
		if [[ -r $f/stack ]] && stack=$(<"$f/stack") 2>/dev/null && [[ -n $stack ]]; then
			[[ $stack == *rtnl* ]] || continue
		fi
		printf '%s %s\n' "${f##*/}" "$(awk '{ sub(/\+.*/, "", $2); if (NR <= 3) printf "%s%s", (NR > 1 ? "<" : ""), $2 }' <<<"$stack")"
		return 0
	done
	return 1
}

# provoke SCRATCH LEAD_MS: delete SCRATCH LEAD_MS before the agent's next grid
# point and SIGSTOP the agent as soon as its dump is seen blocked; T_STOP (us
# since the epoch) and BLOCKED ("TID STACK") are set.  Fails, sending no signal, when no
# thread of the agent was caught blocked within 1.5 s.
T_STOP="" BLOCKED=""
provoke() {
	local ns=$1 lead=$2 n0 n1 seen t_del deadline tick k late work wfd
	exec {wfd}<> <(:) # read -t on an empty pipe: a sleep without a fork
	n0=$(wc -l <"$T/agent-ticks.log")
	deadline=$(($(_vnet_elapsed_ms) + 3000))
	while n1=$(wc -l <"$T/agent-ticks.log") && ((n1 <= n0)); do
		(($(_vnet_elapsed_ms) < deadline)) || vnet_die "the agent wrote no tick-log line for 3 s"
		read -r -t 0.005 -u "$wfd" _ || true
	done
	seen=${EPOCHREALTIME/./}
	read -r tick k late work < <(tail -n 1 "$T/agent-ticks.log")
	# The line was written LATE + WORK after the grid point of sample
	# tick - k + 1; the next one is k seconds after that.
	t_del=$((seen - (late + work) / 1000 + k * 1000000 - lead * 1000))
	sleep "$(awk -v d=$((t_del - ${EPOCHREALTIME/./})) 'BEGIN { printf "%.6f", (d > 0 ? d : 0) / 1e6 }')"
	ip netns del "$ns"
	vnet_log "deleted $ns (${SCRATCH_PAIRS} veth pairs) $(((${EPOCHREALTIME/./} - seen) / 1000)) ms after tick $tick's log line"
	deadline=$(($(_vnet_elapsed_ms) + 1500))
	while ! BLOCKED=$(blocked_task "$VNET_AGENT_PID"); do
		if (($(_vnet_elapsed_ms) >= deadline)); then
			exec {wfd}<&-
			return 1
		fi
		read -r -t 0.002 -u "$wfd" _ || true
	done
	kill -STOP "$VNET_AGENT_PID"
	T_STOP=${EPOCHREALTIME/./}
	exec {wfd}<&-
	vnet_log "SIGSTOP $(((T_STOP - seen) / 1000)) ms after tick $tick's log line, thread $BLOCKED blocked"
}

acc_stage_br0
i0=$ACC_BR0
t0=$(_vnet_elapsed_ms)
scratch=""
vnet_netns_add scratch scratch1
scratch_fill "$scratch"
vnet_log "scratch namespace $scratch: $SCRATCH_PAIRS veth pairs in $(($(_vnet_elapsed_ms) - t0)) ms"

# ---------------------------------------------------------------- A, the run with the stop, B
acc_stream_start "$RUN_S"
sleep "$PRE_S"
# No SNMP request until SIGCONT: only the traffic goes on.
for ((try = 1; try <= TRIES; try++)); do
	provoke "$scratch" $((try == 1 ? LEAD_MS : LEAD_MS - 100)) && break
	vnet_log "try $try: no thread of the agent was seen waiting for RTNL"
	((try < TRIES)) || break
	vnet_netns_add scratch "scratch$((try + 1))"
	scratch_fill "$scratch"
done
if [[ -z $T_STOP ]]; then
	vnet_fail "the agent's counter dump is caught waiting for RTNL ($TRIES tries)" \
		"watchdog stalls >= 0.2 s: $(acc_stalls 0.2)"
	vnet_finish
fi
vnet_pass "the agent's counter dump waits for RTNL when SIGSTOP comes (thread $BLOCKED)"
sleep "$STOP_S"
kill -CONT "$VNET_AGENT_PID"
t_cont=${EPOCHREALTIME/./}
vnet_log "agent stopped for $(((t_cont - T_STOP) / 1000)) ms"

# ---------------------------------------------------------------- no hole, history = totals
acc_stream_end "$RUN_S" 2 3 4 5 6 7

# ---------------------------------------------------------------- the rows of the stop
ts=$((T_STOP / 100000)) tc=$((t_cont / 100000))
acc_check_stop_run br0 "$hw" "$i0" $((cA + 1)) "$cB" "$ts" "$tc" "$STOP_S" || vnet_finish
g1=$ACC_G1 g2=$ACC_G2
work=$(acc_tick_work "$g2")
vnet_assert_cmp "br0: the tick that wrote rows $g1..$g2 was stopped inside it (it took ${work:-?} ms)" \
	"${work:-0}" -ge $((STOP_S * 1000))
acc_check_stop_rows br0 "$hw" "$i0" 4 5

# ---------------------------------------------------------------- against iperf3
acc_check_iperf br0 2 $((sB - sA)) $((rB - rA))

# ---------------------------------------------------------------- the other steady seconds
# shellcheck disable=SC2046  # a list of sample numbers
acc_check_run br0 "$hw" "$i0" $((cA + 1)) "$cB" "4 5" $(seq "$g1" "$g2")

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
after=$(acc_row_value "$hw" "$i0" "$VNET_HCOL_BYTES_SENT" $((g2 + 1)))
vnet_note "# figures: interpolated rows $g1..$g2 sent ${ACC_STOP_PCT[4]:-?} %, received ${ACC_STOP_PCT[5]:-?} %;" \
	"row $((g2 + 1)) sent $(acc_pct "${after:-0}" "$ACC_WIRE_RATE") %; totals vs iperf3" \
	"sent $(acc_pct $((sB - sA)) "$ACC_WIRE") %, received $(acc_pct $((rB - rA)) "$ACC_WIRE") %;" \
	"worst other steady second: sent ${ACC_WORSTS[4]:-?}, received ${ACC_WORSTS[5]:-?}"
vnet_finish
