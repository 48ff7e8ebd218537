#!/usr/bin/env bash
# tests/ecosystem/snmprec.sh: an snmprec capture of a real agent, for LibreNMS's test suite.
#
#   tests/ecosystem/snmprec.sh --write [FILE]
#       capture and (re)write FILE (default conf/librenms/snmprec/linux_vnet-agentx.snmprec);
#   tests/ecosystem/snmprec.sh [FILE]
#       the test: capture again and check that FILE is well-formed and covers the
#       same objects with the same types as the live agent (values differ every run).
#
# The capture: a private snmpd (sysName vnet-demo, sysDescr "Linux vnet-demo <this
# kernel>", so nothing of this machine's name leaks into it) with the agent attached,
# bridge demo0 (two ports, steady UDP traffic between two host namespaces) and
# bridge idle0 (one port, no traffic); after 62 seconds (--write: a full history
# window), a walk of the system group (sysDescr.0 ... sysLocation.0, what
# LibreNMS's os detection reads) and of VNET-MIB, in snmpsim's format
# "OID|TYPE|VALUE": 2 INTEGER, 4 OCTET STRING (printable), 4x OCTET STRING in hex,
# 6 OBJECT IDENTIFIER, 65 Counter32, 66 Gauge32/Unsigned32, 67 TimeTicks, 70 Counter64.

# shellcheck disable=SC2119,SC2317  # SC2317: helpers called through vnet_wait_until
VNET_TEST_NAME=snmprec
# shellcheck source=tests/ecosystem/eco-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/eco-lib.sh"

MODE="check"
if [[ ${1:-} == --write ]]; then MODE="write"; shift; fi
FILE=${1:-$VNET_SRCDIR/conf/librenms/snmprec/linux_vnet-agentx.snmprec}

eco_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 timeout awk od
vnet_need_agent

# ---------------------------------------------------------------- capture
kernel=$(uname -r -v -m)
# vnet_snmpd_start's configuration, plus the system group of a demo machine.
vnet_snmpd_start "sysName vnet-demo" "sysLocation Rack 1, lab" \
	"sysContact ops@example.org" "sysDescr Linux vnet-demo $kernel"

eco_demo_up 2M
vnet_bridge_add idle0 1
vnet_wait_networks 2
wait_s=62
[[ $MODE == write ]] || wait_s=${VNET_SNMPREC_WAIT:-8}
vnet_log "letting ${wait_s}s of history build up"
_enough() { (($(vval "$VNET_OID_CURRENT") >= wait_s)); }
vnet_wait_until $((wait_s + 10)) _enough || vnet_die "vnetCurrentSample did not reach $wait_s"

# snmprec TYPE of a parsed varbind; printable hex strings become text.
to_snmprec() {
	awk -F'\t' '
	function hexval(c) { return index("0123456789ABCDEF", toupper(c)) - 1 }
	{
		oid = $1; type = $2; val = $3
		if (type == "INTEGER") t = 2
		else if (type == "OID") { t = 6; sub(/^\./, "", val) }
		else if (type == "IpAddress") t = 64
		else if (type == "Counter32") t = 65
		else if (type == "Gauge32") t = 66
		else if (type == "Timeticks") { t = 67; if (match(val, /\([0-9]+\)/)) val = substr(val, RSTART + 1, RLENGTH - 2) }
		else if (type == "Counter64") t = 70
		else if (type == "Hex-STRING" || type == "STRING") {
			if (type == "STRING") { print oid "|4|" val; next }
			printable = 1; text = ""
			for (i = 1; i <= length(val); i += 2) {
				b = hexval(substr(val, i, 1)) * 16 + hexval(substr(val, i + 1, 1))
				if (b < 32 || b > 126 || b == 124) { printable = 0; break }
				text = text sprintf("%c", b)
			}
			if (printable) print oid "|4|" text; else print oid "|4x|" tolower(val)
			next
		}
		else { printf "unexpected type %s for %s\n", type, oid > "/dev/stderr"; bad = 1; next }
		print oid "|" t "|" val
	}
	END { exit bad }'
}
capture=$T/capture.snmprec
{
	vwalk -Ox 1.3.6.1.2.1.1 | awk -F'\t' '$1 ~ /^1\.3\.6\.1\.2\.1\.1\.[1-6]\.0$/'
	vwalk -Ox "$VNET_ROOT"
} | to_snmprec >"$capture"
n=$(wc -l <"$capture")
vnet_assert_cmp "the capture has the system group and VNET-MIB ($n varbinds)" "$n" -gt 30

if [[ $MODE == write ]]; then
	mkdir -p "$(dirname "$FILE")"
	cp "$capture" "$FILE"
	vnet_log "wrote $FILE ($n lines)"
fi

# ---------------------------------------------------------------- checks of FILE
[[ -r $FILE ]] || vnet_die "no capture at $FILE (run: $0 --write)"
bad=$(awk -F'|' 'NF != 3 || $1 !~ /^[0-9]+(\.[0-9]+)+$/ || $2 !~ /^(2|4|4x|6|64|65|66|67|70)$/ { print NR ": " $0 }' "$FILE" | head -3)
vnet_assert_eq "$(basename "$FILE"): every line is OID|TYPE|VALUE with an snmpsim type" "" "$bad"
if out=$(sed 's/|.*//' "$FILE" | vnet_oid_sorted /dev/stdin); then
	vnet_pass "$(basename "$FILE"): OIDs strictly increasing"
else
	vnet_fail "$(basename "$FILE"): OIDs strictly increasing" "$out"
fi
vnet_assert_eq "sysObjectID is net-snmp's Linux one (LibreNMS detects os linux)" \
	"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10" "$(grep '^1\.3\.6\.1\.2\.1\.1\.2\.0|' "$FILE")"
vnet_assert_match "sysDescr names a Linux host vnet-demo" '^1\.3\.6\.1\.2\.1\.1\.1\.0\|4\|Linux vnet-demo ' "$(grep '^1\.3\.6\.1\.2\.1\.1\.1\.0|' "$FILE")"

# The shape: each (object, type) with the number of index components; values aside.
shape() {
	awk -F'|' -v r="$VNET_ROOT." '
		index($1, r) != 1 { next }
		{ s = substr($1, length(r) + 1); n = split(s, p, ".") }
		p[1] == 1 && p[2] == 1 { print "scalar " p[3] " " $2; next }
		p[1] == 1 && p[2] == 2 { print "vnetEntry." p[4] " " $2 " idx" (n - 4); next }
		p[1] == 1 && p[2] == 3 { print "vnetHistoryEntry." p[4] " " $2 " idx" (n - 4); next }
		{ print "other " s }' "$1" | sort -u
}
if out=$(diff <(shape "$FILE") <(shape "$capture")); then
	vnet_pass "$(basename "$FILE") covers the same VNET-MIB objects with the same types as the live agent ($(shape "$capture" | wc -l) kinds)"
else
	vnet_fail "$(basename "$FILE") covers the same objects and types as the live agent (regenerate: $0 --write)" "$out"
fi
names=$(awk -F'|' -v p="$VNET_OID_ENTRY.$VNET_COL_NAME." 'index($1, p) == 1 { print $3 }' "$FILE" | sort | tr '\n' ' ')
vnet_assert_eq "the capture holds demo0 and idle0" "demo0 idle0 " "$names"
rows=$(grep -c "^$VNET_OID_HENTRY\.$VNET_HCOL_BYTES_SENT\." "$FILE" || true)
vnet_assert_cmp "the capture holds history rows ($rows vnetHistoryBytesSent)" "$rows" -gt 0

vnet_finish
