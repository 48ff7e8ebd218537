#!/usr/bin/env bash
# tests/integration/history.sh: the 60-second history subtable against the totals.
#
# br0 (2 ports) carries steady UDP between its hosts, br1 (1 port) is idle.
# Once vnetCurrentSample >= 62 (about a minute):
#  - every network has exactly 60 history rows, consecutive samples ending at
#    vnetCurrentSample (pinned: vnetCurrentSample is read before and after the
#    walk and must not have moved), all valid(1) (interpolated(2) only during a
#    stall the watchdog saw too, evenly shared), vnetHistoryTime +1 s per row
#    and close to the wall clock; each of br0's rows holds about one second of
#    its steady traffic (no second's bytes booked to another second);
#  - sums: vnetCurrentSample.0 and vnetBytes{Sent,Received}Total read in ONE PDU
#    at A and again at B (15+ s later): the history rows A+1..B add up to
#    total(B) - total(A) exactly, for every network;
#  - vnetBytes{Sent,Received}{Max,Avg} (read in one PDU with vnetCurrentSample)
#    are the max and floor(mean) of that sample's 60 rows (rows never change once
#    visible, so a walk right after still sees them).
# Runs in about 70 s.

# shellcheck disable=SC2119
VNET_TEST_NAME=history
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 timeout awk
vnet_need_agent

E=$VNET_OID_ENTRY
H=$VNET_OID_HENTRY
CUR=$VNET_OID_CURRENT

vnet_snmpd_start
vnet_netns_create
vnet_watchdog_start
vnet_bridge_add br0 2
vnet_bridge_add br1 1
h1=$(vnet_host_of br0 1)
h2=$(vnet_host_of br0 2)
vnet_traffic_start "$h2" "$h1" 2M
vnet_agent_start
vnet_wait_networks 2

declare -A IDX=()
while IFS=$'\t' read -r i name; do IDX[$name]=$i; done < <(vnet_names)
vnet_assert_eq "both bridges are in vnetTable" "br0 br1" "$(printf '%s\n' "${!IDX[@]}" | sort | tr '\n' ' ' | sed 's/ $//')"
[[ -n ${IDX[br0]:-} && -n ${IDX[br1]:-} ]] || vnet_die "bridges missing from vnetTable"
NETS=(br0 br1)

# cur_ge N: vnetCurrentSample >= N
# shellcheck disable=SC2317  # called through vnet_wait_until
cur_ge() { local c; c=$(vval "$CUR") && ((c >= $1)); }

# wait_sample N: wait until vnetCurrentSample >= N (bounded: N s + 15 s).
wait_sample() {
	local n=$1 c
	c=$(vval "$CUR" || echo 0)
	vnet_log "waiting for vnetCurrentSample >= $n (now $c)"
	vnet_wait_until $((n - c + 15)) cur_ge "$n" || vnet_die "vnetCurrentSample did not reach $n (now $(vval "$CUR" || echo '?'))"
}

# read_totals: one GET PDU: vnetCurrentSample.0 and the totals of every network.
# Prints "cur sent(br0) recv(br0) sent(br1) recv(br1)".
read_totals() {
	local -a oids=("$CUR")
	local n out
	for n in "${NETS[@]}"; do oids+=("$E.15.${IDX[$n]}" "$E.16.${IDX[$n]}"); done
	out=$(vget "${oids[@]}") || return 1
	awk -F'\t' '{ printf "%s%s", (NR > 1 ? " " : ""), $3 } END { print "" }' <<<"$out"
}

# pinned_walk FILE: walk the whole history table while vnetCurrentSample stays
# put; prints that sample number.  Retries when a second boundary hits the walk.
pinned_walk() {
	local file=$1 try c0 c1
	for try in 1 2 3 4 5; do
		c0=$(vval "$CUR") || return 1
		vwalk -Ox "$H" >"$file" || return 1
		c1=$(vval "$CUR") || return 1
		if [[ $c0 == "$c1" ]]; then
			printf '%s\n' "$c0"
			return 0
		fi
		vnet_log "history walk spanned samples $c0..$c1 (try $try), walking again" >&2
	done
	return 1
}

