#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/mib-lint.sh - VNET-MIB is valid SMIv2 and matches the contract.
#
# Checks mibs/VNET-MIB.txt against the project's fixed MIB contract
# (mib-contract.md in the design notes): smilint reports nothing at
# level 6, net-snmp's parser reads it without a warning, the tree holds
# every contract object and nothing else outside vnetConformance, every
# object has the contract's numeric OID, type, access and units, and a
# few source-level rules hold (one root definition, allowed IMPORTS,
# LAST-UPDATED = newest REVISION).
#
# Run by `make check` with VNET_SRCDIR set; standalone it defaults to the
# parent of this script's directory. Exit 0 pass, 1 fail, 77 skip (only
# when smilint/snmptranslate or the SMIv2 base modules are missing and
# CI is not "true"; under CI=true that is a failure).

# shellcheck source-path=SCRIPTDIR
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VNET_SRCDIR=${VNET_SRCDIR:-$(cd "$here/.." && pwd)}
export VNET_SRCDIR

# shellcheck source=mibpath.sh
. "$here/mibpath.sh"

npass=0
nfail=0
ok() {
	npass=$((npass + 1))
	printf 'ok   - %s\n' "$1"
}
bad() {
	nfail=$((nfail + 1))
	printf 'FAIL - %s\n' "$1"
	if [ $# -gt 1 ] && [ -n "$2" ]; then
		printf '%s\n' "$2" | sed 's/^/       | /'
	fi
}
finish() {
	printf 'mib-lint: %d passed, %d failed\n' "$npass" "$nfail"
	[ "$nfail" -eq 0 ] && exit 0
	exit 1
}
# The environment lacks something this test needs.
unavailable() {
	if [ "${CI:-}" = true ]; then
		printf 'FAIL - %s (CI=true: missing tools are a failure)\n' "$1"
		nfail=$((nfail + 1))
		finish
	fi
	printf 'SKIP - %s\n' "$1"
	printf 'mib-lint: skipped\n'
	exit 77
}

missing=
for tool in smilint snmptranslate; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -z "$missing" ] ||
	unavailable "not installed:$missing (Debian: apt-get install smitools snmp erlang-snmp)"

