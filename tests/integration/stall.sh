#!/usr/bin/env bash
# tests/integration/stall.sh: the agent stopped for 5 s in the middle of a
# measured run: every second still accounted for.
#
# The run of accuracy.sh (iperf3: 8 Mbit/s of 1000-byte UDP datagrams from h1
# to h2 through br0 for 20 s), with the agent stopped (SIGSTOP, every thread)
# 7 s into it and continued (SIGCONT) 5 s later, while the traffic goes on.
# With A and B read in one PDU each (vnetCurrentSample + the totals) before the
# run and after its last second was sampled:
#  - no hole: every sample A+1..B has its row (all visible: the window is < 60 s);
#  - the seconds the agent missed are one run of k >= 5 consecutive rows, all
#    interpolated(2), that cover the stop (the first ends within a second after
#    SIGSTOP, the last within a second before SIGCONT, by vnetHistoryTime);
#    every other row is valid(1) (or interpolated next to a stall of the whole
#    machine that the watchdog saw too);
#  - the amount is shared evenly over the k rows (bytes and packets differ by
#    at most 1), and the k rows hold k seconds of the stream within 5 %: the
#    agent reads late after SIGCONT, and splits what it read at the newest
#    grid point (the part after it belongs to the next row);
#  - the history adds up to the change of the totals, and the totals to
#    iperf3's wire bytes (datagrams x (1000 + 42)) within 2 %;
#  - every other steady second, the one after the stop included, holds one
#    second of the stream within 5 % (a second that the traffic generator's
#    own irregularity explains, with evidence, passes and is named: see
#    acc_check_steady in acc-lib.sh).
# Runs in about 30 s.

# shellcheck disable=SC2119
VNET_TEST_NAME=stall
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=tests/integration/acc-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/acc-lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip ss snmpd snmpget snmpbulkwalk iperf3 timeout awk
vnet_need_agent

RUN_S=20
STOP_AFTER_S=7
STOP_S=5

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
acc_iperf_server "$h2"

# ---------------------------------------------------------------- A, the run with the stop, B
c=$(acc_retry 30 vval "$VNET_OID_CURRENT") || vnet_die "vnetCurrentSample cannot be read"
acc_wait_sample $((c + 1))
snap=$(acc_retry 30 acc_snap "$i0") || vnet_die "reading the totals at A failed"
read -r cA sA rA <<<"$snap"
vnet_log "A: sample $cA, br0 sent/received total $sA/$rA"
acc_iperf_client "$h1" "$h2" "$RUN_S"
sleep "$STOP_AFTER_S"
# No SNMP request while the agent is stopped: only the traffic goes on.
t_stop=${EPOCHREALTIME/./}
kill -STOP "$VNET_AGENT_PID"
sleep "$STOP_S"
kill -CONT "$VNET_AGENT_PID"
t_cont=${EPOCHREALTIME/./}
vnet_log "agent stopped for $(((t_cont - t_stop) / 1000)) ms"
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
declare -A NAME=([4]=BytesSent [5]=BytesReceived [6]=PacketsSent [7]=PacketsReceived)
declare -A SUM=() WORST=()
hole=""
for col in 2 3 4 5 6 7; do
	if ! rows=$(acc_window_rows "$hw" "$i0" "$col" $((cA + 1)) "$cB"); then
		hole+=" column $col: $rows;"
		continue
	fi
	((col < 4)) || SUM[$col]=$(acc_sum <<<"$rows")
done
vnet_assert_eq "br0: no hole: every sample $((cA + 1))..$cB has its row, in every column" "" "$hole"
for col in 4 5; do
	[[ -n ${SUM[$col]:-} ]] || continue
	vnet_assert_eq "br0: the rows $((cA + 1))..$cB of vnetHistory${NAME[$col]} add up to the change of its total" \
		"${TOT[$col]}" "${SUM[$col]}"
done

