#!/usr/bin/env bash
# tests/integration/overrun.sh: netlink trouble: event overrun (ENOBUFS) and
# interrupted dumps (NLM_F_DUMP_INTR) end in a full resync with no wrong value.
#
# Switch namespace: br0 (2 hosts, steady UDP), keep1 (3 plain veth ports),
# old1 (1 port, "old1-p1", whose host pings an absent neighbour ~100 times a
# second, so the port's counters keep growing) and old2..old4 (2 plain ports each).
#
# 1. Overrun.  The agent is SIGSTOPped; veth pairs are created in batches until
#    the agent's event socket has dropped messages (/proc/net/netlink "Drops");
#    then, while events are being lost: old1..old4 are deleted, 20 new bridges
#    nb1..nb20 appear (nb1 takes over old1-p1 and its growing counters), keep1
#    loses a port and gains two, a bridge "ghost" comes and goes.  SIGCONT:
#     - "link events overran, resynchronising" is logged exactly once;
#     - vnetNumber, the names, vnetIfIndex and vnetPortCount are exactly the
#       kernel's bridges (ip link) - none missing, none stale;
#     - the stopped seconds are one interpolated(2) group (tick log), evenly
#       shared; every other row valid(1) (or excused by a machine stall);
#       br0's rows each hold about one second of its traffic (no spike), and no
#       row of any other network exceeds what old1-p1's traffic can produce
#       (a port joining with its old counters would be a spike of megabytes).
# 2. Interrupted dumps.  With ~1,000 links in the namespace every per-second
#    RTM_GETSTATS dump is multi-part; veth pairs (and a bridge per 50) are then
#    created as fast as `ip -batch` goes for up to 5 s (at most 1,500 pairs), so
#    dumps get NLM_F_DUMP_INTR.  If strace
#    is installed, it watches the sampler thread's recvmsg() calls and counts
#    the flagged replies (evidence that the case was provoked).  After: the
#    networks are again exactly the kernel's, br0 has no spike, every row of
#    the window is valid(1) or in an evenly shared interpolated(2) group (a
#    stats dump interrupted three times in a row is given up for that second,
#    logged "stats dump failed", and the next tick covers both seconds).
# Runs in about 30 s.  (The links go with the namespace at the end: its teardown
# deletes them in one batch, far faster than `ip link del` one by one.)

# shellcheck disable=SC2119
VNET_TEST_NAME=overrun
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 ping timeout awk
vnet_need_agent

E=$VNET_OID_ENTRY
H=$VNET_OID_HENTRY
CUR=$VNET_OID_CURRENT
CHUNK=250         # veth pairs per batch while filling the event socket
MAX_PAIRS=2000    # give up filling after this many
STOP_S=6          # seconds the agent stays stopped
CHURN_S=5         # seconds of dump-interrupting churn (at most CHURN_MAX veth pairs)
CHURN_MAX=1500
CHURN_BATCH=50

now_ms() { _vnet_elapsed_ms; }
sw() { ip -n "$VNET_SW" "$@"; }

# ---------------------------------------------------------------- helpers

# event_socket_drops: "DROPS RMEM" of the agent's RTNLGRP_LINK socket, from
# /proc/net/netlink of the switch namespace, found by the inodes of its fds.
event_socket_drops() {
	local -a inodes=()
	local f l
	for f in /proc/"$VNET_AGENT_PID"/fd/*; do
		l=$(readlink "$f" 2>/dev/null) || continue
		[[ $l =~ ^socket:\[([0-9]+)\]$ ]] && inodes+=("${BASH_REMATCH[1]}")
	done
	# sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
	ip netns exec "$VNET_SW" cat /proc/net/netlink | awk -v inos=" ${inodes[*]} " '
		$2 == 0 && $4 != "00000000" && index(inos, " " $10 " ") { print $9, $5; found = 1; exit }
		END { if (!found) exit 1 }'
}

# truth: "name<TAB>ifindex<TAB>ports" for every bridge in the switch namespace, sorted.
truth() {
	local br idx
	sw -o link show type bridge | awk -F': ' '{ sub(/@.*/, "", $2); print $1 "\t" $2 }' |
		while IFS=$'\t' read -r idx br; do
			printf '%s\t%s\t%s\n' "$br" "$idx" "$(sw -o link show master "$br" | grep -c . || true)"
		done | sort
}

