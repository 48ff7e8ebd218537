#!/usr/bin/env bash
# tests/ecosystem/prometheus.sh: conf/prometheus/ against a real snmp_exporter.
#
#  - conf/prometheus/snmp.yml is what Debian's prometheus-snmp-generator (0.21)
#    makes of conf/prometheus/generator.yml with VNET-MIB and its imports (SMIv2
#    base modules from tests/mibpath.sh, NET-SNMP-MIB) and nothing else, with
#    --fail-on-parse-errors;
#  - prometheus-snmp-exporter runs that snmp.yml on 127.0.0.1:<random port> and
#    scrapes a private snmpd (udp:127.0.0.1:<random port>) with the agent, bridge
#    demo0 (traffic) and bridge idle0 (none) attached:
#      module vnet: every vnetTable and vnetHistoryTable series carries vnetName;
#        VnetGauge64 columns are gauges, the totals counters; vnetType_info names
#        the type; history rows and their times equal the agent's, exactly (rows
#        never change); the peak, mean and totals lie between two direct reads;
#      module vnet_current: the table without the history.
# Installs prometheus-snmp-exporter if needed; under CI=true a missing piece fails.

# shellcheck disable=SC2119,SC2317  # SC2317: helpers called through vnet_wait_until
VNET_TEST_NAME=prometheus
# shellcheck source=tests/ecosystem/eco-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/eco-lib.sh"

GENERATOR_YML=$VNET_SRCDIR/conf/prometheus/generator.yml
SNMP_YML=$VNET_SRCDIR/conf/prometheus/snmp.yml

eco_init
vnet_need_root
vnet_need_agent
[[ -r $GENERATOR_YML && -r $SNMP_YML ]] || vnet_die "missing $GENERATOR_YML or $SNMP_YML"
eco_install prometheus-snmp-exporter curl snmp snmpd iperf3 iproute2
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 prometheus-snmp-exporter prometheus-snmp-generator curl ss awk

# ---------------------------------------------------------------- generate
vnet_mib_setup "$T/mibs" >/dev/null || vnet_skip "SMIv2 base modules not available (install erlang-snmp)"
mkdir -p "$T/gen/mibs"
for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF; do
	ln -s "$(readlink -f "$T/mibs/$m.txt")" "$T/gen/mibs/$m.txt"
done
ln -s "$(_vnet_mib_find "$VNET_NETSNMP_MIBDIR" NET-SNMP-MIB)" "$T/gen/mibs/NET-SNMP-MIB.txt"
ln -s "$VNET_SRCDIR/mibs/VNET-MIB.txt" "$T/gen/mibs/VNET-MIB.txt"
cp "$GENERATOR_YML" "$T/gen/generator.yml"
rc=0
(cd "$T/gen" && MIBDIRS=$T/gen/mibs prometheus-snmp-generator --fail-on-parse-errors generate -o "$T/gen/snmp.yml") \
	>"$T/gen/generator.log" 2>&1 || rc=$?
if ((rc == 0)); then
	vnet_pass "prometheus-snmp-generator generates snmp.yml from generator.yml without MIB parse errors"
	if out=$(diff -u "$SNMP_YML" "$T/gen/snmp.yml"); then
		vnet_pass "conf/prometheus/snmp.yml is up to date with generator.yml and VNET-MIB"
	else
		vnet_fail "conf/prometheus/snmp.yml is up to date with generator.yml and VNET-MIB (regenerate it)" "$(head -40 <<<"$out")"
	fi
else
	vnet_fail "prometheus-snmp-generator generates snmp.yml from generator.yml" "$(tail -n 20 "$T/gen/generator.log")"
fi
vnet_check "prometheus-snmp-exporter --dry-run accepts conf/prometheus/snmp.yml" \
	prometheus-snmp-exporter --dry-run --config.file="$SNMP_YML"

# ---------------------------------------------------------------- agent and exporter
eco_snmpd_start
eco_demo_up 2M
vnet_bridge_add idle0 0
vnet_wait_networks 2
IDX=$ECO_DEMO_INDEX
IDLE_IDX=$(vnet_index_of idle0)

