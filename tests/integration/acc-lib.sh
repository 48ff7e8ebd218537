# shellcheck shell=bash
# tests/integration/acc-lib.sh: helpers shared by the accounting tests
# (accuracy.sh, stall.sh, stall-dump.sh, churn.sh; master.sh uses acc_bridge_br0
# and acc_odd_rows).  Sourced after tests/lib.sh,
# never run by itself; it only adds functions and constants, and uses lib.sh's
# tracking (_vnet_track) so that cleanup stops everything it starts.
#
# The independent meter is iperf3: a UDP stream at a fixed rate with a fixed
# datagram length, whose JSON report (-J) says exactly how many datagrams the
# client put on the wire.  On a veth, tx_bytes/rx_bytes count the Ethernet
# frame as the stack hands it over: 14 (Ethernet) + 20 (IPv4) + 8 (UDP) +
# payload; no preamble, no FCS, no padding (veths never pad short frames).
# So one datagram of ACC_LEN payload bytes is ACC_LEN + 42 bytes on the wire.
#
#   acc_bridge_br0             switch namespace, watchdog, br0 with hosts ACC_H1, ACC_H2
#   acc_agent_br0 [CONF...]    the agent serving br0 (vnetIndex ACC_BR0)
#   acc_snapshot L N NET IDX...  A or B: one PDU of the totals N samples on (ACC_SNAP)
#   acc_walk_window FILE A B   walk the history; the window A+1..B is still visible
#   acc_json_flat FILE         iperf3's JSON as "path<TAB>value" lines
#   acc_json FILE PATH...      the first PATH present in FILE
#   acc_iperf_server HOST      iperf3 -s -1 -J in HOST (one test, then it exits)
#   acc_iperf_client FROM TO S the fixed-rate UDP stream for S seconds, in the background
#   acc_iperf_wait             wait for both; ACC_PKTS/ACC_BYTES/ACC_WIRE/...
#   acc_snap IDX...            one GET PDU: vnetCurrentSample and the totals
#   acc_retry S CMD...         CMD until it succeeds, for up to S seconds
#   acc_wait_sample N          wait until vnetCurrentSample >= N
#   acc_rows FILE IDX COL      "sample<TAB>value" of one history column
#   acc_row_value FILE IDX COL S      the value of row S
#   acc_window_rows FILE IDX COL A B  the rows A..B (fails if one is missing)
#   acc_sum / acc_pct / acc_within    arithmetic on big numbers (awk)
#   acc_row_times FILE IDX     when each row ended (readable and epoch)
#   acc_stalls MIN_S           the watchdog's stalls, readable
#   acc_machine_stalled MS     the watchdog saw (or is in) a stall >= 1 s since MS
#   acc_tick_info S            the agent's tick-log lines around sample S (evidence)
#   acc_run_bounds FILE IDX A B       the first and last rows the stream shows in
#   acc_check_steady NET FILE IDX COL FIRST LAST [SKIP...]
#                              each row holds one second of the stream within
#                              5 % (or ACC_TOL %, or only not above: ACC_UPPER=1),
#                              unless machine load explains it with evidence
#   acc_check_window NET FILE IDX A B DS DR COL...  no hole; rows add up to the totals
#   acc_check_iperf NET PCT DS DR     the totals (and packet rows) against iperf3
#   acc_check_run NET FILE IDX A B COLS [SKIP...]  the stream's steady seconds
#   acc_odd_rows FILE IDX A B [G1 G2] rows not valid(1) that no machine stall explains
#   acc_stop_run FILE IDX A B TS TC   the interpolated rows of a SIGSTOP of the agent
#   acc_check_stop_run NET FILE IDX A B TS TC STOP_S   ... found and checked
#   acc_check_stop_rows NET FILE IDX COL...  they hold k seconds of the stream
#   acc_tick_work S            how long the tick that wrote sample S took (ms)

# shellcheck disable=SC2034  # constants for the scripts that source this file
{
	ACC_LEN=1000                                    # iperf3 -l: UDP payload bytes per datagram
	ACC_HDR=42                                      # Ethernet 14 + IPv4 20 + UDP 8
	ACC_RATE=8000000                                # iperf3 -b, bit/s of UDP payload
	ACC_PPS=$((ACC_RATE / 8 / ACC_LEN))             # 1000 datagrams per second
	ACC_WIRE_RATE=$((ACC_PPS * (ACC_LEN + ACC_HDR))) # 1 042 000 bytes per second on the wire
	ACC_PORT=5201
}
ACC_SERVER_PID="" ACC_CLIENT_PID="" ACC_CLIENT_T0="" ACC_CLIENT_T1=""
ACC_PKTS="" ACC_BYTES="" ACC_WIRE="" ACC_SRV_PKTS="" ACC_SRV_LOST=""
# shellcheck disable=SC2034  # for the scripts that source this file
declare -A ACC_COL_NAME=([4]=BytesSent [5]=BytesReceived [6]=PacketsSent [7]=PacketsReceived [8]=PacketsDropped)

# ---------------------------------------------------------------- the stage and the window

# acc_bridge_br0: the switch namespace, the watchdog and bridge br0 with two
# ports, each leading to a host namespace: ACC_H1 (the stream's sender) and
# ACC_H2 (its receiver).  Starts neither snmpd nor the agent: a test may want
# them earlier, later or with other settings.
ACC_H1="" ACC_H2=""
acc_bridge_br0() {
	vnet_netns_create
	vnet_watchdog_start
	vnet_bridge_add br0 2
	ACC_H1=$(vnet_host_of br0 1)
	ACC_H2=$(vnet_host_of br0 2)
}

