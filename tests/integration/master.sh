#!/usr/bin/env bash
# tests/integration/master.sh: the AgentX master comes and goes; no second is lost.
#
# The sampler never depends on the master (its own thread on a CLOCK_MONOTONIC
# grid); the main thread pings the master every agentXPingInterval (2 s here)
# and reconnects.  br0 carries steady UDP between its two hosts throughout.
#  (c) master not there yet: the agent starts with no master listening, runs and
#      samples (tick log, "Failed to connect" in its log); snmpd starts; the
#      agent attaches within ping interval + 1 s of snmpd's launch, and its
#      history reaches back before the master existed (valid(1) rows, sample 1 on);
#  (a) master restart: snmpd SIGTERMed, ~5 s later started again with the same
#      configuration and sockets: the agent answers again within 3 s of the
#      launch; every second of the outage is a valid(1) row, no sample missing;
#  (b) master frozen: snmpd SIGSTOPped 10 s, then SIGCONT: the agent answers
#      again within 2 s of SIGCONT; no row of those seconds missing or
#      interpolated (interpolated(2) only during a machine stall the watchdog
#      saw too: vnet_check_status);
# and br0's rows each hold about one second of its traffic (vnet_check_steady),
# the agent never restarts, and it exits 0 on SIGTERM at the end.
# Runs in about 30 s.

# shellcheck disable=SC2119
VNET_TEST_NAME=master
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=tests/integration/acc-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/acc-lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 timeout awk
vnet_need_agent

H=$VNET_OID_HENTRY
CUR=$VNET_OID_CURRENT
PING=2           # agentXPingInterval for this test
OUTAGE=5         # (a): seconds without a master
FREEZE=10        # (b): seconds the master is stopped

now_ms() { _vnet_elapsed_ms; }

# agent_start_nowait [CONFIG-LINE...]: vnet_agent_start's command line, without
# waiting for the agent to answer (there may be no master yet).
agent_start_nowait() {
	local -a cmd
	vnet_agent_conf "$@"
	cmd=(env "VNET_AGENTX_TICKLOG=$T/agent-ticks.log" ip netns exec "$VNET_SW"
		"$VNET_AGENTX" -f -C -c "$T/vnet.conf" -x "unix:$T/agentx.sock" -Lf "$T/agent.log")
	vnet_log "starting: ${cmd[*]}"
	"${cmd[@]}" </dev/null >"$T/agent.stderr" 2>&1 &
	VNET_AGENT_PID=$!
	_vnet_track "$VNET_AGENT_PID" vnet-agentx
}

# quick_cur: vnetCurrentSample.0 through the master, one try of at most 1 s.
quick_cur() {
	local out
	out=$(env -u MIBS -u MIBDIRS timeout 5 snmpget -v2c -c public -On -t 1 -r 0 \
		"unix:$T/snmp.sock" "$CUR" 2>/dev/null) || return 1
	[[ $out =~ (Gauge32|Unsigned32):\ ([0-9]+)$ ]] || return 1
	printf '%s\n' "${BASH_REMATCH[2]}"
}

