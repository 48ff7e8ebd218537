#!/usr/bin/env bash
# tests/ecosystem/mib-names.sh: VNET-MIB by name, as installed, against the running agent.
#
#  - `make install` (only its MIB and man page parts, into a DESTDIR in the temp
#    dir) puts VNET-MIB.txt in net-snmp's MIB directory (one of
#    `net-snmp-config --default-mibdirs`) and vnet-agentx.8 in man8;
#  - with the SMIv2 base modules on the MIB path (tests/mibpath.sh) and the
#    installed copy of VNET-MIB, the commands a user types work by name, with
#    Debian's client configuration ("mibs :"):
#      snmptranslate -m +VNET-MIB -On VNET-MIB::vnetTable
#      snmptable -m +VNET-MIB ... VNET-MIB::vnetTable         (demo0's row)
#      snmptable -m +VNET-MIB ... VNET-MIB::vnetHistoryTable  (valid(1) as "valid")
#      snmpwalk  -m +VNET-MIB ... VNET-MIB::vnetType           (linuxBridge)
#    and name nothing in VNET-MIB or its imports as missing;
#  - without the base modules (a stock Debian: no SNMPv2-SMI text), loading
#    VNET-MIB by name fails, while the numeric OIDs still answer.

# shellcheck disable=SC2119
VNET_TEST_NAME=mib-names
# shellcheck source=tests/ecosystem/eco-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/eco-lib.sh"

eco_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk snmptable snmptranslate snmpwalk iperf3 timeout awk
vnet_need_agent

# ---------------------------------------------------------------- installed files
MIBFILE=$VNET_SRCDIR/mibs/VNET-MIB.txt
INSTALLED_MIBDIR=""
# _make ARGS...: make in the build tree, on its own (not as part of a `make check`
# that may be running this test: no inherited flags, no directory messages).
_make() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES make -s --no-print-directory -C "$VNET_BUILDDIR" "$@"; }
if [[ -f $VNET_BUILDDIR/Makefile ]]; then
	dest=$T/destdir
	if _make DESTDIR="$dest" install-dist_mibDATA install-man8 >"$T/install.log" 2>&1; then
		# shellcheck disable=SC2016  # $(mibdir) is make's, not the shell's
		mibdir=$(_make -f Makefile -f - print-mibdir <<<'print-mibdir: ; @echo $(mibdir)' 2>/dev/null | tail -n 1)
		# shellcheck disable=SC2016
		mandir=$(_make -f Makefile -f - print-mandir <<<'print-mandir: ; @echo $(mandir)' 2>/dev/null | tail -n 1)
		if [[ -n $mibdir && -f $dest$mibdir/VNET-MIB.txt ]]; then
			vnet_pass "make install puts VNET-MIB.txt in \$(mibdir) = $mibdir"
			INSTALLED_MIBDIR=$dest$mibdir
			MIBFILE=$INSTALLED_MIBDIR/VNET-MIB.txt
			if command -v net-snmp-config >/dev/null 2>&1; then
				vnet_assert_contains "\$(mibdir) is one of net-snmp's default MIB directories" \
					":$mibdir:" ":$(net-snmp-config --default-mibdirs):"
			fi
			vnet_check "the installed MIB is the source tree's" cmp "$VNET_SRCDIR/mibs/VNET-MIB.txt" "$MIBFILE"
		else
			vnet_fail "make install puts VNET-MIB.txt in \$(mibdir)" "mibdir='$mibdir'" "$(find "$dest" -type f | head -20)"
		fi
		if [[ -n $mandir && -f $dest$mandir/man8/vnet-agentx.8 ]]; then
			vnet_pass "make install puts vnet-agentx.8 in $mandir/man8"
		else
			vnet_fail "make install puts vnet-agentx.8 in \$(mandir)/man8" "mandir='$mandir'" "$(find "$dest" -type f | head -20)"
		fi
	else
		vnet_fail "make install-dist_mibDATA install-man8 DESTDIR=... succeeds" "$(tail -n 20 "$T/install.log")"
	fi
else
	vnet_log "no configured build tree at $VNET_BUILDDIR: install paths not checked, the source tree's MIB is used"
fi

# ---------------------------------------------------------------- the MIB path
vnet_mib_setup "$T/mibs" >/dev/null || vnet_skip "SMIv2 base modules not available (install erlang-snmp)"
NETSNMP_MIBDIR=$VNET_NETSNMP_MIBDIR
MIBDIR_OF_VNET=${INSTALLED_MIBDIR:-$VNET_SRCDIR/mibs}
# net-snmp takes a module from the last directory that has it: ours comes last.
export MIBDIRS="$T/mibs:$NETSNMP_MIBDIR:$MIBDIR_OF_VNET"
vnet_log "MIBDIRS=$MIBDIRS"