# acc_agent_br0 [CONFIG-LINE...]: start the agent (vnet_agent_start), wait until
# it serves br0 alone; ACC_BR0: br0's vnetIndex.  Dies unless VNET_AGENT_PID
# is the agent's own pid (it is exec'ed by env and ip netns exec), which the
# tests that SIGSTOP it rely on.
ACC_BR0=""
acc_agent_br0() {
	local comm
	vnet_agent_start "$@"
	vnet_wait_networks 1
	ACC_BR0=$(vnet_index_of br0)
	[[ -n $ACC_BR0 ]] || vnet_die "br0 is not in vnetTable"
	comm=$(cat "/proc/$VNET_AGENT_PID/comm" 2>/dev/null || true)
	[[ $comm == vnet-agentx ]] || vnet_die "pid $VNET_AGENT_PID is '$comm', not the agent"
}

# acc_stage_br0 [CONFIG-LINE...]: snmpd, acc_bridge_br0, acc_agent_br0 (with
# the config lines) and the iperf3 server on ACC_H2: the stage of the tests
# that measure one stream through br0.
acc_stage_br0() {
	vnet_snmpd_start
	acc_bridge_br0
	acc_agent_br0 "$@"
	acc_iperf_server "$ACC_H2"
}

# acc_stream_start SECONDS: reading A of br0 (sets cA sA rA: the sample and
# the totals sent/received, one PDU), then the stream from ACC_H1 to ACC_H2
# for SECONDS s.
acc_stream_start() {
	acc_snapshot A 1 br0 "$ACC_BR0"
	read -r cA sA rA <<<"$ACC_SNAP"
	acc_iperf_client "$ACC_H1" "$ACC_H2" "$1"
}

# acc_stream_end SECONDS COL...: wait for the stream's client (started
# SECONDS s long), then reading B (sets cB sB rB), the history walked into
# hw=$T/history.txt, and acc_check_window over A+1..B for the columns COL.
# The last frame crossed br0 before the client exited; the sample in
# progress then ends within 1 s, so B waits for two more samples.
acc_stream_end() {
	local seconds=$1
	shift
	acc_iperf_wait $((seconds + 20))
	acc_snapshot B 2 br0 "$ACC_BR0"
	read -r cB sB rB <<<"$ACC_SNAP"
	hw=$T/history.txt
	acc_walk_window "$hw" "$cA" "$cB"
	acc_check_window br0 "$hw" "$ACC_BR0" $((cA + 1)) "$cB" $((sB - sA)) $((rB - rA)) "$@"
}

