#!/usr/bin/env bash
# tests/integration/soak.sh: 120 s of topology churn while the tables are walked.
#
# Switch namespace:
#  - "stable": 2 hosts, steady UDP (2 Mbit/s) between them, never touched;
#  - "rhome": 4 hosts, each pinging an absent neighbour ~100 times a second
#    (1 kB), so their ports' rx counters grow all the time, in or out of a bridge;
#  - churn, ~20 changes a second for SOAK_S (120) seconds, at random: create or
#    delete a bridge cb0..cb7, create a veth port cp0..cp23 in one of them or
#    delete it, move one of rhome's 4 ports to a cb bridge, back home, or out of
#    any bridge.  Names are reused, so the agent's state (name -> index) stays
#    bounded and its memory should too.
# Meanwhile snmpbulkwalk walks the whole subtree back to back, and the agent's
# RSS is read every 2 s.  Checks:
#  - the agent never dies; no walk fails or prints anything on stderr (no
#    genErr, no "OID not increasing", no timeout: a timeout is excused only while
#    the watchdog saw the machine stall, as lib.sh excuses interpolated rows);
#  - no leak: RSS at the end (SOAK_S) is within RSS_SLACK_KB of RSS at 30 s
#    (warm-up: the ring buffers, the link table and malloc's arenas have grown
#    to their working size by then); open fds the same;
#  - no spike: every row of "stable" seen in any walk (rows never change once
#    visible: checked too) holds about one second of its traffic
#    (vnet_check_steady, over the whole 120 s) and is valid(1) (vnet_check_status);
#    no row of any other network receives more than 4 ports' ping rate allows
#    (a port counted with its old counters on joining would be a spike of MBs),
#    or sends more than 4 times that;
#  - after the churn, vnetTable is exactly the kernel's bridges.
# Runs in about 130 s.

# shellcheck disable=SC2119
VNET_TEST_NAME=soak
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 ping timeout awk
vnet_need_agent

H=$VNET_OID_HENTRY
SOAK_S=${VNET_SOAK_S:-120}   # seconds of churn
OPS_PER_S=20
WARM_S=30                    # RSS reference point
RSS_SLACK_KB=512             # allowed RSS growth from WARM_S to SOAK_S
NROAM=4

now_ms() { _vnet_elapsed_ms; }
sw() { ip -n "$VNET_SW" "$@"; }

# ---------------------------------------------------------------- set-up
vnet_snmpd_start
vnet_netns_create
vnet_watchdog_start
vnet_bridge_add stable 2
vnet_traffic_start "$(vnet_host_of stable 2)" "$(vnet_host_of stable 1)" 2M
vnet_bridge_add rhome "$NROAM"
for ((r = 1; r <= NROAM; r++)); do
	h=$(vnet_host_of rhome "$r")
	ip netns exec "$h" ip neigh add 192.0.2.250 lladdr 02:00:00:00:00:fa dev eth0 nud permanent
	ip netns exec "$h" ping -q -i 0.01 -s 1000 192.0.2.250 </dev/null >/dev/null 2>&1 &
	_vnet_track "$!" "ping in $h"
done
vnet_agent_start
vnet_wait_networks 2
IDX_STABLE=$(vnet_index_of stable)
[[ $IDX_STABLE =~ ^[0-9]+$ ]] || vnet_die "stable is not served"

rxb() { sw -s -j link show "$1" | grep -o '"rx":{"bytes":[0-9]*' | grep -o '[0-9]*$'; }
a=$(rxb rhome-p1)
sleep 2
b=$(rxb rhome-p1)
RATE=$(((b - a) / 2))
((RATE > 20000)) || vnet_die "the ping traffic on rhome-p1 is too weak ($RATE B/s)"
LIMIT_RX=$((RATE * NROAM * 5 / 2 + 65536))
LIMIT_TX=$((LIMIT_RX * 4))
vnet_log "each rhome port receives $RATE B/s: a churned network's row may hold at most $LIMIT_RX B received, $LIMIT_TX B sent"