# ---------------------------------------------------------------- the interpolated rows
declare -A ST=() TM=()
while IFS=$'\t' read -r s v; do ST[$s]=$v; done < <(acc_rows "$hw" "$i0" "$VNET_HCOL_STATUS")
while IFS=$'\t' read -r s v; do TM[$s]=$v; done < <(acc_rows "$hw" "$i0" "$VNET_HCOL_TIME")
stalls=$(vnet_stalls 0.9)
ts=$((t_stop / 100000)) tc=$((t_cont / 100000))
# The runs of consecutive interpolated(2) rows; the stop's is the one with a
# row that ends while the agent was stopped.  Any other interpolated row must
# be explained by a stall of the whole machine that the watchdog saw too.
runs=() r1=""
for ((s = cA + 1; s <= cB + 1; s++)); do
	if [[ ${ST[$s]:-} == 2 ]]; then
		[[ -n $r1 ]] || r1=$s
	elif [[ -n $r1 ]]; then
		runs+=("$r1 $((s - 1))")
		r1=""
	fi
done
g1="" g2=""
for run in "${runs[@]}"; do
	read -r a b <<<"$run"
	for ((s = a; s <= b; s++)); do
		if t=$(vnet_dat_to_ds "${TM[$s]:-}") && ((t >= ts && t <= tc)); then
			g1=$a g2=$b
			break 2
		fi
	done
done
odd=""
for ((s = cA + 1; s <= cB; s++)); do
	st=${ST[$s]:-}
	[[ $st != 1 ]] || continue
	[[ -z $g1 ]] || ((s < g1 || s > g2)) || continue
	if [[ $st == 2 ]] && t=$(vnet_dat_to_ds "${TM[$s]:-}") && _vnet_in_stall "$t" "$stalls"; then
		continue
	fi
	odd+=" $s(status '$st')"
done
if [[ -z $g1 ]]; then
	vnet_fail "br0: the seconds the agent was stopped are interpolated(2) rows" \
		"no run of interpolated rows in $((cA + 1))..$cB ends a second while it was stopped (runs: ${runs[*]:-none})" \
		"agent tick log, k > 1: $(awk '$2 > 1' "$T/agent-ticks.log" | tr '\n' ';')"