# acc_snapshot LABEL N NET IDX [NET IDX...]: wait until N more samples are
# complete, then read vnetCurrentSample and the totals of each IDX in ONE PDU
# (acc_snap), so that they describe the same instant.  ACC_SNAP: "cur s1 r1
# s2 r2 ...".  LABEL (A: before the run, B: after it) only names it in the
# log and in the errors.  N = 1 before a run: the next sample begins a
# second; N = 2 after it: the second the last frame crossed in is surely
# sampled.  Each read is tried for 30 s (acc_retry: snmpd cannot answer while
# another process holds RTNL).
ACC_SNAP=""
acc_snapshot() {
	local label=$1 ahead=$2 c totals="" i=0
	shift 2
	c=$(acc_retry 30 vval "$VNET_OID_CURRENT") ||
		vnet_die "vnetCurrentSample cannot be read before $label (the agent does not answer)"
	acc_wait_sample $((c + ahead))
	local -a nets=() idxs=() v
	while (($# >= 2)); do
		nets+=("$1") idxs+=("$2")
		shift 2
	done
	ACC_SNAP=$(acc_retry 30 acc_snap "${idxs[@]}") || vnet_die "reading the totals at $label failed"
	read -r -a v <<<"$ACC_SNAP"
	for ((i = 0; i < ${#nets[@]}; i++)); do
		totals+=", ${nets[i]} sent/received total ${v[2 * i + 1]}/${v[2 * i + 2]}"
	done
	vnet_log "$label: sample ${v[0]}$totals"
}

# acc_walk_window FILE A B: the whole vnetHistoryTable into FILE (a parsed
# walk, tried for 30 s), and the check that the window A+1..B is at most 60 s
# long, so that every one of its rows is still in the history.
acc_walk_window() {
	local file=$1 a=$2 b=$3
	acc_retry 30 vwalk -Ox "$VNET_OID_HENTRY" >"$file" || vnet_die "walking vnetHistoryTable failed"
	vnet_assert_cmp "the window A+1..B ($((a + 1))..$b) is at most 60 s: every row is still visible" \
		$((b - a)) -le 60
}

# ---------------------------------------------------------------- iperf3 JSON

# acc_json_flat FILE: flatten a JSON document into "path<TAB>value" lines
# (object keys joined with ".", array elements by their 0-based position;
# strings without their quotes, escapes kept as written).  Enough for
# iperf3's reports; plain awk, no jq.
acc_json_flat() {
	awk '
	{ s = s $0 "\n" }
	END {
		n = length(s); pos = 1
		value("")
	}
	function ws() { while (pos <= n && index(" \t\r\n", substr(s, pos, 1)) > 0) pos++ }
	function str(   out, c) {
		pos++
		out = ""
		while (pos <= n) {
			c = substr(s, pos, 1)
			if (c == "\\") { out = out substr(s, pos, 2); pos += 2; continue }
			pos++
			if (c == "\"") return out
			out = out c
		}
		return out
	}
	function value(path,   c, st) {
		ws()
		c = substr(s, pos, 1)
		if (c == "{") { pos++; object(path) }
		else if (c == "[") { pos++; array(path) }
		else if (c == "\"") { printf "%s\t%s\n", path, str() }
		else {
			st = pos
			while (pos <= n && index(",]} \t\r\n", substr(s, pos, 1)) == 0) pos++
			printf "%s\t%s\n", path, substr(s, st, pos - st)
		}
	}
	function object(path,   k, c) {
		ws()
		if (substr(s, pos, 1) == "}") { pos++; return }
		while (pos <= n) {
			ws(); k = str(); ws()
			pos++ # the colon
			value(path == "" ? k : path "." k)
			ws(); c = substr(s, pos, 1); pos++
			if (c != ",") return
		}
	}
	function array(path,   i, c) {
		ws()
		if (substr(s, pos, 1) == "]") { pos++; return }
		for (i = 0; pos <= n; i++) {
			value(path == "" ? i : path "." i)
			ws(); c = substr(s, pos, 1); pos++
			if (c != ",") return
		}
	}' "$1"
}

# acc_json FILE PATH...: the value of the first PATH present in FILE; fails if none is.
acc_json() {
	local file=$1 flat p v
	shift
	flat=$(acc_json_flat "$file") || return 1
	for p in "$@"; do
		v=$(awk -F'\t' -v p="$p" '$1 == p { print $2; found = 1; exit } END { exit !found }' <<<"$flat") || continue
		printf '%s\n' "$v"
		return 0
	done
	return 1
}

# ---------------------------------------------------------------- iperf3 runs

# acc_iperf_server HOST: an iperf3 server in HOST, bound to its address, that
# serves one test and exits (-1), writing its JSON report to $T/iperf-server.json.
acc_iperf_server() {
	local h=$1 addr
	addr=${VNET_HOST_ADDR[$h]:?unknown host namespace $h}
	ip netns exec "$h" iperf3 -s -1 -J -B "$addr" -p "$ACC_PORT" </dev/null \
		>"$T/iperf-server.json" 2>"$T/iperf-server.err" &
	ACC_SERVER_PID=$!
	_vnet_track "$ACC_SERVER_PID" "iperf3 server in $h"
	vnet_wait_until 10 _vnet_listening "$h" "$ACC_PORT" || vnet_die "iperf3 server in $h is not listening"
}

# acc_iperf_client FROM TO SECONDS: the fixed-rate UDP stream (ACC_RATE bit/s of
# ACC_LEN-byte datagrams) from FROM to TO's server, in the background; its JSON
# report goes to $T/iperf-client.json.  ACC_CLIENT_T0: when it was started (ms).
acc_iperf_client() {
	local from=$1 to=$2 secs=$3 addr
	addr=${VNET_HOST_ADDR[$to]:?unknown host namespace $to}
	ACC_CLIENT_T0=$(_vnet_elapsed_ms)
	ip netns exec "$from" iperf3 -c "$addr" -p "$ACC_PORT" -u -b "$ACC_RATE" -l "$ACC_LEN" \
		-t "$secs" -J </dev/null >"$T/iperf-client.json" 2>"$T/iperf-client.err" &
	ACC_CLIENT_PID=$!
	_vnet_track "$ACC_CLIENT_PID" "iperf3 client in $from"
	vnet_log "iperf3: $from -> $to ($addr), UDP $ACC_RATE bit/s, $ACC_LEN-byte datagrams, $secs s"
}

# acc_iperf_wait [TIMEOUT_S]: wait for the client (then the server) to finish and
# read their reports:
#   ACC_PKTS   datagrams the client sent     ACC_BYTES  their UDP payload bytes
#   ACC_WIRE   ACC_PKTS * (ACC_LEN + 42): the bytes those datagrams are on the wire
#   ACC_SRV_PKTS / ACC_SRV_LOST  datagrams the server counted (up to the last it saw) / lost
# ACC_CLIENT_T1: when the client was seen to have exited (ms).  Dies if a report
# is missing or inconsistent (that is the meter failing, not the agent).
acc_iperf_wait() {
	local timeout=${1:-60} i rc=0 c=$T/iperf-client.json s=$T/iperf-server.json
	for ((i = 0; i < timeout * 10; i++)); do
		_vnet_alive "$ACC_CLIENT_PID" || break
		sleep 0.1
	done
	ACC_CLIENT_T1=$(_vnet_elapsed_ms)
	if _vnet_alive "$ACC_CLIENT_PID"; then vnet_die "the iperf3 client did not finish within $timeout s"; fi
	wait "$ACC_CLIENT_PID" 2>/dev/null || rc=$?
	for ((i = 0; i < 50; i++)); do
		_vnet_alive "$ACC_SERVER_PID" || break
		sleep 0.1
	done
	vnet_stop_pid "$ACC_SERVER_PID" 2 >/dev/null 2>&1 || true
	if ((rc != 0)) || ! ACC_PKTS=$(acc_json "$c" end.sum_sent.packets end.sum.packets) ||
		! ACC_BYTES=$(acc_json "$c" end.sum_sent.bytes end.sum.bytes); then
		printf '# iperf3 client (status %s): %s\n' "$rc" "$(head -c 1500 "$c" "$T/iperf-client.err" 2>/dev/null | tr '\n' ' ')"
		vnet_die "the iperf3 client failed or wrote no report"
	fi
	if ! _vnet_is_uint "$ACC_PKTS" || ! _vnet_is_uint "$ACC_BYTES" || ((ACC_PKTS == 0)); then
		vnet_die "iperf3 client report: packets '$ACC_PKTS', bytes '$ACC_BYTES'"
	fi
	if ((ACC_BYTES != ACC_PKTS * ACC_LEN)); then
		vnet_die "iperf3 client report: $ACC_BYTES bytes is not $ACC_PKTS datagrams of $ACC_LEN bytes"
	fi
	ACC_WIRE=$((ACC_PKTS * (ACC_LEN + ACC_HDR)))
	ACC_SRV_PKTS=$(acc_json "$s" end.sum_received.packets end.sum.packets || echo '?')
	ACC_SRV_LOST=$(acc_json "$s" end.sum_received.lost_packets end.sum.lost_packets || echo '?')
	vnet_log "iperf3: the client sent $ACC_PKTS datagrams ($ACC_BYTES B of payload, $ACC_WIRE B on the wire)" \
		"and exited $((ACC_CLIENT_T1 - ACC_CLIENT_T0)) ms after it was started;" \
		"the server counted $ACC_SRV_PKTS, lost $ACC_SRV_LOST"
}

# ---------------------------------------------------------------- reading the agent

# acc_snap IDX...: ONE GET PDU with vnetCurrentSample.0 and, for each IDX,
# vnetBytesSentTotal and vnetBytesReceivedTotal.  Prints "cur s1 r1 s2 r2 ...".
acc_snap() {
	local -a oids=("$VNET_OID_CURRENT")
	local i out
	for i in "$@"; do oids+=("$VNET_OID_ENTRY.$VNET_COL_SENT_TOTAL.$i" "$VNET_OID_ENTRY.$VNET_COL_RECV_TOTAL.$i"); done
	out=$(vget "${oids[@]}") || return 1
	awk -F'\t' '$2 !~ /^(Gauge32|Counter64)$/ { bad = 1 } { printf "%s%s", (NR > 1 ? " " : ""), $3 }
		END { print ""; exit bad }' <<<"$out"
}

# acc_retry SECONDS CMD...: run CMD until it succeeds, for at most SECONDS;
# print its output.  For SNMP reads: while another process holds the kernel's
# RTNL lock for seconds (the teardown of a namespace with thousands of links
# does), snmpd blocks in SIOCGIFCONF and every request times out; the agent's
# data are not at fault and a later read is as good.
acc_retry() {
	local secs=$1 deadline out
	shift
	deadline=$(($(_vnet_elapsed_ms) + secs * 1000))
	while :; do
		if out=$("$@" 2>"$T/.retry.err"); then
			printf '%s\n' "$out"
			return 0
		fi
		if (($(_vnet_elapsed_ms) >= deadline)); then
			cat "$T/.retry.err" >&2
			return 1
		fi
		sleep 0.5
	done
}

# shellcheck disable=SC2317  # called through vnet_wait_until
_acc_cur_ge() { local c; c=$(vval "$VNET_OID_CURRENT") && ((c >= $1)); }

# acc_wait_sample N: wait until vnetCurrentSample >= N (at most N - now + 30 s:
# while another process holds the kernel's RTNL lock for many seconds, as the
# teardown of a namespace with thousands of links does, snmpd itself cannot
# answer: it blocks in SIOCGIFCONF).
acc_wait_sample() {
	local n=$1 c
	c=$(vval "$VNET_OID_CURRENT" 2>/dev/null || echo 0)
	((c >= n)) && return 0
	vnet_wait_until $((n - c + 30)) _acc_cur_ge "$n" ||
		vnet_die "vnetCurrentSample did not reach $n (it is $(vval "$VNET_OID_CURRENT" || echo '?'))"
}

# acc_rows FILE IDX COL: "sample<TAB>value" of history column COL of network IDX.
acc_rows() { vnet_history_rows "$2" "$3" "$1"; }

# acc_row_value FILE IDX COL S: the value of history column COL in row S ("" if none).
acc_row_value() { acc_rows "$1" "$2" "$3" | awk -F'\t' -v s="$4" '$1 == s { print $2 }'; }

# acc_window_rows FILE IDX COL A B: the rows A..B of that column, in order;
# fails (printing what is missing) unless every one of them is there.
acc_window_rows() {
	acc_rows "$1" "$2" "$3" | awk -F'\t' -v a="$4" -v b="$5" '
		$1 >= a && $1 <= b { if (n && $1 != last + 1) gap = gap " " last + 1 ".." $1 - 1; last = $1; n++; print; next }
		END { if (n != b - a + 1) { printf "only %d of the rows %d..%d are there (missing:%s)\n", n, a, b, gap; exit 1 } }'
}

# acc_sum LINES: the sum of the values of "sample<TAB>value" lines on stdin (exact, big numbers).
acc_sum() { awk -F'\t' '{ s += $2 } END { printf "%.0f\n", s }'; }

# acc_pct A B: the signed error of A against B in percent, 3 decimals.
acc_pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f\n", (b ? 100 * (a - b) / b : 0) }'; }

# acc_within A B PCT: |A - B| <= PCT % of B.
acc_within() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d * 100 <= p * b) }'; }

# acc_row_times FILE IDX: "sample<TAB>HH:MM:SS.d<TAB>EPOCH.d" (UTC): when each
# history row ended.
acc_row_times() {
	local s v ds
	while IFS=$'\t' read -r s v; do
		ds=$(vnet_dat_to_ds "$v") || continue
		printf '%s\t%s.%s\t%s.%s\n' "$s" "$(date -u -d "@$((ds / 10))" +%T)" $((ds % 10)) $((ds / 10)) $((ds % 10))
	done < <(acc_rows "$1" "$2" "$VNET_HCOL_TIME")
}

# acc_stalls MIN_S: the watchdog's stalls of at least MIN_S seconds, readable
# ("cpu 12:34:56.789 +0.512 s; ...", UTC), or "none".
acc_stalls() {
	local out
	out=$(vnet_stalls "$1" | while read -r kind a _ d; do
		printf '%s %s.%s +%s s; ' "$kind" "$(date -u -d "@${a%.*}" +%T)" "${a#*.}" "$d"
	done)
	printf '%s\n' "${out:-none}"
}

# acc_machine_stalled SINCE_MS: the watchdog saw a stall of at least 1 s that
# ended after SINCE_MS - 1 s (ms since the epoch), or is in one now (its last
# line is more than 1 s old).
acc_machine_stalled() {
	local since=$1 now
	now=$(_vnet_elapsed_ms)
	[[ -n $(vnet_stalls 1 | awk -v t=$((since / 1000 - 1)) '$3 >= t') ]] && return 0
	[[ -s $T/watchdog.log ]] &&
		awk -v now="$now" 'END { exit !(now / 1000 - $2 > 1) }' "$T/watchdog.log"
}

# acc_tick_info S [SPAN]: the agent's tick-log lines for samples S-SPAN..S+SPAN
# (SAMPLE K LATE_MS WORK_MS), i.e. when it actually read the counters: evidence
# for a second that holds more or less than one second of traffic.
acc_tick_info() {
	local s=$1 span=${2:-1}
	[[ -s $T/agent-ticks.log ]] || { echo "no tick log"; return 0; }
	awk -v a=$((s - span)) -v b=$((s + span)) '$1 >= a && $1 <= b {
		printf "%stick %d (k=%d): woke %.1f ms late, took %.1f ms", (n++ ? "; " : ""), $1, $2, $3 / 1e6, $4 / 1e6 }
		END { print "" }' "$T/agent-ticks.log"
}

# ---------------------------------------------------------------- the steady seconds

# acc_run_bounds FILE IDX A B: "FIRST LAST", the first and the last of the rows
# A..B whose vnetHistoryBytesSent holds at least a tenth of the stream's rate:
# the seconds the stream ran in (the first and the last of them partly).
acc_run_bounds() {
	acc_rows "$1" "$2" "$VNET_HCOL_BYTES_SENT" | awk -F'\t' -v a="$3" -v b="$4" -v min=$((ACC_WIRE_RATE / 10)) '
		$1 >= a && $1 <= b && $2 >= min { if (first == "") first = $1; last = $1 }
		END { if (first == "") exit 1; print first, last }'
}

# acc_check_steady NET FILE IDX COL FIRST LAST [SKIP...]: every row of history
# column COL from FIRST to LAST, but the samples SKIP, holds the stream's
# one-second amount within ACC_TOL % (5 unless set): ACC_WIRE_RATE bytes (COL 4
# or 5) or ACC_PPS packets (COL 6 or 7); with ACC_UPPER=1, only rows above it
# fail ("no second above the rate by more than ACC_TOL %").  ACC_WORST: the
# worst row against the rate, as "+x.xxx % (sample S: V)".
#
# When the agent reads the counters does not matter: it splits what moved
# since its last read at the grid point, in proportion to time, and carries
# the part after it into the next second; so a read 300 ms late (a loaded
# machine, the kernel's RTNL lock held by another process) still gives each
# row one second of a steady stream.  A failing row is shown with the agent's
# tick log ($T/agent-ticks.log: "SAMPLE K LATE_NS WORK_NS": the sampler woke
# LATE after its grid point, the tick took WORK) as evidence.
#
# What does matter is the generator: iperf3 is a user-space process that paces
# itself on its average rate, so when it is held up it sends late and then
# catches up.  A row outside 5 % still passes (and is named in the output)
# when independent evidence shows that (with ACC_TOL for 5 below):
#  - interpolated(2) rows (the agent could not sample on time and shared what
#    it read evenly over the k seconds it covers) hold an average, not one
#    second, which only equals one second of the stream if it ran through
#    all of them: the steady check leaves them out (vnet_check_status judges
#    them; stall.sh checks its own); the check for spikes (ACC_UPPER=1) keeps
#    them;
#  - "starved": the machine could not run processes on time in that second or
#    the one before (the watchdog's 0.1 s loop ran late: every gap above
#    0.12 s counts as starvation); the row may then be off by 5 % plus the
#    starvation time seen from 1 s before it to 0.5 s after it, as a share of
#    a second;
#  - "shifted": the row together with a neighbour holds two seconds of the
#    stream within 1 % of one second (and the row itself is within 10 %), or
#    within 5 % of one second if the machine starved (as above, 20 ms at
#    least): iperf3 only moved datagrams from one second to the next.  It does
#    that now and then by itself (a pause of some 50 ms, made up right after;
#    the scheduler can hold it up without the watchdog noticing), and the
#    pair's sum shows that no byte was lost or invented.  The 10 % bound
#    keeps it from excusing what a mistimed counter read looks like (the
#    stop's seconds moved into the next row: +447 % seen before 2ab9aa2).
#    Not for ACC_UPPER=1.
ACC_WORST=""
acc_check_steady() {
	local net=$1 file=$2 idx=$3 col=$4 first=$5 last=$6 want what out n bad excused skip
	shift 6
	skip="$*"
	case $col in
	4) want=$ACC_WIRE_RATE what="bytes sent" ;;
	5) want=$ACC_WIRE_RATE what="bytes received" ;;
	6) want=$ACC_PPS what="packets sent" ;;
	*) want=$ACC_PPS what="packets received" ;;
	esac
	local tol=${ACC_TOL:-5} upper=${ACC_UPPER:-0}
	out=$( (cat "$T/agent-ticks.log" 2>/dev/null || true) | awk -v a="$first" -v b="$last" -v skip="$skip" -v w="$want" \
		-v tol="$tol" -v upper="$upper" \
		-v rows="$(acc_rows "$file" "$idx" "$col")" -v times="$(acc_row_times "$file" "$idx")" \
		-v status="$(acc_rows "$file" "$idx" "$VNET_HCOL_STATUS")" \
		-v wd="$(cat "$T/watchdog.log" 2>/dev/null || true)" '
		NF >= 4 { K[$1] = $2; late[$1] = $3 / 1e6; work[$1] = $4 / 1e6; for (j = $1 - $2 + 1; j <= $1; j++) tick[j] = $1 }
		# a neighbour T of row S (in range, not left out) such that the two
		# rows together hold two seconds of the stream within PTOL % of one
		# second: the datagrams were only moved between the two seconds
		function shifted(s, ptol,   t, got) {
			for (t = s - 1; t <= s + 1; t += 2) {
				if (t < a || t > b || (t in skipped) || !(t in val)) continue
				got = val[s] + val[t]
				if ((got - 2 * w) * 100 <= ptol * w && (2 * w - got) * 100 <= ptol * w)
					return sprintf("with sample %d (%d) it holds %+.2f %% of two seconds", t, val[t], 100 * (got - 2 * w) / (2 * w))
			}
			return ""
		}
		# seconds the watchdog loop ran late within [FROM, TO] (epoch seconds)
		function starved(from, to,   i, t) {
			t = 0
			for (i = 2; i <= nwd; i++)
				if (wb[i] - wa[i - 1] > 0.15 && wb[i] >= from && wa[i - 1] <= to) t += wb[i] - wa[i - 1] - 0.12
			return t
		}
		END {
			ns = split(skip, sk, " "); for (i = 1; i <= ns; i++) skipped[sk[i] + 0] = 1
			# interpolated rows hold an average over k seconds, not one
			# second: not steady (vnet_check_status judges them)
			if (!upper) {
				m = split(status, sl, "\n")
				for (i = 1; i <= m; i++) { split(sl[i], f, "\t"); if (f[2] == 2 && f[1] >= a && f[1] <= b && !((f[1] + 0) in skipped)) { skipped[f[1] + 0] = 1; interp = interp " " f[1] } }
			}
			nt = split(times, tt, "\n")
			for (i = 1; i <= nt; i++) { split(tt[i], f, "\t"); hms[f[1] + 0] = f[2]; ep[f[1] + 0] = f[3] }
			nwd = split(wd, wl, "\n")
			for (i = 1; i <= nwd; i++) { split(wl[i], f, " "); wb[i] = f[1]; wa[i] = f[2] }
			nr = split(rows, r, "\n")
			for (i = 1; i <= nr; i++) { split(r[i], f, "\t"); if (f[1] != "") val[f[1] + 0] = f[2] + 0 }
			for (i = 1; i <= nr; i++) {
				split(r[i], f, "\t"); s = f[1] + 0; v = f[2] + 0
				if (f[1] == "" || s < a || s > b || (s in skipped)) continue
				n++; d = 100 * (v - w) / w; ad = upper ? d : (d < 0 ? -d : d)
				if (n == 1 || ad > worst) { worst = ad; ws = sprintf("%+.3f %% (sample %d: %d)", d, s, v) }
				if (ad <= tol) continue
				why = sprintf("sample %d [ends %s]: %d (%+.2f %%)", s, hms[s], v, d)
				S = tick[s]
				if (S != "") why = why sprintf(", read by a tick%s that woke %.1f ms late and took %.1f ms", K[S] > 1 ? sprintf(" of k=%d", K[S]) : "", late[S], work[S])
				st = (s in ep) ? starved(ep[s] - 2, ep[s] + 0.5) : 0
				why = why sprintf("; the watchdog ran %.0f ms late around it", st * 1000)
				if (st >= 0.02 && ad <= tol + 100 * st) {
					ex = ex (ex == "" ? "" : "; ") "starved: " why
				} else if (!upper && ((st >= 0.02 && (pair = shifted(s, tol)) != "") || (ad <= 10 && (pair = shifted(s, 1)) != ""))) {
					ex = ex (ex == "" ? "" : "; ") "shifted: " why "; " pair
				} else {
					bad = bad (bad == "" ? "" : "\036") why
				}
			}
			if (interp != "") ex = ex (ex == "" ? "" : "; ") "interpolated rows left out:" interp
			printf "%d\037%s\037%s\037%s\n", n, ws, bad, ex
		}')
	# (fields apart by US, the failing rows by RS: neither is blank, so an empty field stays one)
	IFS=$'\037' read -r n ACC_WORST bad excused <<<"$out"
	if ((n == 0)); then
		vnet_fail "$net: steady seconds $first..$last of column $col" "no row in that range"
		return 0
	fi
	local desc="$net: each of the $n steady seconds ($first..$last${skip:+ but $skip}) holds $want $what within $tol %"
	((upper == 0)) || desc="$net: none of the $n seconds $first..$last${skip:+ but $skip} is above $want $what by more than $tol %"
	if [[ -z $bad ]]; then
		vnet_pass "$desc (worst $ACC_WORST)${excused:+; $excused}"
		return 0
	fi
	local -a details=()
	IFS=$'\036' read -r -a details <<<"$bad"
	vnet_fail "$desc (worst $ACC_WORST)" "${details[@]}" \
		"watchdog stalls >= 0.2 s: $(acc_stalls 0.2)" \
		"${excused:+passed: $excused}"
}