EXPORTER_PORT=$(eco_free_port tcp 32001 39999)
prometheus-snmp-exporter --config.file="$SNMP_YML" --web.listen-address="127.0.0.1:$EXPORTER_PORT" \
	--log.level=warn </dev/null >"$T/exporter.log" 2>&1 &
EXPORTER_PID=$!
_vnet_track "$EXPORTER_PID" snmp_exporter
_exporter_up() { _vnet_alive "$EXPORTER_PID" && curl -fsS --max-time 5 "http://127.0.0.1:$EXPORTER_PORT/metrics" >/dev/null; }
vnet_wait_until 20 _exporter_up || { _vnet_dump_file "$T/exporter.log" 20; vnet_die "snmp_exporter does not answer on 127.0.0.1:$EXPORTER_PORT"; }
vnet_log "snmp_exporter (pid $EXPORTER_PID) on 127.0.0.1:$EXPORTER_PORT, snmpd on udp:127.0.0.1:$ECO_SNMP_PORT"

# Let a dozen seconds of history build up.
_samples_at_least() { (($(vval "$VNET_OID_CURRENT") >= $1)); }
vnet_wait_until 30 _samples_at_least 12 || vnet_die "vnetCurrentSample did not reach 12"

scrape() { # MODULE FILE
	curl -fsS --max-time 30 "http://127.0.0.1:$EXPORTER_PORT/snmp?module=$1&target=127.0.0.1:$ECO_SNMP_PORT" >"$2"
}
# metric FILE NAME LABEL-REGEX: the values of NAME whose label set matches LABEL-REGEX.
metric() {
	awk -v n="$2" -v re="$3" '
		substr($0, 1, 1) == "#" { next }
		{ name = $1; sub(/\{.*/, "", name) }
		name == n && $1 ~ re { print $NF }' "$1"
}
declare -A A0=()
for c in "$VNET_COL_SENT_MAX" "$VNET_COL_SENT_AVG" "$VNET_COL_SENT_TOTAL" "$VNET_COL_RECV_TOTAL"; do A0[$c]=$(eco_col "$c" "$IDX"); done
S=$T/scrape-vnet.txt
rc=0
scrape vnet "$S" || rc=$?
vnet_assert_eq "GET /snmp?module=vnet&target=127.0.0.1:$ECO_SNMP_PORT succeeds" 0 "$rc"
((rc == 0)) || vnet_die "no scrape"
walkfile=$T/history-after.txt
vwalk -Ox "$VNET_OID_HENTRY" >"$walkfile"
declare -A A1=()
for c in "${!A0[@]}"; do A1[$c]=$(eco_col "$c" "$IDX"); done
grep -E '^vnet' "$S" | grep -E 'demo0|idle0' | grep -v History | sed 's/^/#   /' | head -24

# ---------------------------------------------------------------- types and labels
for m in vnetBytesSent vnetBytesReceived vnetPacketsSent vnetPacketsReceived vnetPacketsDropped vnetBytesSentMax \
	vnetBytesSentAvg vnetBytesReceivedMax vnetBytesReceivedAvg vnetHistoryBytesSent vnetHistoryBytesReceived \
	vnetHistoryPacketsSent vnetHistoryPacketsReceived vnetHistoryPacketsDropped; do
	grep -qx "# TYPE $m gauge" "$S" || vnet_fail "$m is a gauge" "$(grep "TYPE $m " "$S")"
done
vnet_pass "the 14 VnetGauge64 columns are exposed as gauges"
vnet_assert_eq "vnetBytesSentTotal is a counter" "# TYPE vnetBytesSentTotal counter" "$(grep '^# TYPE vnetBytesSentTotal ' "$S")"
vnet_assert_eq "vnetBytesReceivedTotal is a counter" "# TYPE vnetBytesReceivedTotal counter" "$(grep '^# TYPE vnetBytesReceivedTotal ' "$S")"
unlabelled=$(grep -E '^vnet(Bytes|Packets|PortCount|IfIndex|Type_info|DiscontinuityTime|History(Bytes|Packets|Time|Status))' "$S" | grep -cv 'vnetName="' || true)
vnet_assert_eq "every vnetTable and vnetHistoryTable series carries vnetName" 0 "$unlabelled"
vnet_assert_eq "vnetType_info names demo0 a linuxBridge" 1 \
	"$(metric "$S" vnetType_info "vnetIndex=\"$IDX\",vnetName=\"demo0\",vnetType=\"linuxBridge\"")"
