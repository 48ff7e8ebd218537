#!/usr/bin/env bash
# tests/integration/walk.sh: a full walk of VNET-MIB through a private snmpd.
#
# Switch namespace with three bridges (br0: 2 ports and traffic between its two
# hosts, br1: 1 port, brx: no port) and a veth pair in no bridge; the agent runs
# in the switch namespace.  After ~3 s:
#  - the walk of the whole subtree is strictly increasing, error-free, and holds
#    only the objects the contract defines;
#  - vnetNumber = 3, one row per bridge, every column 2..17 present with its
#    type; names, vnetType = linuxBridge(1), real ifindex, port counts;
#  - vnetHistorySize = 60, history columns 2..8 for every network, consecutive
#    samples ending at vnetCurrentSample;
#  - br0's per-second bytes are non-zero and plausible while traffic flows;
#  - GET of absent instances: noSuchInstance; SET of any object: notWritable;
#  - snmptable renders vnetTable;
#  - a bridge created after start appears within ~2 s, a port added shows in
#    vnetPortCount, a deleted bridge disappears (with its history).

# shellcheck disable=SC2119
VNET_TEST_NAME=walk
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk snmpset snmptable iperf3 timeout awk
vnet_need_agent

E=$VNET_OID_ENTRY
H=$VNET_OID_HENTRY

vnet_snmpd_start
vnet_netns_create
vnet_watchdog_start
vnet_bridge_add br0 2
vnet_bridge_add br1 1
vnet_bridge_add brx 0
vnet_plain_link lone0
h1=$(vnet_host_of br0 1)
h2=$(vnet_host_of br0 2)
vnet_traffic_start "$h2" "$h1" 2M

vnet_agent_start
vnet_wait_networks 3
sleep 2

# ---------------------------------------------------------------- the walk
walk=$T/walk.txt
rc=0
vwalk "$VNET_ROOT" >"$walk" || rc=$?
vnet_assert_eq "snmpbulkwalk of the subtree succeeds without errors" 0 "$rc"
vnet_assert_cmp "the walk returns something ($(wc -l <"$walk") varbinds)" "$(wc -l <"$walk")" -gt 0

if out=$(vnet_oid_sorted "$walk"); then
	vnet_pass "the walk is in strictly increasing OID order, no duplicates"
else
	vnet_fail "the walk is in strictly increasing OID order, no duplicates" "$out"
fi
exc=$(awk -F'\t' '$2 ~ /^(noSuchInstance|noSuchObject|endOfMibView|\?)$/' "$walk" | head -5)
vnet_assert_eq "the walk ends cleanly (no exception or unparsed varbind)" "" "$exc"