# ---------------------------------------------------------------- the window as a whole

# acc_check_window NET FILE IDX A B DSENT DRECV COL...: in the parsed walk FILE,
# every history column COL of network IDX has each row A..B, consecutive (one
# check: "no hole"), and the rows of vnetHistoryBytesSent/Received (COL 4
# and 5, where listed) add up exactly to DSENT/DRECV, the change of
# vnetBytesSentTotal/ReceivedTotal from A to B (read with the samples in one
# PDU: acc_snapshot).  For each complete column, ACC_ROWS[COL] holds its rows
# A..B ("sample<TAB>value") and ACC_SUM[COL] their sum (COL 4 and up).
declare -A ACC_ROWS=() ACC_SUM=()
acc_check_window() {
	local net=$1 file=$2 idx=$3 a=$4 b=$5 col rows hole="" sent=$6 recv=$7
	shift 7
	ACC_ROWS=() ACC_SUM=()
	for col in "$@"; do
		if ! rows=$(acc_window_rows "$file" "$idx" "$col" "$a" "$b"); then
			hole+=" column $col: ${rows##*$'\n'};" # what is missing, not the rows there
			continue
		fi
		ACC_ROWS[$col]=$rows
		((col < 4)) || ACC_SUM[$col]=$(acc_sum <<<"$rows")
	done
	vnet_assert_eq "$net: no hole: every sample $a..$b has its row, in columns $*" "" "$hole"
	local -A tot=([4]=$sent [5]=$recv)
	for col in 4 5; do
		[[ -n ${ACC_SUM[$col]:-} ]] || continue
		vnet_assert_eq "$net: the rows $a..$b of vnetHistory${ACC_COL_NAME[$col]} add up to the change of its total" \
			"${tot[$col]}" "${ACC_SUM[$col]}"
	done
}

