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
#  - the totals moved by iperf3's wire bytes (datagrams x 1042) within 2 %.
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

# stop_run FILE IDX A B TS TC: "G1 G2", the run of consecutive interpolated(2)
# rows among A..B with a row that ended while the agent was stopped (TS..TC,
# deciseconds since the epoch).
stop_run() {
	awk -F'\t' -v a="$3" -v b="$4" -v ts="$5" -v tc="$6" '
		FNR == NR { st[$1] = $2; next }
		{ ep[$1] = $3 * 10 }
		END {
			for (s = a; s <= b + 1; s++) {
				if (s <= b && st[s] == 2) {
					if (r1 == "") r1 = s
					if ((s in ep) && ep[s] >= ts && ep[s] <= tc) hit = 1
					continue
				}
				if (r1 != "" && hit) { print r1, s - 1; exit }
				r1 = ""; hit = 0
			}
			exit 1
		}' <(acc_rows "$1" "$2" "$VNET_HCOL_STATUS") <(acc_row_times "$1" "$2")
}

vnet_snmpd_start
vnet_netns_create
vnet_watchdog_start
vnet_bridge_add br0 2
h1=$(vnet_host_of br0 1)
h2=$(vnet_host_of br0 2)
vnet_agent_start
vnet_wait_networks 1
i0=$(vnet_index_of br0)
[[ -n $i0 ]] || vnet_die "br0 is not in vnetTable"
# The agent is exec'ed by env and ip netns exec: VNET_AGENT_PID is its own pid.
comm=$(cat "/proc/$VNET_AGENT_PID/comm" 2>/dev/null || true)
[[ $comm == vnet-agentx ]] || vnet_die "pid $VNET_AGENT_PID is '$comm', not the agent"
t0=$(_vnet_elapsed_ms)
scratch=""
_vnet_ns_add scratch scratch1
scratch_fill "$scratch"
vnet_log "scratch namespace $scratch: $SCRATCH_PAIRS veth pairs in $(($(_vnet_elapsed_ms) - t0)) ms"
acc_iperf_server "$h2"

# ---------------------------------------------------------------- A, the run with the stop, B
c=$(acc_retry 30 vval "$VNET_OID_CURRENT") || vnet_die "vnetCurrentSample cannot be read"
acc_wait_sample $((c + 1))
snap=$(acc_retry 30 acc_snap "$i0") || vnet_die "reading the totals at A failed"
read -r cA sA rA <<<"$snap"
vnet_log "A: sample $cA, br0 sent/received total $sA/$rA"
acc_iperf_client "$h1" "$h2" "$RUN_S"
sleep "$PRE_S"
# No SNMP request until SIGCONT: only the traffic goes on.
for ((try = 1; try <= TRIES; try++)); do
	provoke "$scratch" $((try == 1 ? LEAD_MS : LEAD_MS - 100)) && break
	vnet_log "try $try: no thread of the agent was seen waiting for RTNL"
	((try < TRIES)) || break
	_vnet_ns_add scratch "scratch$((try + 1))"
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
acc_iperf_wait $((RUN_S + 20))
c=$(acc_retry 30 vval "$VNET_OID_CURRENT") || vnet_die "the agent does not answer after SIGCONT"
acc_wait_sample $((c + 2))
snap=$(acc_retry 30 acc_snap "$i0") || vnet_die "reading the totals at B failed"
read -r cB sB rB <<<"$snap"
vnet_log "B: sample $cB, br0 sent/received total $sB/$rB"
hw=$T/history.txt
acc_retry 30 vwalk -Ox "$VNET_OID_HENTRY" >"$hw" || vnet_die "walking vnetHistoryTable failed"

vnet_assert_cmp "the window A+1..B ($((cA + 1))..$cB) is at most 60 s: every row is still visible" \
	$((cB - cA)) -le 60

# ---------------------------------------------------------------- no hole, history = totals
declare -A TOT=([4]=$((sB - sA)) [5]=$((rB - rA)))
declare -A NAME=([4]=BytesSent [5]=BytesReceived)
declare -A SUM=() WORST=() PCT=()
hole=""
for col in 2 3 4 5; do
	if ! rows=$(acc_window_rows "$hw" "$i0" "$col" $((cA + 1)) "$cB"); then
		hole+=" column $col: $rows;"
		continue
	fi
	((col < 4)) || SUM[$col]=$(acc_sum <<<"$rows")
done
vnet_assert_eq "br0: no hole: every sample $((cA + 1))..$cB has its row" "" "$hole"
for col in 4 5; do
	[[ -n ${SUM[$col]:-} ]] || continue
	vnet_assert_eq "br0: the rows $((cA + 1))..$cB of vnetHistory${NAME[$col]} add up to the change of its total" \
		"${TOT[$col]}" "${SUM[$col]}"
done

# ---------------------------------------------------------------- the rows of the stop
ts=$((T_STOP / 100000)) tc=$((t_cont / 100000))
if ! run=$(stop_run "$hw" "$i0" $((cA + 1)) "$cB" "$ts" "$tc"); then
	vnet_fail "br0: the seconds the agent was stopped are interpolated(2) rows" \
		"no run of interpolated rows in $((cA + 1))..$cB ends a second while it was stopped" \
		"agent tick log, k > 1: $(awk '$2 > 1' "$T/agent-ticks.log" | tr '\n' ';')"
	vnet_finish