else
	k=$((g2 - g1 + 1))
	vnet_log "interpolated rows: $g1..$g2 (k = $k)"
	vnet_assert_eq "br0: every other row is valid(1) (interpolated only during a stall the watchdog saw)" "" "$odd"
	if ((k >= STOP_S && k <= STOP_S + 2)); then
		vnet_pass "br0: the $STOP_S s stop left one run of $k interpolated(2) rows ($g1..$g2)"
	else
		vnet_fail "br0: the $STOP_S s stop leaves one run of $STOP_S..$((STOP_S + 2)) interpolated(2) rows" "rows $g1..$g2: $k"
	fi
	# They cover the stop: vnetHistoryTime is the end of each second (deciseconds).
	if e1=$(vnet_dat_to_ds "${TM[$g1]:-}") && e2=$(vnet_dat_to_ds "${TM[$g2]:-}"); then
		if ((e1 >= ts - 2 && e1 <= ts + 12 && e2 >= tc - 12 && e2 <= tc + 5)); then
			vnet_pass "br0: the interpolated rows are the seconds of the stop (they end $(vnet_dat_fmt "${TM[$g1]}")..$(vnet_dat_fmt "${TM[$g2]}"), stop at $(date -u -d "@$((ts / 10)).$((ts % 10))" +%T.%1N), continued at $(date -u -d "@$((tc / 10)).$((tc % 10))" +%T.%1N))"
		else
			vnet_fail "br0: the interpolated rows are the seconds of the stop" \
				"rows end at $e1..$e2 ds, SIGSTOP at $ts ds, SIGCONT at $tc ds (epoch, UTC)"
		fi
	else
		vnet_fail "br0: the interpolated rows have a vnetHistoryTime" "'${TM[$g1]:-}' '${TM[$g2]:-}'"
	fi
	# Shared evenly.
	uneven=""
	for col in 4 5 6 7; do
		mm=$(acc_rows "$hw" "$i0" "$col" | awk -F'\t' -v a="$g1" -v b="$g2" '$1 >= a && $1 <= b {
			if (n++ == 0 || $2 < lo) lo = $2; if ($2 > hi) hi = $2 } END { printf "%.0f %.0f\n", lo, hi }')
		read -r lo hi <<<"$mm"
		((hi - lo <= 1)) || uneven+=" ${NAME[$col]}: $lo..$hi;"
	done
	vnet_assert_eq "br0: the $k interpolated rows share the amount evenly (differ by at most 1)" "" "$uneven"
	# Nothing lost or doubled, nothing moved to the wrong second: the stream
	# ran on while the agent was stopped, and the agent splits what it read
	# after SIGCONT at the newest grid point (the part after it goes to the
	# next row), so the k rows hold k seconds of the stream.
	n=$(acc_rows "$hw" "$i0" "$VNET_HCOL_BYTES_SENT" | awk -F'\t' -v a="$g1" -v b="$g2" '$1 >= a && $1 <= b' | acc_sum)
	want=$((k * ACC_WIRE_RATE))
	PER_ROW=$(acc_pct "$n" "$want")
	desc="br0: the $k interpolated rows hold $k seconds of the stream within 5 % (each $((n / k)) B)"
	if acc_within "$n" "$want" 5; then
		vnet_pass "$desc ($n B vs $want B, $(acc_pct "$n" "$want") %)"
	else
		# The tick that wrote them: if it took longer than a second, the stop
		# came while it ran, after (or while) it dumped the counters.
		work=$(awk -v s="$g2" '$1 == s { printf "%.0f", $4 / 1e6 }' "$T/agent-ticks.log" 2>/dev/null || true)
		vnet_fail "$desc" "$n B vs $want B ($(acc_pct "$n" "$want") %)" "agent: $(acc_tick_info "$g2" 2)" \
			"watchdog stalls >= 0.2 s: $(acc_stalls 0.2)" \
			"${work:+the tick that wrote them took $work ms}$( ((${work:-0} > 1000)) && echo ": SIGSTOP came inside it, so the counters it had read before the stop were timed after it")"
	fi
fi

# ---------------------------------------------------------------- against iperf3
ERR_SENT=$(acc_pct "${TOT[4]}" "$ACC_WIRE")
ERR_RECV=$(acc_pct "${TOT[5]}" "$ACC_WIRE")
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
for col in 6 7; do
	[[ -n ${SUM[$col]:-} ]] || continue
	err=$(acc_pct "${SUM[$col]}" "$ACC_PKTS")
	if acc_within "${SUM[$col]}" "$ACC_PKTS" 2; then
		vnet_pass "br0: vnetHistory${NAME[$col]} over the run = iperf3's datagram count within 2 % (${SUM[$col]} vs $ACC_PKTS: $err %)"
	else
		vnet_fail "br0: vnetHistory${NAME[$col]} over the run = iperf3's datagram count within 2 %" \
			"agent: ${SUM[$col]}, iperf3: $ACC_PKTS ($err %)"
	fi
done

# ---------------------------------------------------------------- the other steady seconds
if [[ -n $g1 ]] && bounds=$(acc_run_bounds "$hw" "$i0" $((cA + 1)) "$cB"); then
	read -r first last <<<"$bounds"
	for col in 4 5; do
		# shellcheck disable=SC2046  # a list of sample numbers
		acc_check_steady br0 "$hw" "$i0" "$col" $((first + 1)) $((last - 1)) $(seq "$g1" "$g2")
		WORST[$col]=$ACC_WORST
	done
fi

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_note "# figures: totals vs iperf3's wire bytes: sent $ERR_SENT %, received $ERR_RECV %;" \
	"interpolated rows ${g1:-?}..${g2:-?} (each ${PER_ROW:-?} %); worst other steady second: sent ${WORST[4]:-?}, received ${WORST[5]:-?}"
vnet_finish