# acc_check_iperf NET PCT DSENT DRECV: the change of vnetBytesSentTotal and
# vnetBytesReceivedTotal over the run (DSENT, DRECV) is iperf3's wire bytes
# (ACC_WIRE, after acc_iperf_wait) within PCT %, and so is the sum of the
# packet columns' rows (ACC_SUM[6], ACC_SUM[7] from acc_check_window, where
# it read them) against its datagram count.  What the totals hold besides the
# datagrams (iperf3's TCP control connection, its UDP "connect" datagrams,
# ARP) is a few kB, and named.
acc_check_iperf() {
	local net=$1 pct=$2 col err desc
	local -A tot=([4]=$3 [5]=$4)
	for col in 4 5; do
		err=$(acc_pct "${tot[$col]}" "$ACC_WIRE")
		desc="$net: vnet${ACC_COL_NAME[$col]}Total moved by iperf3's $ACC_PKTS datagrams x $((ACC_LEN + ACC_HDR)) B within $pct %"
		if acc_within "${tot[$col]}" "$ACC_WIRE" "$pct"; then
			vnet_pass "$desc (${tot[$col]} B vs $ACC_WIRE B: $err %, $((tot[$col] - ACC_WIRE)) B besides the datagrams: control traffic and ARP)"
		else
			vnet_fail "$desc" "agent: ${tot[$col]} B, iperf3: $ACC_WIRE B ($err %)" \
				"iperf3 server: $ACC_SRV_PKTS datagrams, $ACC_SRV_LOST of them lost"
		fi
	done
	for col in 6 7; do
		[[ -n ${ACC_SUM[$col]:-} ]] || continue
		err=$(acc_pct "${ACC_SUM[$col]}" "$ACC_PKTS")
		desc="$net: vnetHistory${ACC_COL_NAME[$col]} over the run = iperf3's datagram count within $pct %"
		if acc_within "${ACC_SUM[$col]}" "$ACC_PKTS" "$pct"; then
			vnet_pass "$desc (${ACC_SUM[$col]} vs $ACC_PKTS: $err %)"
		else
			vnet_fail "$desc" "agent: ${ACC_SUM[$col]} packets, iperf3: $ACC_PKTS ($err %)"
		fi
	done
}