# Every OID is one the contract defines.
bad=$(awk -F'\t' -v r="$VNET_ROOT." '
	index($1, r) != 1 { print "outside the subtree: " $1; next }
	{ s = substr($1, length(r) + 1); n = split(s, p, ".") }
	s ~ /^1\.1\.[123]\.0$/ { next }
	n == 5 && p[1] == 1 && p[2] == 2 && p[3] == 1 && p[4] >= 2 && p[4] <= 17 && p[5] >= 1 { next }
	n == 6 && p[1] == 1 && p[2] == 3 && p[3] == 1 && p[4] >= 2 && p[4] <= 8 && p[5] >= 1 && p[6] >= 1 { next }
	{ print "unexpected OID: " $1 }' "$walk" | head -10)
vnet_assert_eq "the walk holds only contract objects (no index column, no strays)" "" "$bad"

declare -A W=() W_type=()
vnet_load_walk "$walk" W

# ---------------------------------------------------------------- scalars
vnet_assert_eq "vnetNumber.0 is a Gauge32" Gauge32 "${W_type[$VNET_OID_NUMBER]:-absent}"
vnet_assert_eq "vnetNumber.0 = 3" 3 "${W[$VNET_OID_NUMBER]:-absent}"
vnet_assert_eq "vnetHistorySize.0 = 60" 60 "${W[$VNET_OID_HISTSIZE]:-absent}"
vnet_assert_eq "vnetCurrentSample.0 is an Unsigned32 (Gauge32 on the wire)" Gauge32 "${W_type[$VNET_OID_CURRENT]:-absent}"
cur=${W[$VNET_OID_CURRENT]:-0}
vnet_assert_cmp "vnetCurrentSample.0 > 0 after 3 s" "$cur" -gt 0

# ---------------------------------------------------------------- vnetTable
declare -A IDX=()
while IFS=$'\t' read -r oid _ val; do
	IDX[$val]=${oid##*.}
done < <(awk -F'\t' -v p="$E.2." 'index($1, p) == 1' "$walk")
names=$(printf '%s\n' "${!IDX[@]}" | sort | tr '\n' ' ')
vnet_assert_eq "vnetTable has exactly the three bridges" "br0 br1 brx " "$names"
vnet_assert_eq "rows in vnetTable = vnetNumber" "${W[$VNET_OID_NUMBER]:-}" "${#IDX[@]}"

declare -A EXPECT_PORTS=([br0]=2 [br1]=1 [brx]=0)
declare -A COLTYPE=([2]=STRING [3]=INTEGER [4]=INTEGER [5]=Gauge32 [17]=Hex-STRING)
for c in 6 7 8 9 10 11 12 13 14 15 16; do COLTYPE[$c]=Counter64; done
now_s=$(date -u +%s)
for br in br0 br1 brx; do
	i=${IDX[$br]:-}
	if [[ -z $i ]]; then
		vnet_fail "$br has a row in vnetTable"
		continue
	fi
	absent="" wrongtype=""
	for c in $(seq 2 17); do
		if [[ -z ${W_type[$E.$c.$i]+x} ]]; then
			absent+=" $c"
		elif [[ ${W_type[$E.$c.$i]} != "${COLTYPE[$c]}" ]]; then
			wrongtype+=" col$c=${W_type[$E.$c.$i]}(want ${COLTYPE[$c]})"
		fi
	done
	vnet_assert_eq "$br (index $i): every column 2..17 present" "" "$absent"
	vnet_assert_eq "$br: every column has its SMI type" "" "$wrongtype"
	vnet_assert_eq "$br: vnetType = linuxBridge(1)" 1 "${W[$E.4.$i]:-}"
	vnet_assert_eq "$br: vnetIfIndex = the bridge's ifindex" "$(vnet_ifindex "$br")" "${W[$E.3.$i]:-}"
	vnet_assert_eq "$br: vnetPortCount" "${EXPECT_PORTS[$br]}" "${W[$E.5.$i]:-}"
	for pair in 15:6 16:7; do
		tot=${W[$E.${pair%%:*}.$i]:-0} sec=${W[$E.${pair##*:}.$i]:-0}
		vnet_assert_cmp "$br: column ${pair%%:*} (total) >= column ${pair##*:} (last second)" "$tot" -ge "$sec"
	done
	for pair in 11:6 13:7; do
		mx=${W[$E.${pair%%:*}.$i]:-0} sec=${W[$E.${pair##*:}.$i]:-0}
		vnet_assert_cmp "$br: column ${pair%%:*} (max) >= column ${pair##*:} (last second)" "$mx" -ge "$sec"
	done
	dt=${W[$E.17.$i]:-}
	if ds=$(vnet_dat_to_ds "$dt"); then
		vnet_pass "$br: vnetDiscontinuityTime is a valid DateAndTime ($(vnet_dat_fmt "$dt"))"
		age=$((now_s - ds / 10))
		if ((age >= -2 && age <= 30)); then
			vnet_pass "$br: vnetDiscontinuityTime is when the agent first saw it (${age} s ago)"
		else
			vnet_fail "$br: vnetDiscontinuityTime is when the agent first saw it" "it is ${age} s before now"
		fi
	else
		vnet_fail "$br: vnetDiscontinuityTime is a valid DateAndTime (8 or 11 octets)" "got: '$dt'"
	fi
done

# br0 carries ~2 Mbit/s (about 257 kB/s on the wire) from h2 to h1: each frame is
# received on one port and sent out of the other, so sent ~ received.
i0=${IDX[br0]:-0}
bs=${W[$E.6.$i0]:-0} brcv=${W[$E.7.$i0]:-0} ps=${W[$E.8.$i0]:-0} pr=${W[$E.9.$i0]:-0}
vnet_assert_cmp "br0: vnetBytesSent > 0 while traffic flows" "$bs" -gt 0
vnet_assert_cmp "br0: vnetBytesReceived > 0 while traffic flows" "$brcv" -gt 0
vnet_assert_cmp "br0: vnetPacketsSent > 0 while traffic flows" "$ps" -gt 0
vnet_assert_cmp "br0: vnetPacketsReceived > 0 while traffic flows" "$pr" -gt 0
if ((bs > 100000 && bs < 600000)); then
	vnet_pass "br0: vnetBytesSent is a one-second amount for 2 Mbit/s ($bs B)"
else
	vnet_fail "br0: vnetBytesSent is a one-second amount for 2 Mbit/s" "expected ~257000 (100000..600000), got $bs"
fi
if ((bs > 0 && brcv > 0 && (bs > brcv ? bs - brcv : brcv - bs) * 10 <= bs)); then
	vnet_pass "br0: bytes sent ~ bytes received within 10% ($bs vs $brcv)"
else
	vnet_fail "br0: bytes sent ~ bytes received within 10%" "sent $bs, received $brcv"
fi

# ---------------------------------------------------------------- vnetHistoryTable
for br in br0 br1 brx; do
	i=${IDX[$br]:-}
	[[ -n $i ]] || continue
	absent=""
	for c in 2 3 4 5 6 7 8; do
		n=$(awk -F'\t' -v p="$H.$c.$i." 'index($1, p) == 1' "$walk" | wc -l)
		((n > 0)) || absent+=" $c"
	done
	vnet_assert_eq "$br: history columns 2..8 present" "" "$absent"
	samples=$(vnet_history_rows "$i" 4 "$walk" | cut -f1)
	n=$(wc -w <<<"$samples")
	first=$(head -n1 <<<"$samples") last=$(tail -n1 <<<"$samples")
	if ((n >= 1 && n <= 60)) && [[ -n $first ]] && ((last - first + 1 == n)); then
		vnet_pass "$br: $n history rows, consecutive samples $first..$last"
	else
		vnet_fail "$br: 1..60 history rows with consecutive samples" "$n rows: $(tr '\n' ' ' <<<"$samples")"
	fi
	vnet_assert_cmp "$br: the newest history row is at least vnetCurrentSample read before it" "${last:-0}" -ge "$cur"
	vnet_check_status "$br" "$i" "$walk"
done

# ---------------------------------------------------------------- absent instances
chk_nosuch() { # DESC OID
	local line type
	line=$(vget "$2") || { vnet_fail "$1" "snmpget failed"; return 0; }
	type=$(cut -f2 <<<"$line")
	vnet_assert_eq "$1" noSuchInstance "$type"
}
cur=$(vval "$VNET_OID_CURRENT" || echo 0)
chk_nosuch "GET vnetName.<unused index> -> noSuchInstance" "$E.2.2147483647"
chk_nosuch "GET vnetName.<br0>.0 (extra sub-identifier) -> noSuchInstance" "$E.2.$i0.0"
chk_nosuch "GET vnetBytesSentTotal.4294967295 -> noSuchInstance" "$E.15.4294967295"
chk_nosuch "GET vnetHistoryBytesSent.<br0>.0 -> noSuchInstance" "$H.4.$i0.0"
chk_nosuch "GET vnetHistoryBytesSent.<br0>.<future sample> -> noSuchInstance" "$H.4.$i0.$((cur + 1000))"
chk_nosuch "GET vnetHistoryTime.<br0> (no sample sub-identifier) -> noSuchInstance" "$H.2.$i0"
chk_nosuch "GET vnetHistoryTime.<unused index>.<current sample> -> noSuchInstance" "$H.2.2147483647.$cur"

# ---------------------------------------------------------------- SET: notWritable
set_objs=("$VNET_OID_NUMBER" "$VNET_OID_CURRENT" "$VNET_OID_HISTSIZE")
for c in $(seq 2 17); do set_objs+=("$E.$c.$i0"); done
cur=$(vval "$VNET_OID_CURRENT" || echo 0)
for c in $(seq 2 8); do set_objs+=("$H.$c.$i0.$cur"); done
bad_set=""
for oid in "${set_objs[@]}"; do
	col=${oid#"$VNET_ROOT".}
	case $col in
	1.2.1.2.* | 1.2.1.17.* | 1.3.1.2.*) type=s val=x ;;
	1.2.1.3.* | 1.2.1.4.* | 1.3.1.3.*) type=i val=1 ;;
	*) type=u val=1 ;;
	esac
	out=$(vset "$oid" "$type" "$val" || true)
	[[ $out == *notWritable* ]] || bad_set+="$oid: $(tr '\n' ' ' <<<"$out")"$'\n'
done
vnet_assert_eq "SET of every object (${#set_objs[@]}) -> notWritable" "" "$bad_set"
vnet_assert_eq "after the SETs, vnetName of br0 is unchanged" br0 "$(vval "$E.2.$i0" || true)"

# ---------------------------------------------------------------- snmptable
vnet_mib_try
if out=$(vtable 2>"$T/vtable.err"); then
	how=numerically
	((VNET_MIB_OK)) && how="by name (VNET-MIB)"
	vnet_pass "snmptable renders vnetTable $how"
	printf '%s\n' "$out" | sed 's/^/#   /'
	for br in br0 br1 brx; do vnet_assert_match "the rendered table shows $br" "(^|[^[:alnum:]])$br([^[:alnum:]]|$)" "$out"; done
else
	vnet_fail "snmptable renders vnetTable" "$(head -c 1500 "$T/vtable.err")"
fi

# ---------------------------------------------------------------- topology changes
# wait_for DESC TIMEOUT_S CMD...: poll until CMD succeeds; report the time taken.
wait_for() {
	local desc=$1 limit=$2 t0 ms
	shift 2
	t0=$(_vnet_elapsed_ms)
	if vnet_wait_until "$limit" "$@"; then
		ms=$(($(_vnet_elapsed_ms) - t0))
		vnet_pass "$desc (after ${ms} ms)"
	else
		vnet_fail "$desc" "not within ${limit} s"
	fi
}
# shellcheck disable=SC2317  # called through vnet_wait_until
has_name() { vnet_names | cut -f2 | grep -qx "$1"; }
# shellcheck disable=SC2317
no_name() { ! vnet_names | cut -f2 | grep -qx "$1"; }
# shellcheck disable=SC2317
port_count_is() { # BRIDGE N
	local i
	i=$(vnet_index_of "$1") && [[ -n $i ]] && [[ $(vval "$E.5.$i") == "$2" ]]
}

ip -n "$VNET_SW" link add br2 type bridge
ip -n "$VNET_SW" link set br2 up
wait_for "a bridge created after start (br2) appears within 3 s" 3 has_name br2
i2=$(vnet_index_of br2 || true)
vnet_assert_eq "vnetNumber = 4 with br2" 4 "$(vval "$VNET_OID_NUMBER" || true)"
if [[ -n $i2 ]]; then
	used=" ${IDX[*]} "
	if [[ $used != *" $i2 "* ]]; then
		vnet_pass "br2 got a new index ($i2)"
	else
		vnet_fail "br2 got a new index" "$i2 is already in use: $used"
	fi
	vnet_assert_eq "br2: vnetIfIndex" "$(vnet_ifindex br2)" "$(vval "$E.3.$i2" || true)"
fi

vnet_host_add br1
wait_for "a port added to br1 shows in vnetPortCount (2) within 3 s" 3 port_count_is br1 2

ix=${IDX[brx]:-0}
ip -n "$VNET_SW" link del brx
wait_for "a deleted bridge (brx) disappears within 3 s" 3 no_name brx
vnet_assert_eq "vnetNumber = 3 after deleting brx" 3 "$(vval "$VNET_OID_NUMBER" || true)"
left=$(vwalk "$H.2.$ix" | awk -F'\t' -v p="$H.2.$ix." 'index($1, p) == 1' | wc -l)
vnet_assert_eq "brx's history rows are gone" 0 "$left"
# The index space stays ordered and clean after the changes.
vwalk "$VNET_ROOT" >"$T/walk2.txt" && rc=0 || rc=$?
vnet_assert_eq "a second walk after the topology changes succeeds" 0 "$rc"
if out=$(vnet_oid_sorted "$T/walk2.txt"); then
	vnet_pass "the second walk is strictly increasing"
else
	vnet_fail "the second walk is strictly increasing" "$out"
fi

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_finish