# served: the same from vnetTable (one walk per column).
served() {
	local -A name=() ifx=() ports=()
	local oid _t v i
	while IFS=$'\t' read -r oid _t v; do name[${oid##*.}]=$v; done < <(vwalk "$E.$VNET_COL_NAME")
	while IFS=$'\t' read -r oid _t v; do ifx[${oid##*.}]=$v; done < <(vwalk "$E.$VNET_COL_IFINDEX")
	while IFS=$'\t' read -r oid _t v; do ports[${oid##*.}]=$v; done < <(vwalk "$E.$VNET_COL_PORTCOUNT")
	for i in "${!name[@]}"; do
		printf '%s\t%s\t%s\n' "${name[$i]}" "${ifx[$i]:-?}" "${ports[$i]:-?}"
	done | sort
}

# check_networks WHEN: vnetTable is exactly the kernel's bridges (names,
# ifindexes, port counts) and vnetNumber their count.  The agent may need a
# tick or two: retried for up to 4 s.
check_networks() {
	local when=$1 want got num
	for _ in 1 2 3 4 5 6 7 8; do
		want=$(truth)
		got=$(served) || got="(walk failed)"
		num=$(vval "$VNET_OID_NUMBER") || num="?"
		[[ $want == "$got" && $num == "$(grep -c . <<<"$want")" ]] && break
		sleep 0.5
	done
	vnet_assert_eq "$when: vnetTable is exactly the kernel's $(grep -c . <<<"$want") bridges (name, ifindex, ports)" \
		"$want" "$got"
	vnet_assert_eq "$when: vnetNumber is the number of bridges" "$(grep -c . <<<"$want")" "$num"
}

# walk_all FILE: the history table, columns 2..5, for every network.
walk_all() {
	local c
	: >"$1"
	for c in 2 3 4 5; do vwalk -Ox "$H.$c" >>"$1" || return 1; done
}

# ticks_groups FROM: "FIRST LAST K" for every tick-log group with k > 1 whose
# newest sample is >= FROM.
tick_groups() {
	awk -v from="$1" '$2 > 1 && $1 >= from { print $1 - $2 + 1, $1, $2 }' "$T/agent-ticks.log"
}

# check_rows WHEN FILE ALLOWED: for every network in the walk FILE:
#  - a row not valid(1) is interpolated(2) and lies in one of the ALLOWED groups
#    ("FIRST LAST" lines) or within a machine stall the watchdog saw;
#  - the rows of each allowed group share the amounts evenly (differ by <= 1);
#  - no row of a network other than br0 exceeds LIMIT bytes (sent or received).
check_rows() {
	local when=$1 file=$2 allowed=$3 out stalls
	stalls=$(vnet_stalls 0.9)
	out=$(TZ=UTC0 awk -F'\t' -v H="$H." -v br0="$IDX_BR0" -v limit="$LIMIT" -v allowed="$allowed" -v stalls="$stalls" '
		function hex(s,   i, n) { n = 0; s = toupper(s); for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1; return n }
		function dat_s(h) { # DateAndTime (UTC, TZ=UTC0) -> seconds since the epoch
			return mktime(sprintf("%d %d %d %d %d %d", hex(substr(h,1,4)), hex(substr(h,5,2)), hex(substr(h,7,2)), hex(substr(h,9,2)), hex(substr(h,11,2)), hex(substr(h,13,2)))) + hex(substr(h,15,2)) / 10 }
		BEGIN {
			ng = split(allowed, g, "\n")
			for (i = 1; i <= ng; i++) { split(g[i], p, " "); gf[i] = p[1]; gl[i] = p[2] }
			ns = split(stalls, sl, "\n")
			for (i = 1; i <= ns; i++) { split(sl[i], p, " "); s0[i] = p[2]; s1[i] = p[3] }
		}
		index($1, H) == 1 {
			split(substr($1, length(H) + 1), k, ".")
			col = k[1]; net = k[2]; smp = k[3]
			v[col, net, smp] = $3; nets[net] = 1; smps[net, smp] = 1
		}
		END {
			for (key in smps) {
				split(key, kk, SUBSEP); net = kk[1]; smp = kk[2]
				if (!((3, net, smp) in v)) continue # the walk of column 3 did not see it (second boundary)
				st = v[3, net, smp]
				if (st != 1) {
					ok = 0
					for (i = 1; i <= ng; i++) if (gf[i] != "" && smp >= gf[i] && smp <= gl[i]) ok = 1
					if (!ok && st == 2) { t = dat_s(v[2, net, smp]); for (i = 1; i <= ns; i++) if (s0[i] != "" && t >= s0[i] - 1.5 && t <= s1[i] + 1.5) ok = 1 }
					if (!ok || st != 2) printf "net %s sample %s: status %s outside the expected interpolated seconds\n", net, smp, st
				}
				if (net != br0 && (v[4, net, smp] > limit || v[5, net, smp] > limit))
					printf "net %s sample %s: %s B sent, %s B received > %d B possible\n", net, smp, v[4, net, smp], v[5, net, smp], limit
			}
			for (i = 1; i <= ng; i++) for (net in nets) for (c = 4; c <= 5; c++) {
				lo = ""; hi = ""
				for (s = gf[i]; s <= gl[i]; s++) {
					if (!((c, net, s) in v)) continue
					x = v[c, net, s] + 0
					if (lo == "" || x < lo) lo = x
					if (hi == "" || x > hi) hi = x
				}
				if (lo != "" && hi - lo > 1) printf "net %s samples %d..%d column %d: not evenly shared (%d..%d)\n", net, gf[i], gl[i], c, lo, hi
			}
		}' "$file" | sort | head -20)
	if [[ -z $out ]]; then
		vnet_pass "$when: every row valid(1) or in an evenly shared interpolated group; no row of another network above $LIMIT B"
	else
		vnet_fail "$when: every row valid(1) or in an evenly shared interpolated group; no row of another network above $LIMIT B" \
			"$out" "allowed groups: $(tr '\n' ';' <<<"$allowed")" "watchdog stalls: $(tr '\n' ';' <<<"${stalls:-none}")"
	fi
}

# ---------------------------------------------------------------- set-up
vnet_snmpd_start
vnet_netns_create
vnet_watchdog_start
vnet_bridge_add br0 2
vnet_traffic_start "$(vnet_host_of br0 2)" "$(vnet_host_of br0 1)" 2M
vnet_bridge_add old1 1
roam_host=$(vnet_host_of old1 1)
roam_port=old1-p1
# ~100 pings a second of 1 kB to an absent neighbour: old1-p1's rx counters grow
ip netns exec "$roam_host" ip neigh add 192.0.2.250 lladdr 02:00:00:00:00:fa dev eth0 nud permanent
ip netns exec "$roam_host" ping -q -i 0.01 -s 1000 192.0.2.250 </dev/null >/dev/null 2>&1 &
_vnet_track "$!" "ping in $roam_host"
for b in old2 old3 old4 keep1; do
	vnet_bridge_add "$b" 0
done
for p in o2a o2b; do vnet_plain_link "$p"; sw link set "$p" master old2; done
for p in o3a o3b; do vnet_plain_link "$p"; sw link set "$p" master old3; done
for p in o4a o4b; do vnet_plain_link "$p"; sw link set "$p" master old4; done
for p in k1a k1b k1c; do vnet_plain_link "$p"; sw link set "$p" master keep1; done

vnet_agent_start
vnet_wait_networks 6
IDX_BR0=$(vnet_index_of br0)
[[ $IDX_BR0 =~ ^[0-9]+$ ]] || vnet_die "br0 not served"

# The most any network but br0 can carry in a second: old1-p1's rate, measured,
# times the ports it can reach (flooded unknown unicast), with a margin.
rx0=$(sw -s -j link show "$roam_port" | grep -o '"rx":{"bytes":[0-9]*' | grep -o '[0-9]*$')
sleep 2
rx1=$(sw -s -j link show "$roam_port" | grep -o '"rx":{"bytes":[0-9]*' | grep -o '[0-9]*$')
RATE=$(((rx1 - rx0) / 2))
LIMIT=$((RATE * 3 * 3 + 65536))
vnet_log "old1-p1 receives $RATE B/s; per-row limit for networks other than br0: $LIMIT B"
((RATE > 20000)) || vnet_die "the ping traffic on $roam_port is too weak ($RATE B/s)"
sleep 2
check_networks "before the overrun"

# ---------------------------------------------------------------- 1. overrun
c_stop=$(vval "$CUR")
kill -STOP "$VNET_AGENT_PID"
t_stop=$(now_ms)
pairs=0 drops=0
while ((pairs < MAX_PAIRS)); do
	for ((i = pairs + 1; i <= pairs + CHUNK; i++)); do
		printf 'link add ov%d type veth peer name ov%dx\n' "$i" "$i"
	done >"$T/fill.batch"
	sw -batch "$T/fill.batch"
	pairs=$((pairs + CHUNK))
	read -r drops rmem < <(event_socket_drops) || vnet_die "cannot find the agent's event socket in /proc/net/netlink"
	((drops == 0)) || break
done
vnet_log "created $pairs veth pairs: the agent's event socket holds $rmem B and has dropped $drops messages"
vnet_assert_cmp "the stopped agent's event socket overflowed (drops: $drops after $pairs veth pairs)" "$drops" -gt 0
# topology changes while events are being dropped
{
	printf 'link del %s\n' old1 old2 old3 old4
	for ((b = 1; b <= 20; b++)); do
		printf 'link add nb%d type bridge\nlink set nb%d up\n' "$b" "$b"
	done
	printf 'link set %s master nb1\n' "$roam_port"
	printf 'link set ov1 master nb1\nlink set ov1 up\n'
	for ((b = 2; b <= 20; b++)); do
		printf 'link set ov%d master nb%d\nlink set ov%d up\n' $((2 * b)) "$b" $((2 * b))
		printf 'link set ov%d master nb%d\nlink set ov%d up\n' $((2 * b + 1)) "$b" $((2 * b + 1))
	done
	printf 'link del k1a\n'
	printf 'link add k1d type veth peer name k1dx\nlink set k1d master keep1\nlink set k1d up\n'
	printf 'link add k1e type veth peer name k1ex\nlink set k1e master keep1\nlink set k1e up\n'
	printf 'link add ghost type bridge\nlink set ghost up\nlink del ghost\n'
} >"$T/topo.batch"
sw -batch "$T/topo.batch"
read -r drops2 _ < <(event_socket_drops)
vnet_log "after the topology changes: $drops2 messages dropped"
vnet_assert_cmp "events of the topology changes were dropped too ($drops -> $drops2)" "$drops2" -gt "$drops"
rest=$((STOP_S * 1000 - ($(now_ms) - t_stop)))
((rest <= 0)) || sleep "$((rest / 1000)).$(printf '%03d' $((rest % 1000)))"
kill -CONT "$VNET_AGENT_PID"
t_cont=$(now_ms)
vnet_log "agent stopped for $((t_cont - t_stop)) ms from sample $c_stop"
sleep 3
check_networks "after the overrun"
n=$(grep -c 'link events overran, resynchronising' "$T/agent.log" || true)
vnet_assert_eq "the resync is logged exactly once" 1 "$n"
vnet_assert_eq "the ghost bridge never shows" "" "$(vnet_index_of ghost)"
walk_all "$T/hist-1.txt" || vnet_die "walking the history failed"
groups=$(tick_groups "$((c_stop + 1))")
g1=$(head -n 1 <<<"$groups")
vnet_log "interpolated groups after the stop (FIRST LAST K): $(tr '\n' ';' <<<"$groups")"
read -r gf gl gk <<<"$g1"
if [[ -n $g1 ]] && ((gf == c_stop + 1 || gf == c_stop + 2)) && ((gk >= STOP_S - 1)); then
	vnet_pass "the stopped seconds are one interpolated group: samples $gf..$gl (k = $gk)"
else
	vnet_fail "the stopped seconds are one interpolated group right after sample $c_stop" "groups: $(tr '\n' ';' <<<"$groups")"
fi
st=$(vnet_history_rows "$IDX_BR0" 3 "$T/hist-1.txt" | awk -F'\t' -v a="${gf:-0}" -v b="${gl:-0}" '$1 >= a && $1 <= b && $2 == 2 { n++ } END { print n + 0 }')
vnet_assert_eq "br0: the group's rows are interpolated(2)" "$((gl - gf + 1))" "$st"
check_rows "after the overrun" "$T/hist-1.txt" "$(cut -d' ' -f1,2 <<<"$groups")"
vnet_check_steady "after the overrun: br0" "$IDX_BR0" "$T/hist-1.txt"
inb1=$(vnet_index_of nb1)
nb1_max=$(vnet_history_rows "$inb1" 5 "$T/hist-1.txt" | awk -F'\t' '$2 > m { m = $2 } END { print m + 0 }')
vnet_log "nb1 (with old1-p1): largest vnetHistoryBytesReceived $nb1_max B (port rate $RATE B/s)"
vnet_assert_cmp "nb1 counts old1-p1's traffic once it joined (max row $nb1_max B)" "$nb1_max" -gt $((RATE / 4))

# ---------------------------------------------------------------- 2. interrupted dumps
c_churn=$(vval "$CUR")
strace_pid="" strace_log=$T/strace.log
if command -v strace >/dev/null 2>&1; then
	tid=$(find "/proc/$VNET_AGENT_PID/task" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | sed -n 2p)
	if [[ -n $tid ]]; then
		strace -qq -s 1 -e trace=recvmsg -o "$strace_log" -p "$tid" 2>/dev/null &
		strace_pid=$!
		_vnet_track "$strace_pid" strace
		sleep 0.5
	fi
fi
# Creating links is what moves the namespace's link generation (dev_base_seq)
# and interrupts dumps; deleting them would be slower (an RCU grace period
# each).  Every batch also adds a bridge cbN with two of the new pairs as ports.
t0=$(now_ms) nch=0 ncb=0
while (($(now_ms) - t0 < CHURN_S * 1000 && nch < CHURN_MAX)); do
	ncb=$((ncb + 1))
	{
		for ((i = nch + 1; i <= nch + CHURN_BATCH; i++)); do
			printf 'link add ch%d type veth peer name ch%dx\n' "$i" "$i"
		done
		printf 'link add cb%d type bridge\nlink set cb%d up\n' "$ncb" "$ncb"
		printf 'link set ch%d master cb%d\nlink set ch%d up\n' $((nch + 1)) "$ncb" $((nch + 1))
		printf 'link set ch%d master cb%d\nlink set ch%d up\n' $((nch + 2)) "$ncb" $((nch + 2))
	} >"$T/churn.batch"
	sw -batch "$T/churn.batch"
	nch=$((nch + CHURN_BATCH))
done
vnet_log "churn: $nch veth pairs and $ncb bridges created in $(($(now_ms) - t0)) ms"
intr=""
if [[ -n $strace_pid ]]; then
	sleep 0.5
	vnet_stop_pid "$strace_pid" 3 || true
	intr=$(grep -c 'NLM_F_DUMP_INTR' "$strace_log" || true)
	calls=$(grep -c '^recvmsg' "$strace_log" || true)
	vnet_log "strace: $intr of the sampler's $calls recvmsg() replies carried NLM_F_DUMP_INTR"
	vnet_assert_cmp "the churn interrupted the agent's dumps (NLM_F_DUMP_INTR seen $intr times)" "$intr" -gt 0
else
	vnet_log "strace not installed: whether the agent's dumps were interrupted is not observed"
fi
failed=$(grep -c 'dump failed' "$T/agent.log" || true)
vnet_log "agent: $failed 'dump failed' lines (3 interrupted tries in a row)"
sleep 3
check_networks "after the churn"
c_end=$(vval "$CUR")
walk_all "$T/hist-2.txt" || vnet_die "walking the history failed"
groups=$(tick_groups "$((c_churn + 1))")
vnet_log "interpolated groups during the churn (FIRST LAST K): $(tr '\n' ';' <<<"${groups:-none}")"
check_rows "during the churn (samples $c_churn..$c_end)" "$T/hist-2.txt" "$(printf '%s\n%s\n' "$gf $gl" "$groups" | cut -d' ' -f1,2)"
vnet_check_steady "during the churn: br0" "$IDX_BR0" "$T/hist-2.txt"
n=$(grep -c 'link events overran, resynchronising' "$T/agent.log" || true)
vnet_log "resync messages in the log after the churn: $n"

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_agent_stop 5 || true
vnet_assert_eq "SIGTERM at the end: exit 0" 0 "$VNET_AGENT_RC"
vnet_finish