# acc_check_run NET FILE IDX A B COLS [SKIP...]: the stream shows in the rows
# A..B (acc_run_bounds; a failure if it does not), and each of its steady
# seconds, all but its first and its last (which it only partly fills), holds
# one second of it in every column of the list COLS ("4 5 6 7"), but the
# samples SKIP (acc_check_steady).  ACC_RUN: "FIRST LAST", the seconds the
# stream shows in ("" if none); ACC_WORSTS[COL]: the worst steady second of COL.
ACC_RUN=""
declare -A ACC_WORSTS=()
acc_check_run() {
	local net=$1 file=$2 idx=$3 a=$4 b=$5 cols=$6 col first last
	shift 6
	ACC_WORSTS=()
	if ! ACC_RUN=$(acc_run_bounds "$file" "$idx" "$a" "$b"); then
		ACC_RUN=""
		vnet_fail "$net: the stream shows in the history" "no row of $a..$b holds $((ACC_WIRE_RATE / 10)) bytes (a tenth of a second of it)"
		return 0
	fi
	read -r first last <<<"$ACC_RUN"
	vnet_log "the stream shows in samples $first..$last"
	for col in $cols; do
		acc_check_steady "$net" "$file" "$idx" "$col" $((first + 1)) $((last - 1)) "$@"
		ACC_WORSTS[$col]=$ACC_WORST
	done
}