fi
read -r g1 g2 <<<"$run"
k=$((g2 - g1 + 1))
vnet_log "interpolated rows: $g1..$g2 (k = $k); agent: $(acc_tick_info "$g2" 1)"
work=$(awk -v s="$g2" '$1 == s { printf "%.0f", $4 / 1e6 }' "$T/agent-ticks.log")
vnet_assert_cmp "br0: the tick that wrote rows $g1..$g2 was stopped inside it (it took ${work:-?} ms)" \
	"${work:-0}" -ge $((STOP_S * 1000))
if ((k >= STOP_S && k <= STOP_S + 2)); then
	vnet_pass "br0: the $STOP_S s stop left one run of $k interpolated(2) rows ($g1..$g2)"
else
	vnet_fail "br0: the $STOP_S s stop leaves one run of $STOP_S..$((STOP_S + 2)) interpolated(2) rows" "rows $g1..$g2: $k"
fi
stalls=$(vnet_stalls 0.9)
declare -A TM=()
while IFS=$'\t' read -r s v; do TM[$s]=$v; done < <(acc_rows "$hw" "$i0" "$VNET_HCOL_TIME")
odd=""
while IFS=$'\t' read -r s st; do
	if ((s <= cA || s > cB || (s >= g1 && s <= g2))) || [[ $st == 1 ]]; then continue; fi
	[[ $st == 2 ]] && t=$(vnet_dat_to_ds "${TM[$s]:-}") && _vnet_in_stall "$t" "$stalls" && continue
	odd+=" $s(status '$st')"
done < <(acc_rows "$hw" "$i0" "$VNET_HCOL_STATUS")
vnet_assert_eq "br0: every other row is valid(1) (interpolated only during a stall the watchdog saw)" "" "$odd"
# The stream ran on while the agent was stopped: the k rows hold k seconds of
# it, if the counters are timed by when they were read.
for col in 4 5; do
	n=$(acc_rows "$hw" "$i0" "$col" | awk -F'\t' -v a="$g1" -v b="$g2" '$1 >= a && $1 <= b' | acc_sum)
	want=$((k * ACC_WIRE_RATE))
	PCT[$col]=$(acc_pct "$n" "$want")
	desc="br0: the $k interpolated rows hold $k seconds of the stream within 5 % (vnetHistory${NAME[$col]})"
	if acc_within "$n" "$want" 5; then
		vnet_pass "$desc ($n B vs $want B, ${PCT[$col]} %)"
	else
		vnet_fail "$desc" "$n B vs $want B (${PCT[$col]} %)" "agent: $(acc_tick_info "$g2" 2)" \
			"row $((g2 + 1)), the first after them: $(acc_rows "$hw" "$i0" "$col" | awk -F'\t' -v s=$((g2 + 1)) '$1 == s { print $2 }') B" \
			"watchdog stalls >= 0.2 s: $(acc_stalls 0.2)"
	fi
done

# ---------------------------------------------------------------- against iperf3
for col in 4 5; do
	err=$(acc_pct "${TOT[$col]}" "$ACC_WIRE")
	desc="br0: vnet${NAME[$col]}Total moved by iperf3's $ACC_PKTS datagrams x $((ACC_LEN + ACC_HDR)) B within 2 %"
	if acc_within "${TOT[$col]}" "$ACC_WIRE" 2; then
		vnet_pass "$desc (${TOT[$col]} B vs $ACC_WIRE B: $err %)"
	else
		vnet_fail "$desc" "agent: ${TOT[$col]} B, iperf3: $ACC_WIRE B ($err %)" \
			"iperf3 server: $ACC_SRV_PKTS datagrams, $ACC_SRV_LOST of them lost"
	fi
done

# ---------------------------------------------------------------- the other steady seconds
if bounds=$(acc_run_bounds "$hw" "$i0" $((cA + 1)) "$cB"); then
	read -r first last <<<"$bounds"
	for col in 4 5; do
		# shellcheck disable=SC2046  # a list of sample numbers
		acc_check_steady br0 "$hw" "$i0" "$col" $((first + 1)) $((last - 1)) $(seq "$g1" "$g2")
		WORST[$col]=$ACC_WORST
	done
else
	vnet_fail "br0: the stream shows in the history" "no row of $((cA + 1))..$cB holds a tenth of a second of it"
fi

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
after=$(acc_rows "$hw" "$i0" "$VNET_HCOL_BYTES_SENT" | awk -F'\t' -v s=$((g2 + 1)) '$1 == s { print $2 }')
vnet_note "# figures: interpolated rows $g1..$g2 sent ${PCT[4]:-?} %, received ${PCT[5]:-?} %;" \
	"row $((g2 + 1)) sent $(acc_pct "${after:-0}" "$ACC_WIRE_RATE") %; totals vs iperf3" \
	"sent $(acc_pct "${TOT[4]}" "$ACC_WIRE") %, received $(acc_pct "${TOT[5]}" "$ACC_WIRE") %;" \
	"worst other steady second: sent ${WORST[4]:-?}, received ${WORST[5]:-?}"
vnet_finish