# rows FILE IDX COL: "sample<TAB>value" of one network and column, from FILE.
rows() { vnet_history_rows "$2" "$3" "$1"; }

# sum_range FILE IDX COL FROM TO: sum of the rows FROM..TO; fails if one is missing.
sum_range() {
	rows "$1" "$2" "$3" | awk -F'\t' -v a="$4" -v b="$5" '
		$1 >= a && $1 <= b { s += $2; n++ }
		END { if (n != b - a + 1) { printf "only %d of the %d rows %d..%d are present\n", n, b - a + 1, a, b; exit 1 } printf "%.0f\n", s }'
}

# ---------------------------------------------------------------- A
wait_sample 46
read -r cA tA0s tA0r tA1s tA1r < <(read_totals) || vnet_die "reading totals at A failed"
vnet_log "A: sample $cA, br0 sent/recv total $tA0s/$tA0r, br1 $tA1s/$tA1r"

# ---------------------------------------------------------------- B (>= 62, >= A + 15)
target=$((cA + 15))
((target >= 62)) || target=62
wait_sample "$target"
read -r cB tB0s tB0r tB1s tB1r < <(read_totals) || vnet_die "reading totals at B failed"
vnet_log "B: sample $cB, br0 sent/recv total $tB0s/$tB0r, br1 $tB1s/$tB1r"
hw=$T/history.txt
cW=$(pinned_walk "$hw") || vnet_die "could not walk vnetHistoryTable within one second (5 tries)"
vnet_log "history walked at sample $cW ($(wc -l <"$hw") varbinds)"

# ---------------------------------------------------------------- sums
declare -A TA=([br0,4]=$tA0s [br0,5]=$tA0r [br1,4]=$tA1s [br1,5]=$tA1r)
declare -A TB=([br0,4]=$tB0s [br0,5]=$tB0r [br1,4]=$tB1s [br1,5]=$tB1r)
declare -A CNAME=([4]=Sent [5]=Received)
vnet_assert_cmp "B is at least 15 samples after A ($cA -> $cB)" "$cB" -ge $((cA + 15))
for n in "${NETS[@]}"; do
	for c in 4 5; do
		if s=$(sum_range "$hw" "${IDX[$n]}" "$c" $((cA + 1)) "$cB"); then
			d=$((TB[$n,$c] - TA[$n,$c]))
			vnet_assert_eq "$n: sum of vnetHistoryBytes${CNAME[$c]} over samples $((cA + 1))..$cB = Total(B) - Total(A)" "$d" "$s"
		else
			vnet_fail "$n: history rows $((cA + 1))..$cB of vnetHistoryBytes${CNAME[$c]} are all present" "$s"
		fi
	done
done
d0=$((TB[br0,4] - TA[br0,4]))
vnet_assert_cmp "br0: traffic was counted between A and B ($d0 bytes sent)" "$d0" -gt $(((cB - cA) * 100000))

# ---------------------------------------------------------------- the 60 rows
now_ds=$(($(date -u +%s) * 10))
for n in "${NETS[@]}"; do
	i=${IDX[$n]}
	samples=$(rows "$hw" "$i" 4 | cut -f1 | tr '\n' ' ')
	expect=$(seq $((cW - 59)) "$cW" | tr '\n' ' ')
	if [[ $samples == "$expect" ]]; then
		vnet_pass "$n: exactly 60 history rows, samples $((cW - 59))..$cW (vnetCurrentSample $cW)"
	else
		vnet_fail "$n: exactly 60 history rows, samples $((cW - 59))..$cW" "got $(wc -w <<<"$samples"): $samples"
	fi
	for c in 2 3 4 5 6 7 8; do
		cnt=$(rows "$hw" "$i" "$c" | wc -l)
		[[ $cnt == 60 ]] || vnet_fail "$n: history column $c has 60 rows" "it has $cnt"
	done
	vnet_check_status "$n" "$i" "$hw"
	[[ $n != br0 ]] || vnet_check_steady "$n" "$i" "$hw"
	# times: +1 s per sample (deciseconds may jitter by one), close to now
	tbad="" prev="" newest=""
	while IFS=$'\t' read -r smp hex; do
		if ! t=$(vnet_dat_to_ds "$hex"); then
			tbad+=" sample $smp: bad DateAndTime '$hex';"
			continue
		fi
		if [[ -n $prev ]] && ((t - prev < 9 || t - prev > 11)); then
			tbad+=" sample $smp: $(vnet_dat_fmt "$hex") is $((t - prev)) ds after the previous row;"
		fi
		prev=$t newest=$t
	done < <(rows "$hw" "$i" 2)
	vnet_assert_eq "$n: vnetHistoryTime increases by 1 s per sample" "" "$tbad"
	if [[ -n $newest ]] && ((newest - now_ds >= -50 && newest - now_ds <= 20)); then
		vnet_pass "$n: the newest vnetHistoryTime is the wall clock of the last second ($((newest - now_ds)) ds from now)"
	else
		vnet_fail "$n: the newest vnetHistoryTime is within 5 s of the wall clock" "newest ${newest:-none} ds, now $now_ds ds"
	fi