# ---------------------------------------------------------------- row status

# acc_odd_rows FILE IDX A B [G1 G2]: ACC_ODD: the rows A..B (but G1..G2) of
# network IDX that are not valid(1), as " S(missing)" or " S(status 'X')"
# ("" if none), except interpolated(2) rows that a stall of the whole machine
# explains: one the watchdog saw (>= 0.9 s) within 1.5 s of the row's end
# (lib.sh's rule, as in vnet_check_status).  ACC_EXCUSED: how many those were;
# ACC_STALLS: those stalls (vnet_stalls 0.9).
ACC_ODD="" ACC_EXCUSED=0 ACC_STALLS=""
acc_odd_rows() {
	local file=$1 idx=$2 a=$3 b=$4 g1=${5:-} g2=${6:-} s st t
	local -A status=() times=()
	ACC_ODD="" ACC_EXCUSED=0
	ACC_STALLS=$(vnet_stalls 0.9)
	while IFS=$'\t' read -r s t; do status[$s]=$t; done < <(acc_rows "$file" "$idx" "$VNET_HCOL_STATUS")
	while IFS=$'\t' read -r s t; do times[$s]=$t; done < <(acc_rows "$file" "$idx" "$VNET_HCOL_TIME")
	for ((s = a; s <= b; s++)); do
		[[ -z $g1 ]] || ((s < g1 || s > g2)) || continue
		st=${status[$s]:-}
		if [[ -z $st ]]; then
			ACC_ODD+=" $s(missing)"
		elif [[ $st == 2 ]] && t=$(vnet_dat_to_ds "${times[$s]:-}") && _vnet_in_stall "$t" "$ACC_STALLS"; then
			ACC_EXCUSED=$((ACC_EXCUSED + 1))
		elif [[ $st != 1 ]]; then
			ACC_ODD+=" $s(status '$st')"
		fi
	done
}

