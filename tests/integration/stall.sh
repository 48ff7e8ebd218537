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
#    at most 1), and the k rows hold k seconds of the stream within 5 %, sent
#    and received: the agent reads late after SIGCONT, and splits what it read
#    at the newest grid point (the part after it belongs to the next row);
#  - the history adds up to the change of the totals, and the totals to
#    iperf3's wire bytes (datagrams x (1000 + 42)) within 2 % (the packet rows
#    to its datagram count too);
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

acc_stage_br0
i0=$ACC_BR0

# ---------------------------------------------------------------- A, the run with the stop, B
acc_stream_start "$RUN_S"
sleep "$STOP_AFTER_S"
# No SNMP request while the agent is stopped: only the traffic goes on.
t_stop=${EPOCHREALTIME/./}
kill -STOP "$VNET_AGENT_PID"
sleep "$STOP_S"
kill -CONT "$VNET_AGENT_PID"
t_cont=${EPOCHREALTIME/./}
vnet_log "agent stopped for $(((t_cont - t_stop) / 1000)) ms"

# ---------------------------------------------------------------- no hole, history = totals
acc_stream_end "$RUN_S" 2 3 4 5 6 7

# ---------------------------------------------------------------- the interpolated rows
ts=$((t_stop / 100000)) tc=$((t_cont / 100000))
if acc_check_stop_run br0 "$hw" "$i0" $((cA + 1)) "$cB" "$ts" "$tc" "$STOP_S"; then
	g1=$ACC_G1 g2=$ACC_G2 k=$((ACC_G2 - ACC_G1 + 1))
	# They cover the stop: vnetHistoryTime is the end of each second (deciseconds).
	declare -A TM=()
	while IFS=$'\t' read -r s v; do TM[$s]=$v; done < <(acc_rows "$hw" "$i0" "$VNET_HCOL_TIME")
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
		((hi - lo <= 1)) || uneven+=" ${ACC_COL_NAME[$col]}: $lo..$hi;"
	done
	vnet_assert_eq "br0: the $k interpolated rows share the amount evenly (differ by at most 1)" "" "$uneven"
	acc_check_stop_rows br0 "$hw" "$i0" 4 5
fi

# ---------------------------------------------------------------- against iperf3
acc_check_iperf br0 2 $((sB - sA)) $((rB - rA))

# ---------------------------------------------------------------- the other steady seconds
if [[ -n $ACC_G1 ]]; then
	# shellcheck disable=SC2046  # a list of sample numbers
	acc_check_run br0 "$hw" "$i0" $((cA + 1)) "$cB" "4 5" $(seq "$ACC_G1" "$ACC_G2")
fi

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_note "# figures: totals vs iperf3's wire bytes: sent $(acc_pct $((sB - sA)) "$ACC_WIRE") %, received $(acc_pct $((rB - rA)) "$ACC_WIRE") %;" \
	"interpolated rows ${ACC_G1:-?}..${ACC_G2:-?} (each ${ACC_STOP_PCT[4]:-?} %); worst other steady second: sent ${ACC_WORSTS[4]:-?}, received ${ACC_WORSTS[5]:-?}"
vnet_finish