vnet_assert_eq "idle0 has its own row: vnetPortCount{vnetName=\"idle0\"} 0" 0 \
	"$(metric "$S" vnetPortCount "vnetIndex=\"$IDLE_IDX\",vnetName=\"idle0\"")"
vnet_assert_eq "vnetPortCount{vnetName=\"demo0\"} 2" 2 "$(metric "$S" vnetPortCount "vnetName=\"demo0\"")"
vnet_assert_eq "vnetNumber 2" 2 "$(metric "$S" vnetNumber '')"
vnet_assert_eq "vnetHistorySize 60" 60 "$(metric "$S" vnetHistorySize '')"
vnet_assert_eq "vnetIndex and vnetName are labels, not metrics" "" "$(grep -E '^vnet(Index|Name|HistorySample)[ {]' "$S" | head -3)"

# ---------------------------------------------------------------- values
between() { # DESC VALUE A B: VALUE within [min(A,B), max(A,B)]
	if awk -v v="$2" -v a="$3" -v b="$4" 'BEGIN { lo = a < b ? a : b; hi = a > b ? a : b; exit !(v != "" && v >= lo && v <= hi) }'; then
		vnet_pass "$1: $2 in [$3, $4]"
	else
		vnet_fail "$1" "value '$2' not in [$3, $4]"
	fi
}
L="vnetName=\"demo0\""
between "vnetBytesSentMax{demo0} = the agent's, read before and after" "$(metric "$S" vnetBytesSentMax "$L")" "${A0[$VNET_COL_SENT_MAX]}" "${A1[$VNET_COL_SENT_MAX]}"
between "vnetBytesSentAvg{demo0} = the agent's, read before and after" "$(metric "$S" vnetBytesSentAvg "$L")" "${A0[$VNET_COL_SENT_AVG]}" "${A1[$VNET_COL_SENT_AVG]}"
between "vnetBytesSentTotal{demo0} between two direct reads" "$(metric "$S" vnetBytesSentTotal "$L")" "${A0[$VNET_COL_SENT_TOTAL]}" "${A1[$VNET_COL_SENT_TOTAL]}"
between "vnetBytesReceivedTotal{demo0} between two direct reads" "$(metric "$S" vnetBytesReceivedTotal "$L")" "${A0[$VNET_COL_RECV_TOTAL]}" "${A1[$VNET_COL_RECV_TOTAL]}"
max=$(metric "$S" vnetBytesSentMax "$L")
vnet_assert_cmp "demo0 carries the 2 Mbit/s traffic: vnetBytesSentMax >= 250000 ($max)" "${max%.*}" -ge 250000