done
# The same second has the same time in every network (one sampling clock).
t0=$(rows "$hw" "${IDX[br0]}" 2 | awk -F'\t' -v s="$cW" '$1 == s { print $2 }')
t1=$(rows "$hw" "${IDX[br1]}" 2 | awk -F'\t' -v s="$cW" '$1 == s { print $2 }')
vnet_assert_eq "sample $cW has the same vnetHistoryTime in br0 and br1" "$t0" "$t1"

# ---------------------------------------------------------------- max / avg
# One PDU pins Max/Avg to sample cM; its 60 rows cM-59..cM stay visible for
# the next ~59 s, so the walk right after sees them unchanged.
maxavg_check() { # NET
	local n=$1 i out cM mS aS mR aR f try
	i=${IDX[$n]}
	for try in 1 2 3; do
		out=$(vget "$CUR" "$E.11.$i" "$E.12.$i" "$E.13.$i" "$E.14.$i") || { vnet_fail "$n: read Max/Avg"; return 0; }
		read -r cM mS aS mR aR < <(awk -F'\t' '{ printf "%s%s", (NR > 1 ? " " : ""), $3 } END { print "" }' <<<"$out")
		f=$T/maxavg-$n.txt
		if ! { vwalk "$H.4.$i" >"$f" && vwalk "$H.5.$i" >>"$f"; }; then
			vnet_fail "$n: walk history for Max/Avg"
			return 0
		fi
		local okS okR
		okS=$(rows "$f" "$i" 4 | awk -F'\t' -v a=$((cM - 59)) -v b="$cM" '$1 >= a && $1 <= b { n++; s += $2; if ($2 > m) m = $2 } END { if (n == 60) printf "%.0f %.0f\n", m, int(s / 60) }')
		okR=$(rows "$f" "$i" 5 | awk -F'\t' -v a=$((cM - 59)) -v b="$cM" '$1 >= a && $1 <= b { n++; s += $2; if ($2 > m) m = $2 } END { if (n == 60) printf "%.0f %.0f\n", m, int(s / 60) }')
		if [[ -n $okS && -n $okR ]]; then
			vnet_assert_eq "$n: vnetBytesSentMax/Avg = max/floor(mean) of rows $((cM - 59))..$cM" "$okS" "$mS $aS"
			vnet_assert_eq "$n: vnetBytesReceivedMax/Avg = max/floor(mean) of rows $((cM - 59))..$cM" "$okR" "$mR $aR"
			return 0
		fi
		vnet_log "$n: rows $((cM - 59))..$cM not all visible in the walk (try $try)"
	done
	vnet_fail "$n: the 60 rows behind Max/Avg could be read"
}
for n in "${NETS[@]}"; do maxavg_check "$n"; done
mx=$(vval "$E.11.${IDX[br0]}" || echo 0)
vnet_assert_cmp "br0: vnetBytesSentMax reflects the traffic ($mx)" "$mx" -gt 100000

vnet_assert_eq "the agent is still running" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_finish