T=$(mktemp -d "${TMPDIR:-/tmp}/mib-lint.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

if ! vnet_mib_setup "$T/mibs" >"$T/setup.log" 2>&1; then
	unavailable "SMIv2 base modules unavailable: $(cat "$T/setup.log")"
fi
printf '# SMIPATH=%s\n# MIBDIRS=%s\n' "$SMIPATH" "$MIBDIRS"

# Keep the host's and the user's configuration out: no snmp.conf (its
# "mibs" lines), no ~/.smirc or /etc/smi.conf (their level/hide lines),
# no writes to /var/lib/snmp.
mkdir -p "$T/snmpconf" "$T/persist"
: >"$T/smi.conf"
export SNMPCONFPATH="$T/snmpconf"
export SNMP_PERSISTENT_DIR="$T/persist"
unset MIBS MIBFILES PREFIX

mib=$VNET_MIB_FILE

# net-snmp with VNET-MIB (and its imports) only; stderr discarded.
xlate() {
	snmptranslate -M "$MIBDIRS" -m VNET-MIB "$@" 2>/dev/null
}
# The first run creates the persistent dir's cert_indexes and says so.
xlate -On VNET-MIB::vnetMIB >/dev/null

# ---------------------------------------------------------------------
# The contract, one object a line, fields separated by ";": its name,
# its numeric OID, and for the leaves the SYNTAX line snmptranslate -Td
# prints, the textual convention ("-" for none), MAX-ACCESS and UNITS
# ("-" for none). Written from mib-contract.md; the root is
# netSnmpPlaypen.2005 = .1.3.6.1.4.1.8072.9999.9999.2005.
# ---------------------------------------------------------------------
contract='
vnetMIB;.1.3.6.1.4.1.8072.9999.9999.2005
vnetNotifications;.1.3.6.1.4.1.8072.9999.9999.2005.0
vnetObjects;.1.3.6.1.4.1.8072.9999.9999.2005.1
vnetScalars;.1.3.6.1.4.1.8072.9999.9999.2005.1.1
vnetNumber;.1.3.6.1.4.1.8072.9999.9999.2005.1.1.1;Gauge32;-;read-only;-
vnetCurrentSample;.1.3.6.1.4.1.8072.9999.9999.2005.1.1.2;Unsigned32;-;read-only;-
vnetHistorySize;.1.3.6.1.4.1.8072.9999.9999.2005.1.1.3;Unsigned32;-;read-only;samples
vnetTable;.1.3.6.1.4.1.8072.9999.9999.2005.1.2
vnetEntry;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1
vnetIndex;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.1;Unsigned32 (1..2147483647);-;not-accessible;-
vnetName;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.2;OCTET STRING (1..64);DisplayString;read-only;-
vnetIfIndex;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.3;Integer32 (0..2147483647);-;read-only;-
vnetType;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.4;INTEGER {linuxBridge(1), configured(2)};-;read-only;-
vnetPortCount;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.5;Gauge32;-;read-only;-
vnetBytesSent;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.6;Counter64;VnetGauge64;read-only;bytes
vnetBytesReceived;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.7;Counter64;VnetGauge64;read-only;bytes
vnetPacketsSent;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.8;Counter64;VnetGauge64;read-only;packets
vnetPacketsReceived;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.9;Counter64;VnetGauge64;read-only;packets
vnetPacketsDropped;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.10;Counter64;VnetGauge64;read-only;packets
vnetBytesSentMax;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.11;Counter64;VnetGauge64;read-only;bytes
vnetBytesSentAvg;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.12;Counter64;VnetGauge64;read-only;bytes
vnetBytesReceivedMax;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.13;Counter64;VnetGauge64;read-only;bytes
vnetBytesReceivedAvg;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.14;Counter64;VnetGauge64;read-only;bytes
vnetBytesSentTotal;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.15;Counter64;-;read-only;bytes
vnetBytesReceivedTotal;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.16;Counter64;-;read-only;bytes
vnetDiscontinuityTime;.1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.17;OCTET STRING (8 | 11);DateAndTime;read-only;-
vnetHistoryTable;.1.3.6.1.4.1.8072.9999.9999.2005.1.3
vnetHistoryEntry;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1
vnetHistorySample;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1.1;Unsigned32 (1..4294967295);-;not-accessible;-
vnetHistoryTime;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1.2;OCTET STRING (8 | 11);DateAndTime;read-only;-
vnetHistoryStatus;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1.3;INTEGER {valid(1), interpolated(2)};-;read-only;-
vnetHistoryBytesSent;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1.4;Counter64;VnetGauge64;read-only;bytes
vnetHistoryBytesReceived;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1.5;Counter64;VnetGauge64;read-only;bytes
vnetHistoryPacketsSent;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1.6;Counter64;VnetGauge64;read-only;packets
vnetHistoryPacketsReceived;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1.7;Counter64;VnetGauge64;read-only;packets
vnetHistoryPacketsDropped;.1.3.6.1.4.1.8072.9999.9999.2005.1.3.1.8;Counter64;VnetGauge64;read-only;packets
vnetConformance;.1.3.6.1.4.1.8072.9999.9999.2005.2
'
root_oid=.1.3.6.1.4.1.8072.9999.9999.2005
conf_oid=$root_oid.2

# ---------------------------------------------------------------------
# (a) smilint: nothing at all up to level 6.
# ---------------------------------------------------------------------
out=$(smilint -c "$T/smi.conf" -l 6 -s -m "$mib" 2>&1)
if [ -z "$out" ]; then
	ok "smilint -l 6 -s -m VNET-MIB prints nothing"
else
	bad "smilint -l 6 -s -m VNET-MIB reports problems" "$out"
fi

# smilint exits 0 whatever it finds, so make sure it does find things in
# this setup: a copy with a duplicated sub-identifier must be reported.
mkdir -p "$T/canary"
sed 's/^\([[:space:]]*::= { vnetScalars \)3 }/\12 }/' "$mib" >"$T/canary/VNET-MIB.txt"
out=$(smilint -c "$T/smi.conf" -l 6 -s -m "$T/canary/VNET-MIB.txt" 2>&1)
if printf '%s\n' "$out" | grep -q 'canary/VNET-MIB.txt:[0-9]*:'; then
	ok "smilint does report a planted error (duplicate OID) in a copy"
else
	bad "smilint did not report a duplicate OID planted in a copy; its silence above proves nothing" "$out"
fi

# ---------------------------------------------------------------------
# net-snmp's parser: VNET-MIB and its imports load without a warning.
# (-Pw: warn on symbol conflicts. The "MACRO ... parsed and ignored"
# notes are about the SMI macro definitions in the base modules.)
# ---------------------------------------------------------------------
err=$(snmptranslate -M "$MIBDIRS" -m VNET-MIB -Pw -Tp VNET-MIB::vnetMIB 2>&1 >/dev/null |
	grep -v -e 'MACRO (lines [0-9]*\.\.[0-9]* parsed and ignored)\.$' \
		-e '^Created directory: ')
# An installed VNET-MIB in the net-snmp MIB directory (after make install)
# is not an error of ours: MIBDIRS lists the source tree last, so its copy
# wins, and -Pw says so.
shadow="Warning: Module VNET-MIB was in .* now is $mib"
if printf '%s\n' "$err" | grep -q -x -e "$shadow"; then
	printf '# note: the source tree'"'"'s VNET-MIB shadows another copy:\n'
	printf '%s\n' "$err" | grep -x -e "$shadow" | sed 's/^/#   /'
	err=$(printf '%s\n' "$err" | grep -v -x -e "$shadow")
fi
if [ -z "$err" ]; then
	ok "net-snmp parses VNET-MIB (-m VNET-MIB -Pw) without a message"
else
	bad "net-snmp reports problems loading VNET-MIB" "$err"
fi

# ---------------------------------------------------------------------
# (b) the tree, as a user loads it (-m +VNET-MIB: the default modules,
# many of which Debian does not ship, plus ours; their complaints on
# stderr are not ours).
# ---------------------------------------------------------------------
tree=$(snmptranslate -M "$MIBDIRS" -m +VNET-MIB -Tp VNET-MIB::vnetMIB 2>/dev/null)
first=$(printf '%s\n' "$tree" | head -n 1)
if [ "$first" = "+--vnetMIB(2005)" ]; then
	ok "snmptranslate -m +VNET-MIB -Tp draws the tree from vnetMIB(2005)"
else
	bad "snmptranslate -m +VNET-MIB -Tp VNET-MIB::vnetMIB: first line '$first'" \
		"$(printf '%s\n' "$tree" | head -n 20)"
fi
missing_names=
while IFS=';' read -r name oid _; do
	[ -n "$name" ] || continue
	num=${oid##*.}
	printf '%s\n' "$tree" | grep -q -e "[- ]$name($num)\$" ||
		missing_names="$missing_names $name($num)"
done <<<"$contract"
if [ -z "$missing_names" ]; then
	ok "the tree contains every contract object, with its sub-identifier"
else
	bad "the tree lacks:$missing_names"
fi

# Nothing outside vnetConformance that the contract does not name.
strays=
while IFS= read -r line; do
	# "name"<tabs>"1.3.6...."
	name=$(printf '%s\n' "$line" | sed -n 's/^"\([^"]*\)".*/\1/p')
	oid=.$(printf '%s\n' "$line" | sed -n 's/.*"\([0-9.]*\)"$/\1/p')
	case "$oid" in
	"$root_oid" | "$root_oid".*) ;;
	*) continue ;;
	esac
	case "$oid" in
	"$conf_oid".*) continue ;;
	esac
	printf '%s\n' "$contract" | grep -q "^$name;$oid\(;\|\$\)" ||
		strays="$strays $name=$oid"