# wait_answer TIMEOUT_S: poll vnetCurrentSample every 0.1 s until the agent
# answers through the master; prints the time (ms since the epoch) it did.
wait_answer() {
	local deadline=$(($(now_ms) + $1 * 1000))
	while (($(now_ms) < deadline)); do
		if quick_cur >/dev/null; then
			now_ms
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# ticks: lines in the agent's tick log (one per sampler tick).
ticks() { if [[ -s $T/agent-ticks.log ]]; then wc -l <"$T/agent-ticks.log"; else echo 0; fi; }

# walk_hist FILE: br0's history columns 2 (time), 3 (status), 4 (bytes sent).
walk_hist() {
	local c
	: >"$1"
	for c in "$VNET_HCOL_TIME" "$VNET_HCOL_STATUS" "$VNET_HCOL_BYTES_SENT"; do
		vwalk -Ox "$H.$c.$IDX" >>"$1" || return 1
	done
}

# check_span DESC FILE FROM TO: samples FROM..TO are all present in FILE's
# status column and valid(1): interpolated(2) only within a machine stall the
# watchdog saw (acc_odd_rows: lib.sh's rule, as in vnet_check_status).
check_span() {
	local desc=$1 file=$2 from=$3 to=$4
	acc_odd_rows "$file" "$IDX" "$from" "$to"
	if [[ -n $ACC_ODD ]]; then
		vnet_fail "$desc: samples $from..$to all present and valid(1)" "problems:${ACC_ODD:0:600}" \
			"watchdog stalls: $(tr '\n' ';' <<<"${ACC_STALLS:-none}")"
	elif ((ACC_EXCUSED)); then
		vnet_pass "$desc: samples $from..$to all present, valid(1) but $ACC_EXCUSED interpolated(2) during a machine stall ($(tr '\n' ';' <<<"$ACC_STALLS"))"
	else
		vnet_pass "$desc: samples $from..$to all present and valid(1) ($((to - from + 1)) rows)"
	fi
}

# within DESC MS LIMIT_MS FROM_MS: pass if MS <= LIMIT_MS; a miss is excused
# (and said so) when the watchdog saw the machine stall between FROM_MS and now.
within() {
	local desc=$1 ms=$2 limit=$3 from=$4 st
	if ((ms <= limit)); then
		vnet_pass "$desc ($ms ms <= $limit ms)"
		return 0
	fi
	st=$(vnet_stalls 0.9 | awk -v a="$from" -v b="$(now_ms)" '$3 * 1000 >= a - 1500 && $2 * 1000 <= b')
	if [[ -n $st ]]; then
		vnet_pass "$desc ($ms ms: over $limit ms, but the machine stalled meanwhile: $(tr '\n' ';' <<<"$st"))"
	else
		vnet_fail "$desc" "took $ms ms, limit $limit ms" "agent log: $(tail -4 "$T/agent.log" | tr '\n' ';')"
	fi
}

# check_contiguous TAG FILE: the status column's samples have no hole; SPAN:
# "first last" (and the holes, if any).
SPAN=""
check_contiguous() {
	if SPAN=$(vnet_history_rows "$IDX" "$VNET_HCOL_STATUS" "$2" | awk -F'\t' '
		NR == 1 { first = $1 } NR > 1 && $1 != prev + 1 { hole = hole " " prev "->" $1 }
		{ prev = $1 } END { print first, prev (hole == "" ? "" : " holes:" hole); exit (hole != "") }'); then
		vnet_pass "$1 br0's history has no hole (samples ${SPAN/ /..})"
	else
		vnet_fail "$1 br0's history has no hole" "$SPAN"
	fi
}

# attached DESC LIMIT_MS FROM_MS: the agent answers through the master within
# LIMIT_MS of FROM_MS (ms since the epoch; `within` excuses a machine stall);
# dies if it gives no answer within 10 s at all: nothing after can be checked.
attached() {
	local desc=$1 limit=$2 from=$3 t_att
	if ! t_att=$(wait_answer 10); then
		vnet_fail "$desc" "no answer within 10 s" "$(tail -5 "$T/agent.log")"
		vnet_die "cannot go on without the agent attached"
	fi
	within "$desc" $((t_att - from)) "$limit" "$from"
}

acc_bridge_br0
vnet_traffic_start "$ACC_H2" "$ACC_H1" 2M

# ---------------------------------------------------------------- (c) no master yet
agent_start_nowait "agentXPingInterval $PING"
for ((i = 0; i < 50 && $(ticks) < 4; i++)); do sleep 0.2; done
vnet_assert_eq "(c) with no master, the agent keeps running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
n=$(ticks)
vnet_assert_cmp "(c) with no master, the sampler ticks ($n ticks in the tick log)" "$n" -ge 4
vnet_assert_contains "(c) with no master, the agent logs that it cannot connect" \
	"Failed to connect to the agentx master agent" "$(cat "$T/agent.log")"
vnet_check "(c) the master's socket really is absent" test ! -e "$T/agentx.sock"

t_launch=$(now_ms)
vnet_snmpd_start >/dev/null
t_up=$(now_ms)
vnet_log "(c) snmpd launched; it answered $((t_up - t_launch)) ms later"
attached "(c) the agent attaches within ping interval + 1 s of the master's start" $(((PING + 1) * 1000)) "$t_launch"
IDX=$(vnet_index_of br0)
[[ $IDX =~ ^[0-9]+$ ]] || vnet_die "br0 is not in vnetTable"
sleep 1
walk_hist "$T/hist-c.txt" || vnet_die "walking br0's history failed"
check_contiguous "(c)" "$T/hist-c.txt"
read -r first last _ <<<"$SPAN"
vnet_assert_eq "(c) the history starts at sample 1" 1 "$first"
check_span "(c) from the agent's start, through the master's start" "$T/hist-c.txt" 1 "$last"
# rows whose interval ended before the master was launched
before=$(join -t $'\t' <(vnet_history_rows "$IDX" "$VNET_HCOL_TIME" "$T/hist-c.txt" | sort) \
	<(vnet_history_rows "$IDX" "$VNET_HCOL_STATUS" "$T/hist-c.txt" | sort) |
	while IFS=$'\t' read -r smp hex st; do
		ds=$(vnet_dat_to_ds "$hex") || continue
		if ((ds * 100 < t_launch && st == 1)); then printf '%s\n' "$smp"; fi
	done | wc -l)
vnet_assert_cmp "(c) the history reaches back before the master existed ($before valid rows ended before its launch)" \
	"$before" -ge 3

# ---------------------------------------------------------------- (a) master restart
c_before=$(vval "$CUR")
t_down0=$(now_ms)
vnet_stop_pid "$VNET_SNMPD_PID" 5 || true
t_down=$(now_ms)
vnet_log "(a) snmpd stopped (SIGTERM) in $((t_down - t_down0)) ms at sample $c_before; ${OUTAGE} s without a master"
sleep "$OUTAGE"
vnet_assert_eq "(a) the agent survives the master's exit" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
t_launch=$(now_ms)
vnet_snmpd_start >/dev/null
t_up=$(now_ms)
vnet_log "(a) snmpd launched again; it answered $((t_up - t_launch)) ms later"
attached "(a) the agent re-registers within 3 s of the master's return" 3000 "$t_launch"
c_after=$(vval "$CUR")
out_s=$(((t_launch - t_down + 999) / 1000))
vnet_assert_cmp "(a) the sampler kept counting through the outage (samples $c_before -> $c_after over ${out_s} s)" \
	$((c_after - c_before)) -ge $((out_s - 1))
walk_hist "$T/hist-a.txt" || vnet_die "walking br0's history failed"
check_span "(a) master restart" "$T/hist-a.txt" "$((c_before - 2))" "$c_after"
check_contiguous "(a)" "$T/hist-a.txt"

# ---------------------------------------------------------------- (b) master frozen
sleep 1
c_before=$(vval "$CUR")
kill -STOP "$VNET_SNMPD_PID"
t_stop=$(now_ms)
vnet_log "(b) snmpd stopped (SIGSTOP) at sample $c_before for ${FREEZE} s"
sleep "$FREEZE"
kill -CONT "$VNET_SNMPD_PID"
t_cont=$(now_ms)
attached "(b) the agent answers within 2 s of the master's return (SIGCONT)" 2000 "$t_cont"
c_after=$(vval "$CUR")
fr_s=$(((t_cont - t_stop) / 1000))
vnet_assert_cmp "(b) the sampler kept counting while the master was frozen (samples $c_before -> $c_after over ${fr_s} s)" \
	$((c_after - c_before)) -ge $((fr_s - 1))
sleep 1
walk_hist "$T/hist-b.txt" || vnet_die "walking br0's history failed"
# interpolated(2) rows are excused only by a machine stall (lib.sh's rule)
vnet_check_status "(b) br0" "$IDX" "$T/hist-b.txt"
check_contiguous "(b)" "$T/hist-b.txt"
read -r first last _ <<<"$SPAN"
cover=$(awk -v a="$c_before" -v b="$c_after" -v f="$first" -v l="$last" 'BEGIN { print (f <= a && l >= b) ? "" : "not covered" }')
vnet_assert_eq "(b) the rows of the frozen seconds ($c_before..$c_after) are there" "" "$cover"
rereg=$(grep -c -e 'failed to respond to ping' -e 'disconnected us' "$T/agent.log" || true)
vnet_log "(b) the agent's log so far: $rereg lost sessions (the restart in (a) is one), $(grep -c 'subagent connected' "$T/agent.log" || true) connections"
strict=$(vnet_history_rows "$IDX" "$VNET_HCOL_STATUS" "$T/hist-b.txt" |
	awk -F'\t' -v a="$c_before" -v b="$c_after" '$1 >= a && $1 <= b && $2 != 1 { n++ } END { print n + 0 }')
vnet_log "(b) rows of the frozen seconds not valid(1): $strict (watchdog stalls: $(vnet_stalls 0.9 | tr '\n' ';'))"
vnet_check_steady "br0 (whole window: restart and freeze)" "$IDX" "$T/hist-b.txt"

# How the agent saw it (for the record).
grep -n -i -e agentx -e master -e ping "$T/agent.log" | sed 's/^/# agent.log: /' | tail -n 12 || true

vnet_assert_eq "the agent ran throughout (one process)" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_agent_stop 5 || true
vnet_assert_eq "SIGTERM at the end: exit 0" 0 "$VNET_AGENT_RC"
vnet_assert_cmp "SIGTERM at the end: exits within 1 s ($VNET_AGENT_STOP_MS ms)" "$VNET_AGENT_STOP_MS" -le 1000
vnet_finish
