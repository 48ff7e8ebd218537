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

acc_stage_br0
i0=$ACC_BR0

# ---------------------------------------------------------------- A, the run, B
acc_stream_start "$RUN_S"

# ---------------------------------------------------------------- history = totals
acc_stream_end "$RUN_S" 3 4 5 6 7
vnet_check_status br0 "$i0" "$hw"

# ---------------------------------------------------------------- against iperf3
acc_check_iperf br0 1 $((sB - sA)) $((rB - rA))

# ---------------------------------------------------------------- steady seconds
acc_check_run br0 "$hw" "$i0" $((cA + 1)) "$cB" "4 5 6 7"
if [[ -n $ACC_RUN ]]; then
	read -r first last <<<"$ACC_RUN"
	vnet_assert_cmp "br0: the stream shows in $RUN_S or $((RUN_S + 1)) samples ($first..$last)" \
		$((last - first + 1)) -ge "$RUN_S"
fi

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_note "# figures: bytes sent $(acc_pct $((sB - sA)) "$ACC_WIRE") %, received $(acc_pct $((rB - rA)) "$ACC_WIRE") % vs iperf3's wire bytes;" \
	"worst steady second: sent ${ACC_WORSTS[4]:-?}, received ${ACC_WORSTS[5]:-?}"
vnet_finish
