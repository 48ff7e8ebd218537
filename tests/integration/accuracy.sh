#!/usr/bin/env bash
# tests/integration/accuracy.sh: the history against an independent meter.
#
# iperf3 sends UDP at a fixed rate (8 Mbit/s of 1000-byte datagrams, 1000 per
# second) from h1 to h2 through bridge br0 for 20 s.  Its JSON report says how
# many datagrams it put on the wire; each is 1000 + 42 bytes there (Ethernet
# 14, IPv4 20, UDP 8: what a veth counts).  A frame from h1 to h2 enters br0 on
# port p1 (p1 rx) and leaves on port p2 (p2 tx): br0 sends it once and
# receives it once.  So over the run:
#  - vnetBytesSentTotal and vnetBytesReceivedTotal, each read in ONE PDU with
#    vnetCurrentSample before the stream starts (A) and after it ended and its
#    last second was sampled (B), moved by iperf3's wire bytes within 1 %;
#  - the history rows A+1..B (all visible: the window is < 60 s) add up to
#    exactly those differences, and their packet columns to iperf3's datagram
#    count within 1 %; all rows valid(1) (interpolated only during a stall the
#    watchdog saw too);
#  - each steady second (the seconds of the run but its first and last, which
#    the stream only partly fills) holds 1 042 000 bytes and 1000 packets
#    within 5 %, sent and received, however late the agent read the counters
#    (it splits each read at the grid point); a second that the traffic
#    generator's own irregularity explains, with evidence, passes and is
#    named (see acc_check_steady in acc-lib.sh).
# Besides the datagrams, the window also holds iperf3's TCP control connection
# (a few dozen small segments, both ways: the bridge sends those too), the UDP
# "connect" datagrams and ARP: a few kB against ~20.8 MB, well within 1 %.
# Runs in about 30 s.

# shellcheck disable=SC2119
VNET_TEST_NAME=accuracy
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=tests/integration/acc-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/acc-lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip ss snmpd snmpget snmpbulkwalk iperf3 timeout awk
vnet_need_agent

RUN_S=20

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
acc_iperf_server "$h2"

# ---------------------------------------------------------------- A, the run, B
c=$(acc_retry 30 vval "$VNET_OID_CURRENT") || vnet_die "vnetCurrentSample cannot be read"
acc_wait_sample $((c + 1))
snap=$(acc_retry 30 acc_snap "$i0") || vnet_die "reading the totals at A failed"
read -r cA sA rA <<<"$snap"
vnet_log "A: sample $cA, br0 sent/received total $sA/$rA"
acc_iperf_client "$h1" "$h2" "$RUN_S"
acc_iperf_wait $((RUN_S + 20))
# The last frame crossed br0 before the client exited; the sample in progress
# then ends within 1 s: two more samples and it is surely complete.
c=$(acc_retry 30 vval "$VNET_OID_CURRENT") || vnet_die "vnetCurrentSample cannot be read"
acc_wait_sample $((c + 2))
snap=$(acc_retry 30 acc_snap "$i0") || vnet_die "reading the totals at B failed"
read -r cB sB rB <<<"$snap"
vnet_log "B: sample $cB, br0 sent/received total $sB/$rB"
hw=$T/history.txt
acc_retry 30 vwalk -Ox "$VNET_OID_HENTRY" >"$hw" || vnet_die "walking vnetHistoryTable failed"

vnet_assert_cmp "the window A+1..B ($((cA + 1))..$cB) is at most 60 s: every row is still visible" \
	$((cB - cA)) -le 60

# ---------------------------------------------------------------- history = totals
declare -A TOT=([4]=$((sB - sA)) [5]=$((rB - rA)))
declare -A NAME=([4]=BytesSent [5]=BytesReceived [6]=PacketsSent [7]=PacketsReceived)
declare -A SUM=() WORST=()
for col in 3 4 5 6 7; do
	if ! rows=$(acc_window_rows "$hw" "$i0" "$col" $((cA + 1)) "$cB"); then
		vnet_fail "br0: history column $col has every row $((cA + 1))..$cB (no hole)" "$rows"
		continue
	fi
	if [[ $col == 3 ]]; then
		vnet_pass "br0: every row $((cA + 1))..$cB is there, consecutive samples"
	else
		SUM[$col]=$(acc_sum <<<"$rows")
	fi
done
for col in 4 5; do
	[[ -n ${SUM[$col]:-} ]] || continue
	vnet_assert_eq "br0: the rows $((cA + 1))..$cB of vnetHistory${NAME[$col]} add up to the change of its total" \
		"${TOT[$col]}" "${SUM[$col]}"
done
vnet_check_status br0 "$i0" "$hw"

# ---------------------------------------------------------------- against iperf3
ERR_SENT=$(acc_pct "${TOT[4]}" "$ACC_WIRE")
ERR_RECV=$(acc_pct "${TOT[5]}" "$ACC_WIRE")
for col in 4 5; do
	err=$(acc_pct "${TOT[$col]}" "$ACC_WIRE")
	desc="br0: vnet${NAME[$col]} over the run = iperf3's $ACC_PKTS datagrams x $((ACC_LEN + ACC_HDR)) B within 1 %"
	if acc_within "${TOT[$col]}" "$ACC_WIRE" 1; then
		vnet_pass "$desc (${TOT[$col]} B vs $ACC_WIRE B: $err %, $((TOT[$col] - ACC_WIRE)) B of control traffic and ARP)"
	else
		vnet_fail "$desc" "agent: ${TOT[$col]} B, iperf3: $ACC_WIRE B ($err %)" \
			"iperf3 server: $ACC_SRV_PKTS datagrams, $ACC_SRV_LOST of them lost"
	fi
done
for col in 6 7; do
	[[ -n ${SUM[$col]:-} ]] || continue
	err=$(acc_pct "${SUM[$col]}" "$ACC_PKTS")
	desc="br0: vnetHistory${NAME[$col]} over the run = iperf3's datagram count within 1 %"
	if acc_within "${SUM[$col]}" "$ACC_PKTS" 1; then
		vnet_pass "$desc (${SUM[$col]} vs $ACC_PKTS: $err %)"
	else
		vnet_fail "$desc" "agent: ${SUM[$col]} packets, iperf3: $ACC_PKTS ($err %)"
	fi
done

# ---------------------------------------------------------------- steady seconds
if bounds=$(acc_run_bounds "$hw" "$i0" $((cA + 1)) "$cB"); then
	read -r first last <<<"$bounds"
	vnet_log "the stream shows in samples $first..$last"
	vnet_assert_cmp "br0: the stream shows in $RUN_S or $((RUN_S + 1)) samples ($first..$last)" \
		$((last - first + 1)) -ge "$RUN_S"
	for col in 4 5 6 7; do
		acc_check_steady br0 "$hw" "$i0" "$col" $((first + 1)) $((last - 1))
		WORST[$col]=$ACC_WORST
	done
else
	vnet_fail "br0: the stream shows in the history" "no row $((cA + 1))..$cB holds $((ACC_WIRE_RATE / 10)) bytes"
fi

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_note "# figures: bytes sent $ERR_SENT %, received $ERR_RECV % vs iperf3's wire bytes;" \
	"worst steady second: sent ${WORST[4]:-?}, received ${WORST[5]:-?}"
vnet_finish