done < <(xlate -Tz)
if [ -z "$strays" ]; then
	ok "no object outside vnetConformance beyond the contract"
else
	bad "objects not in the contract:$strays"
fi

# ---------------------------------------------------------------------
# (c) every object: name -> OID and OID -> name; leaves: type, TC,
# access, units as snmptranslate -Td shows them.
# ---------------------------------------------------------------------
# -Td field: the value of "  KEY<tabs>VALUE", trailing blanks dropped.
td_field() {
	printf '%s\n' "$1" |
		sed -n "s/^  $2[[:space:]]\{1,\}\(.*\)\$/\1/p" | head -n 1 |
		sed 's/[[:space:]]*$//'
}

while IFS=';' read -r name oid syntax tc access units; do
	[ -n "$name" ] || continue
	got=$(xlate -On "VNET-MIB::$name")
	back=$(xlate "$oid")
	if [ "$got" = "$oid" ] && [ "$back" = "VNET-MIB::$name" ]; then
		ok "$name = $oid"
	else
		bad "$name: -On gives '$got', $oid translates to '$back'; want $oid both ways"
	fi
	[ -n "$syntax" ] || continue

	td=$(xlate -Td "VNET-MIB::$name")
	g_syntax=$(td_field "$td" SYNTAX)
	g_access=$(td_field "$td" MAX-ACCESS)
	g_units=$(td_field "$td" UNITS)
	g_units=${g_units#\"}
	g_units=${g_units%\"}
	[ -n "$g_units" ] || g_units=-
	g_tc=$(printf '%s\n' "$td" |
		sed -n 's/^  -- TEXTUAL CONVENTION \(.*\)$/\1/p' | head -n 1)
	[ -n "$g_tc" ] || g_tc=-
	if [ "$g_syntax" = "$syntax" ] && [ "$g_tc" = "$tc" ] &&
		[ "$g_access" = "$access" ] && [ "$g_units" = "$units" ]; then
		ok "$name: SYNTAX $syntax, TC $tc, $access, UNITS $units"
	else
		bad "$name: want SYNTAX '$syntax' TC '$tc' '$access' UNITS '$units'; got SYNTAX '$g_syntax' TC '$g_tc' '$g_access' UNITS '$g_units'"
	fi
done <<<"$contract"

# The indexes of the two tables.
for pair in 'vnetEntry|{ vnetIndex }' \
	'vnetHistoryEntry|{ vnetIndex, vnetHistorySample }'; do
	name=${pair%%|*}
	want=${pair#*|}
	got=$(td_field "$(xlate -Td "VNET-MIB::$name")" INDEX)
	if [ "$got" = "$want" ]; then
		ok "$name INDEX $want"
	else
		bad "$name: INDEX '$got', want '$want'"
	fi
done

# The TC itself.
tcdef=$(awk '/^VnetGauge64[[:space:]]+::=[[:space:]]+TEXTUAL-CONVENTION/ { on = 1 }
	on && /^[[:space:]]*SYNTAX/ { print $2; exit }' "$mib")
if [ "$tcdef" = "Counter64" ]; then
	ok "VnetGauge64 is a TEXTUAL-CONVENTION with SYNTAX Counter64"
else
	bad "VnetGauge64: SYNTAX '$tcdef', want Counter64"
fi

# ---------------------------------------------------------------------
# Source rules.
# ---------------------------------------------------------------------
# The root is defined once, so a distributor with a PEN changes one line.
n=$(grep -c '::=[[:space:]]*{[[:space:]]*netSnmpPlaypen[[:space:]]' "$mib")
nroot=$(grep -c '^vnetMIB[[:space:]]\{1,\}MODULE-IDENTITY' "$mib")
if [ "$n" = 1 ] && [ "$nroot" = 1 ]; then
	ok "the root (netSnmpPlaypen 2005) is defined in exactly one place"
else
	bad "root definitions: $n '::= { netSnmpPlaypen ...', $nroot 'vnetMIB MODULE-IDENTITY'; want 1 each"
fi

# IMPORTS only from the SMI base modules and NET-SNMP-MIB.
froms=$(awk '/^IMPORTS/ { on = 1 } on { print } on && /;/ { exit }' "$mib" |
	grep -o 'FROM[[:space:]]\{1,\}[A-Za-z0-9-]*' | awk '{ print $2 }')
badfrom=
for m in $froms; do
	case "$m" in
	SNMPv2-SMI | SNMPv2-TC | SNMPv2-CONF | NET-SNMP-MIB) ;;
	*) badfrom="$badfrom $m" ;;
	esac
done
if [ -n "$froms" ] && [ -z "$badfrom" ]; then
	ok "IMPORTS only from SNMPv2-SMI/TC/CONF and NET-SNMP-MIB ($(printf '%s' "$froms" | tr '\n' ' '))"
else
	bad "IMPORTS from other modules:${badfrom:- (none found)}"
fi

# LAST-UPDATED is the newest REVISION.
lu=$(sed -n 's/^[[:space:]]*LAST-UPDATED[[:space:]]*"\([0-9]*Z\)".*/\1/p' "$mib" | head -n 1)
rev=$(sed -n 's/^[[:space:]]*REVISION[[:space:]]*"\([0-9]*Z\)".*/\1/p' "$mib" | head -n 1)
if [ -n "$lu" ] && [ "$lu" = "$rev" ]; then
	ok "LAST-UPDATED $lu matches the newest REVISION"
else
	bad "LAST-UPDATED '$lu' differs from the first REVISION '$rev'"
fi

finish