# Client configuration as on Debian: /etc/snmp/snmp.conf says "mibs :" (lib.sh writes the same).
grep -qx 'mibs :' "$SNMPCONFPATH/snmp.conf" || vnet_die "expected 'mibs :' in $SNMPCONFPATH/snmp.conf"

# _vnet_mib_errors FILE: stderr lines that concern VNET-MIB or the modules it imports.
_vnet_mib_errors() { grep -E 'VNET-MIB|SNMPv2-(SMI|TC|CONF)|NET-SNMP-MIB|vnet' "$1" | head -5 || true; }

got=$(snmptranslate -m +VNET-MIB -On VNET-MIB::vnetTable 2>"$T/tr.err" || true)
vnet_assert_eq "snmptranslate -m +VNET-MIB -On VNET-MIB::vnetTable" ".$VNET_OID_TABLE" "$got"
vnet_assert_eq "loading VNET-MIB reports nothing about VNET-MIB or its imports" "" "$(_vnet_mib_errors "$T/tr.err")"

# ---------------------------------------------------------------- against the agent
vnet_snmpd_start
eco_demo_up 1M
sleep 2

SNMPARGS=(-v2c -c public -t 2 -r 1 "unix:$T/snmp.sock")
out=$(timeout 60 snmptable -m +VNET-MIB -Cw 400 "${SNMPARGS[@]}" VNET-MIB::vnetTable 2>"$T/table.err" || true)
printf '%s\n' "$out" | sed 's/^/#   /' | head -8
vnet_assert_match "snmptable -m +VNET-MIB VNET-MIB::vnetTable names the table" 'SNMP table: VNET-MIB::vnetTable' "$out"
header=$(awk 'NF && !/^SNMP table/ { print; exit }' <<<"$out")
for col in vnetName vnetIfIndex vnetType vnetPortCount vnetBytesSent vnetBytesSentMax vnetBytesSentAvg \
	vnetBytesReceivedMax vnetBytesReceivedAvg vnetBytesSentTotal vnetBytesReceivedTotal vnetDiscontinuityTime; do
	[[ " $header " == *" $col "* ]] || vnet_fail "snmptable header has column $col" "header: $header"
done
vnet_pass "snmptable's header names the columns (vnetName ... vnetDiscontinuityTime)"
row=$(awk '$1 == "demo0"' <<<"$out")
vnet_assert_match "snmptable shows demo0 as a linuxBridge with 2 ports" '^ *demo0 +[0-9]+ +linuxBridge +2 ' "$row"
vnet_assert_eq "snmptable reports nothing about VNET-MIB or its imports" "" "$(_vnet_mib_errors "$T/table.err")"

out=$(timeout 60 snmptable -m +VNET-MIB -Cw 400 "${SNMPARGS[@]}" VNET-MIB::vnetHistoryTable 2>"$T/htable.err" || true)
vnet_assert_match "snmptable -m +VNET-MIB VNET-MIB::vnetHistoryTable names the table" 'SNMP table: VNET-MIB::vnetHistoryTable' "$out"
nvalid=$(awk '$0 ~ / valid / { n++ } END { print n + 0 }' <<<"$out")
vnet_assert_cmp "vnetHistoryTable rows render vnetHistoryStatus by name ($nvalid rows 'valid')" "$nvalid" -gt 0

out=$(timeout 60 snmpwalk -m +VNET-MIB "${SNMPARGS[@]}" VNET-MIB::vnetType 2>/dev/null || true)
vnet_assert_match "snmpwalk -m +VNET-MIB VNET-MIB::vnetType prints names" "^VNET-MIB::vnetType\\.$ECO_DEMO_INDEX = INTEGER: linuxBridge\\(1\\)" "$out"
out=$(timeout 60 snmpget -m +VNET-MIB "${SNMPARGS[@]}" VNET-MIB::vnetName."$ECO_DEMO_INDEX" 2>/dev/null || true)
vnet_assert_match "snmpget -m +VNET-MIB VNET-MIB::vnetName.$ECO_DEMO_INDEX" '= STRING: "?demo0"?$' "$out"

# ---------------------------------------------------------------- without the base MIBs
if ! _vnet_mib_find "$NETSNMP_MIBDIR" SNMPv2-SMI >/dev/null; then
	rc=0
	MIBDIRS="$NETSNMP_MIBDIR:$MIBDIR_OF_VNET" snmptranslate -m +VNET-MIB -On VNET-MIB::vnetTable >"$T/nobase.out" 2>&1 || rc=$?
	vnet_assert_match "without SNMPv2-SMI/TC/CONF (stock Debian) VNET-MIB does not load by name" \
		'SNMPv2-SMI|Unknown Object Identifier' "$(cat "$T/nobase.out") status=$rc"
	vnet_assert_eq "... while the numeric OID still answers: vnetHistorySize.0" 60 "$(vval "$VNET_OID_HISTSIZE")"
fi

vnet_finish