# ---------------------------------------------------------------- the agent stopped

# acc_stop_run FILE IDX A B TS TC: "G1 G2", the run of consecutive
# interpolated(2) rows among A..B with a row that ended while the agent was
# stopped (TS..TC, deciseconds since the epoch, by vnetHistoryTime).  Fails
# when there is none, printing the runs there are ("runs: G1..G2 ...", or
# "runs: none").
acc_stop_run() {
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
				if (r1 != "") runs = runs " " r1 ".." s - 1
				r1 = ""; hit = 0
			}
			print "runs:" (runs == "" ? " none" : runs)
			exit 1
		}' <(acc_rows "$1" "$2" "$VNET_HCOL_STATUS") <(acc_row_times "$1" "$2")
}

# acc_check_stop_run NET FILE IDX A B TS TC STOP_S: the agent was stopped
# (SIGSTOP) from TS to TC (deciseconds since the epoch), STOP_S seconds: the
# seconds it missed are one run of STOP_S..STOP_S+2 interpolated(2) rows
# among A..B, one of which ended while it was stopped (acc_stop_run), and
# every other row A..B is valid(1) (acc_odd_rows).  ACC_G1, ACC_G2: the run;
# returns 1 (after a failure) when there is none.
ACC_G1="" ACC_G2=""
acc_check_stop_run() {
	local net=$1 file=$2 idx=$3 a=$4 b=$5 ts=$6 tc=$7 stop=$8 run k
	ACC_G1="" ACC_G2=""
	if ! run=$(acc_stop_run "$file" "$idx" "$a" "$b" "$ts" "$tc"); then
		vnet_fail "$net: the seconds the agent was stopped are interpolated(2) rows" \
			"no run of interpolated rows in $a..$b ends a second while it was stopped ($run)" \
			"agent tick log, k > 1: $(awk '$2 > 1' "$T/agent-ticks.log" | tr '\n' ';')"
		return 1
	fi
	read -r ACC_G1 ACC_G2 <<<"$run"
	k=$((ACC_G2 - ACC_G1 + 1))
	vnet_log "interpolated rows: $ACC_G1..$ACC_G2 (k = $k); agent: $(acc_tick_info "$ACC_G2" 1)"
	if ((k >= stop && k <= stop + 2)); then
		vnet_pass "$net: the $stop s stop left one run of $k interpolated(2) rows ($ACC_G1..$ACC_G2)"
	else
		vnet_fail "$net: the $stop s stop leaves one run of $stop..$((stop + 2)) interpolated(2) rows" "rows $ACC_G1..$ACC_G2: $k"
	fi
	acc_odd_rows "$file" "$idx" "$a" "$b" "$ACC_G1" "$ACC_G2"
	vnet_assert_eq "$net: every other row is valid(1) (interpolated only during a stall the watchdog saw)" "" "$ACC_ODD"
}

# acc_tick_work S: how long (ms) the agent's tick that wrote sample S took, by
# its tick log ("" if the log does not show it).
acc_tick_work() { awk -v s="$1" '$1 == s { printf "%.0f", $4 / 1e6 }' "$T/agent-ticks.log" 2>/dev/null || true; }

# acc_check_stop_rows NET FILE IDX COL...: the k rows ACC_G1..ACC_G2 of the
# stop (acc_check_stop_run) hold k seconds of the stream within 5 % in each
# byte column COL (4, 5): the stream ran on while the agent was stopped, and
# the agent splits what it read after SIGCONT at the newest grid point (the
# part after it goes to the next row), so nothing is lost, doubled or moved
# to the wrong second if it times the counters by when it read them.
# ACC_STOP_PCT[COL]: the error of the k rows, in percent.
declare -A ACC_STOP_PCT=()
acc_check_stop_rows() {
	local net=$1 file=$2 idx=$3 col n want desc work k=$((ACC_G2 - ACC_G1 + 1))
	shift 3
	ACC_STOP_PCT=()
	for col in "$@"; do
		n=$(acc_rows "$file" "$idx" "$col" | awk -F'\t' -v a="$ACC_G1" -v b="$ACC_G2" '$1 >= a && $1 <= b' | acc_sum)
		want=$((k * ACC_WIRE_RATE))
		ACC_STOP_PCT[$col]=$(acc_pct "$n" "$want")
		desc="$net: the $k interpolated rows hold $k seconds of the stream within 5 % (vnetHistory${ACC_COL_NAME[$col]}, each $((n / k)) B)"
		if acc_within "$n" "$want" 5; then
			vnet_pass "$desc ($n B vs $want B, ${ACC_STOP_PCT[$col]} %)"
			continue
		fi
		# The tick that wrote them: if it took longer than a second, the
		# stop came while it ran, after (or while) it dumped the counters.
		work=$(acc_tick_work "$ACC_G2")
		vnet_fail "$desc" "$n B vs $want B (${ACC_STOP_PCT[$col]} %)" "agent: $(acc_tick_info "$ACC_G2" 2)" \
			"row $((ACC_G2 + 1)), the first after them: $(acc_row_value "$file" "$idx" "$col" $((ACC_G2 + 1))) B" \
			"watchdog stalls >= 0.2 s: $(acc_stalls 0.2)" \
			"${work:+the tick that wrote them took $work ms}$( ((${work:-0} > 1000)) && echo ": SIGSTOP came inside it, so the counters it had read before the stop were timed after it")"
	done
}