# ---------------------------------------------------------------- churn
churn() {
	local -a bridges=() ports=() roam=()   # bridges[k]=1 if cbk exists; ports[j]=bridge of cpj; roam[r]=where rhome-pr is
	local r j k n=0 op t0 next now dly b
	trap 'exit 0' TERM
	set +e
	t0=$(now_ms)
	for ((r = 1; r <= NROAM; r++)); do roam[r]=rhome; done
	while :; do
		op=$((RANDOM % 6))
		k=$((RANDOM % 8)) j=$((RANDOM % 24)) r=$((RANDOM % NROAM + 1))
		case $op in
		0) # create a bridge
			if [[ -z ${bridges[k]:-} ]]; then
				sw link add "cb$k" type bridge && sw link set "cb$k" up && bridges[k]=1
			fi ;;
		1) # delete a bridge: its ports are released, not deleted
			if [[ -n ${bridges[k]:-} ]]; then
				sw link del "cb$k" && unset "bridges[k]"
				for j in "${!ports[@]}"; do [[ ${ports[j]} != "cb$k" ]] || ports[j]=none; done
				for ((r = 1; r <= NROAM; r++)); do [[ ${roam[r]} != "cb$k" ]] || roam[r]=none; done
			fi ;;
		2) # a new port in some bridge
			b=""
			for k in "${!bridges[@]}"; do b=cb$k; done
			if [[ -z ${ports[j]:-} && -n $b ]]; then
				sw link add "cp$j" type veth peer name "cp${j}x" && sw link set "cp$j" master "$b" &&
					sw link set "cp$j" up && ports[j]=$b
			fi ;;
		3) # delete a port
			if [[ -n ${ports[j]:-} ]]; then
				sw link del "cp$j" && unset "ports[j]"
			fi ;;
		4) # move a pinging port to a cb bridge, or home
			b=rhome
			for k in "${!bridges[@]}"; do ((RANDOM % 2)) && b=cb$k; done
			sw link set "rhome-p$r" master "$b" && roam[r]=$b ;;
		5) # take a pinging port out of any bridge
			sw link set "rhome-p$r" nomaster && roam[r]=none ;;
		esac
		n=$((n + 1))
		printf '%s\n' "$n" >"$T/churn.count"
		next=$((t0 + n * 1000 / OPS_PER_S))
		now=$(now_ms)
		if ((next > now)); then
			dly=$((next - now))
			sleep "$((dly / 1000)).$(printf '%03d' $((dly % 1000)))"
		fi
	done
}