# History: every row in the scrape equals the agent's row of the same sample, exactly.
hist_cmp() { # METRIC HCOL: "matched mismatched" over demo0's rows present in both
	awk -F'\t' -v pfx="$VNET_OID_HENTRY.$2.$IDX." -v m="$1" -v want="vnetName=\"demo0\"" '
		FILENAME != "-" && index($1, pfx) == 1 { agent[substr($1, length(pfx) + 1)] = $3; next }
		FILENAME == "-" {
			if (substr($0, 1, 1) == "#") next
			split($0, f, " "); name = f[1]; sub(/\{.*/, "", name)
			if (name != m || index(f[1], want) == 0) next
			if (!match(f[1], /vnetHistorySample="[0-9]+"/)) next
			s = substr(f[1], RSTART + 19, RLENGTH - 20)
			if (!(s in agent)) next
			if (agent[s] + 0 == f[2] + 0) ok++; else { bad++; if (bad <= 3) printf "sample %s: exporter %s, agent %s\n", s, f[2], agent[s] > "/dev/stderr" }
		}
		END { printf "%d %d\n", ok, bad }' "$walkfile" - <"$S"
}
for pair in "vnetHistoryBytesSent:$VNET_HCOL_BYTES_SENT" "vnetHistoryBytesReceived:$VNET_HCOL_BYTES_RECV" \
	"vnetHistoryPacketsSent:$VNET_HCOL_PKTS_SENT" "vnetHistoryPacketsDropped:$VNET_HCOL_PKTS_DROP" \
	"vnetHistoryStatus:$VNET_HCOL_STATUS"; do
	read -r ok bad < <(hist_cmp "${pair%:*}" "${pair##*:}" 2>"$T/hist-cmp.err")
	if ((ok >= 10 && bad == 0)); then
		vnet_pass "${pair%:*}{demo0}: $ok rows equal the agent's rows of the same vnetHistorySample"
	else
		vnet_fail "${pair%:*}{demo0}: rows equal the agent's" "$ok equal, $bad differ" "$(cat "$T/hist-cmp.err")"
	fi
done
nrows=$(grep -c "^vnetHistoryBytesSent{.*vnetName=\"demo0\"" "$S" || true)
cur=$(metric "$S" vnetCurrentSample '')
vnet_assert_cmp "demo0 has at most vnetHistorySize (60) history series ($nrows)" "$nrows" -le 60

# vnetHistoryTime: DateAndTime -> seconds since the epoch, equal to the agent's DateAndTime.
read -r ok bad < <(awk -F'\t' -v pfx="$VNET_OID_HENTRY.$VNET_HCOL_TIME.$IDX." '
	FILENAME != "-" && index($1, pfx) == 1 { hex[substr($1, length(pfx) + 1)] = $3; next }
	FILENAME == "-" && /^vnetHistoryTime\{/ && /vnetName="demo0"/ {
		split($0, f, " ")
		match(f[1], /vnetHistorySample="[0-9]+"/); s = substr(f[1], RSTART + 19, RLENGTH - 20)
		if (s in hex) { seen[s] = f[2] }
	}
	END { for (s in seen) printf "%s\t%s\t%s\n", s, seen[s], hex[s] }' "$walkfile" - <"$S" |
	while IFS=$'\t' read -r s v h; do
		ds=$(vnet_dat_to_ds "$h") || { echo "bad"; continue; }
		# snmp_exporter 0.21 drops the deciseconds of a DateAndTime: whole seconds.
		awk -v v="$v" -v ds="$ds" 'BEGIN { print ((v == int(ds / 10) || v == int((ds + 5) / 10)) ? "ok" : "bad") }'
	done | awk '{ n[$1]++ } END { printf "%d %d\n", n["ok"], n["bad"] }')
if ((ok >= 10 && bad == 0)); then
	vnet_pass "vnetHistoryTime{demo0}: $ok rows equal the agent's DateAndTime, in (whole) seconds since the epoch"
else
	vnet_fail "vnetHistoryTime{demo0} equals the agent's DateAndTime" "$ok equal, $bad differ"
fi
vnet_log "vnetCurrentSample $cur, demo0 history rows in the scrape: $nrows"

# ---------------------------------------------------------------- vnet_current
C=$T/scrape-current.txt
rc=0
scrape vnet_current "$C" || rc=$?
vnet_assert_eq "GET /snmp?module=vnet_current succeeds" 0 "$rc"
vnet_assert_eq "module vnet_current has no history series" 0 "$(grep -cE '^vnetHistory(Bytes|Packets|Time|Status)' "$C" || true)"
vnet_assert_match "module vnet_current has vnetBytesSentMax{vnetName=\"demo0\"}" '^[0-9.e+]+$' "$(metric "$C" vnetBytesSentMax "$L")"
n=$(grep -c '^vnet' "$C" || true)
vnet_log "vnet_current: $n series; vnet: $(grep -c '^vnet' "$S") series"

vnet_finish