# ---------------------------------------------------------------- walker
# Walks the whole subtree back to back.  Per walk, one line in walks.log:
# "N RC STDERR_BYTES VARBINDS MAX_SENT MAX_RECEIVED ROWS_RECEIVING" (the last
# three over the history rows of churned networks); a failed walk goes to
# walk-errors.log (times, status, stderr, genErr lines);
# the rows of "stable" go to stable-rows.txt, other networks' rows above the
# limits to spikes.txt.
walker() {
	local n=0 rc out=$T/walk.out err=$T/walk.err w0 w1
	trap 'exit 0' TERM
	set +e
	while :; do
		n=$((n + 1))
		rc=0
		w0=$EPOCHREALTIME
		env -u MIBS -u MIBDIRS timeout 60 snmpbulkwalk -v2c -c public -On -Oe -Ox -t 5 -r 0 -Cr50 \
			"unix:$T/snmp.sock" "$VNET_ROOT" >"$out" 2>"$err" || rc=$?
		w1=$EPOCHREALTIME
		if ((rc != 0)) || [[ -s $err ]] || grep -q -i -e genErr -e 'Error in packet' "$out"; then
			# "START END N RC<TAB>stderr, lines joined by |<TAB>genErr lines in the output"
			printf '%s %s %d %d\t%s\t%s\n' "$w0" "$w1" "$n" "$rc" "$(head -c 2000 "$err" | tr '\n' '|')" \
				"$(grep -i -e genErr -e 'Error in packet' "$out" | head -3 | tr '\n' '|')" >>"$T/walk-errors.log"
		fi
		_vnet_parse <"$out" | awk -F'\t' -v H="$H." -v st="$IDX_STABLE" -v lrx="$LIMIT_RX" -v ltx="$LIMIT_TX" \
			-v sf="$T/stable-rows.txt" -v xf="$T/spikes.txt" -v w="$n" '
			index($1, H) == 1 {
				split(substr($1, length(H) + 1), k, ".")
				if (k[2] == st) { if (k[1] >= 2 && k[1] <= 5) print >>sf; next }
				if (k[1] == 4 && $3 + 0 > mtx) mtx = $3 + 0
				if (k[1] == 5 && $3 + 0 > mrx) mrx = $3 + 0
				if (k[1] == 5 && $3 + 0 > 0) nrx++
				if ((k[1] == 4 && $3 + 0 > ltx) || (k[1] == 5 && $3 + 0 > lrx))
					printf "walk %d: net %s sample %s column %s: %s B\n", w, k[2], k[3], k[1], $3 >>xf
			}
			END { printf "%d %d %d %d %d %d %d\n", w, rc, errb, NR, mtx, mrx, nrx }' \
			rc="$rc" errb="$(stat -c %s "$err")" >>"$T/walks.log"
	done
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$VNET_AGENT_PID/status"; }
nfd() { find "/proc/$VNET_AGENT_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }

: >"$T/walks.log"
churn 2>"$T/churn.err" &
_vnet_track "$!" churn
walker &
_vnet_track "$!" walker
t0=$(now_ms)
vnet_log "churn (${OPS_PER_S}/s) and walks for ${SOAK_S} s"
declare -A RSS=() FDS=()
for ((s = 2; s <= SOAK_S; s += 2)); do
	while (($(now_ms) < t0 + s * 1000)); do sleep 0.2; done
	_vnet_alive "$VNET_AGENT_PID" || break
	RSS[$s]=$(rss_kb) FDS[$s]=$(nfd)
	printf '%d %s %s\n' "$s" "${RSS[$s]}" "${FDS[$s]}" >>"$T/rss.log"
done
for pid in "${_vnet_pids[@]}"; do
	case ${_vnet_pid_label[$pid]} in churn | walker) vnet_stop_pid "$pid" 3 || true ;; esac
done
ops=$(cat "$T/churn.count" 2>/dev/null || echo 0)
churn_s=$((($(now_ms) - t0) / 1000))

# ---------------------------------------------------------------- checks
vnet_assert_eq "the agent survived ${SOAK_S} s of churn" yes "$(_vnet_alive "$VNET_AGENT_PID" && echo yes || echo no)"
vnet_assert_cmp "about ${OPS_PER_S} changes a second ($ops in ${churn_s} s)" "$ops" -ge $((SOAK_S * OPS_PER_S * 3 / 4))
cerr=$(grep -c . "$T/churn.err" || true)
vnet_log "churn: $ops operations, $cerr lines of ip errors$( ((cerr == 0)) || printf ': %s' "$(head -3 "$T/churn.err" | tr '\n' ';')")"
walks=$(grep -c . "$T/walks.log" || true)
vb=$(awk '{ s += $4 } END { printf "%d", s / (NR ? NR : 1) }' "$T/walks.log")
# "N RC STDERR_BYTES VARBINDS MAX_SENT MAX_RECEIVED ROWS_RECEIVING" per walk (churned networks)
read -r max_tx max_rx < <(awk '$5 > t { t = $5 } $6 > r { r = $6 } END { print t + 0, r + 0 }' "$T/walks.log")
vnet_log "churned networks: largest row seen $max_tx B sent, $max_rx B received; rows with traffic in a walk: up to $(awk '$7 > m { m = $7 } END { print m + 0 }' "$T/walks.log")"
vnet_assert_cmp "walks ran all along ($walks walks, ~$vb varbinds each)" "$walks" -ge 20
# A walk that timed out while the whole machine stalled (watchdog: the RTNL
# lock held for seconds elsewhere freezes snmpd itself, which reads interfaces
# under that lock) is excused, like an interpolated row; any other failure,
# genErr or ordering error is not.
stalls=$(vnet_stalls 0.9)
bad="" excused=0
if [[ -s $T/walk-errors.log ]]; then
	while IFS=$'\t' read -r head errtxt generr; do
		read -r w0 w1 n rc <<<"$head"
		only_timeout=0
		if [[ -z $generr && -n $errtxt ]] && ! grep -v -q '^Timeout: No Response from ' < <(tr '|' '\n' <<<"$errtxt" | grep .); then
			only_timeout=1
		fi
		if ((only_timeout)) && [[ -n $stalls ]] && awk -v a="$w0" -v b="$w1" '
			$2 - 1.5 <= b && $3 + 1.5 >= a { found = 1 } END { exit !found }' <<<"$stalls"; then
			excused=$((excused + 1))
			continue
		fi
		bad+="walk $n ($(date -u -d "@${w0%.*}" +%T)): status $rc: ${errtxt:0:300} ${generr:0:300}; "
	done <"$T/walk-errors.log"
fi
if [[ -n $bad ]]; then
	vnet_fail "no walk failed or printed on stderr" "${bad:0:2000}" "watchdog stalls: $(tr '\n' ';' <<<"${stalls:-none}")"
elif ((excused)); then
	vnet_pass "no walk failed or printed on stderr, but $excused that timed out during a machine stall the watchdog saw ($(tr '\n' ';' <<<"$stalls"))"
else
	vnet_pass "no walk failed or printed on stderr (no genErr, no ordering error, no timeout)"
fi

r30=${RSS[$WARM_S]:-} rend=${RSS[$SOAK_S]:-} f30=${FDS[$WARM_S]:-} fend=${FDS[$SOAK_S]:-}
vnet_log "agent RSS (kB) every 10 s: $(awk '$1 % 10 == 0 { printf "%ss:%s ", $1, $2 }' "$T/rss.log")"
if [[ -n $r30 && -n $rend ]] && grep -q '__asan_init' "$VNET_AGENTX" 2>/dev/null; then
	# Under AddressSanitizer freed memory waits in a quarantine, so RSS
	# grows without a leak; LeakSanitizer's check at exit decides instead
	# (a leak makes the exit status below non-zero).
	vnet_log "ASan build: RSS $r30 kB at ${WARM_S} s, $rend kB at ${SOAK_S} s (not a leak measure here; LeakSanitizer checks at exit)"
	vnet_assert_eq "no fd leak: open fds at ${WARM_S} s and ${SOAK_S} s" "$f30" "$fend"
elif [[ -n $r30 && -n $rend ]]; then
	vnet_assert_cmp "no leak: RSS at ${SOAK_S} s ($rend kB) <= RSS at ${WARM_S} s ($r30 kB) + $RSS_SLACK_KB kB" \
		"$rend" -le $((r30 + RSS_SLACK_KB))
	vnet_assert_eq "no fd leak: open fds at ${WARM_S} s and ${SOAK_S} s" "$f30" "$fend"
else
	vnet_fail "RSS was read at ${WARM_S} s and ${SOAK_S} s" "rss.log: $(tr '\n' ';' <"$T/rss.log")"
fi

# stable: every row seen, once (a row never changes once visible)
sort -u "$T/stable-rows.txt" >"$T/stable-union.txt"
dups=$(cut -f1 "$T/stable-union.txt" | uniq -d | head -5 | tr '\n' ' ')
vnet_assert_eq "stable: a history row never changed once visible" "" "$dups"
nrows=$(vnet_history_rows "$IDX_STABLE" "$VNET_HCOL_STATUS" "$T/stable-union.txt" | wc -l)
span=$(vnet_history_rows "$IDX_STABLE" "$VNET_HCOL_STATUS" "$T/stable-union.txt" | sort -n | awk -F'\t' '
	NR == 1 { f = $1 } NR > 1 && $1 != p + 1 { h = h " " p "->" $1 } { p = $1 } END { print f ".." p (h == "" ? "" : " holes:" h) }')
vnet_assert_match "stable: the walks saw every second of the soak ($nrows rows, samples $span)" '^[0-9]+\.\.[0-9]+$' "$span"
vnet_assert_cmp "stable: rows seen cover the soak ($nrows rows)" "$nrows" -ge $((SOAK_S - 5))
vnet_check_status "stable (all $nrows rows seen)" "$IDX_STABLE" "$T/stable-union.txt"
vnet_check_steady "stable (all $nrows rows seen)" "$IDX_STABLE" "$T/stable-union.txt"

if [[ -s $T/spikes.txt ]]; then
	vnet_fail "no row of a churned network above what its traffic allows ($LIMIT_RX B received, $LIMIT_TX B sent)" \
		"$(sort -u -t: -k2 "$T/spikes.txt" | head -10)"
else
	vnet_pass "no row of a churned network above what its traffic allows ($LIMIT_RX B received, $LIMIT_TX B sent)"
fi

# after the churn: the served set is the kernel's
sleep 2
want=$(sw -o link show type bridge | awk -F': ' '{ print $2 }' | sort | tr '\n' ' ')
got=$(vnet_names | cut -f2 | sort | tr '\n' ' ')
vnet_assert_eq "after the churn, vnetTable holds exactly the kernel's bridges" "$want" "$got"
vnet_assert_eq "after the churn, vnetNumber is their number" "$(wc -w <<<"$want")" "$(vval "$VNET_OID_NUMBER")"
errs=$(grep -v -e 'appeared, vnetIndex' -e 'is gone$' -e '^NET-SNMP version' -e 'started$' \
	-e '^Created directory' "$T/agent.log" | head -5 | tr '\n' ';' || true)
vnet_log "agent log: $(grep -c 'appeared, vnetIndex' "$T/agent.log") 'appeared', $(grep -c 'is gone$' "$T/agent.log") 'is gone'; other lines: ${errs:-none}"

vnet_agent_stop 5 || true
vnet_assert_eq "SIGTERM at the end: exit 0" 0 "$VNET_AGENT_RC"
vnet_finish
