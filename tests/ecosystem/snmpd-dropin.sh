#!/usr/bin/env bash
# tests/ecosystem/snmpd-dropin.sh: conf/snmpd.conf.d/vnet-agentx.conf against a
# real snmpd configured like Debian 12's.
#
# A private snmpd reads the non-comment lines of Debian 12's /etc/snmp/snmpd.conf
# (agentaddress moved to udp:127.0.0.1:<random port>, includeDir to a directory in
# the temp dir) and, through that includeDir, the drop-in with one substitution:
# the AgentX socket path (/var/agentx/master -> $T/agentx.sock).  The agent runs as
# an unprivileged user whose group is Debian-snmp, as the drop-in's comment
# suggests, so the agentXPerms line is what lets it in.
#  1. Without the drop-in's "view" line (Debian's default systemonly view), the
#     public community does not see VNET-MIB even with the agent attached.
#  2. With the whole drop-in (snmpd restarted, the agent re-attaches): the socket
#     is 0660 root:Debian-snmp, public reads vnetHistorySize.0 and walks
#     vnetTable over UDP, and still sees nothing outside systemonly + VNET-MIB.

# shellcheck disable=SC2119
VNET_TEST_NAME=snmpd-dropin
# shellcheck source=tests/ecosystem/eco-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/eco-lib.sh"

eco_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 setpriv ss timeout awk sed
vnet_need_agent
getent group Debian-snmp >/dev/null || vnet_skip "no group Debian-snmp (Debian's snmpd package creates it)"

DROPIN=$VNET_SRCDIR/conf/snmpd.conf.d/vnet-agentx.conf
[[ -r $DROPIN ]] || vnet_die "missing $DROPIN"

# ---------------------------------------------------------------- the drop-in itself
vnet_assert_match "the drop-in enables the AgentX master" '(^|'$'\n'')master[[:space:]]+agentx' "$(cat "$DROPIN")"
vnet_assert_match "the drop-in sets agentXPerms with group Debian-snmp" \
	'(^|'$'\n'')agentXPerms[[:space:]]+0660[[:space:]]+[0-7]+[[:space:]]+[^[:space:]]+[[:space:]]+Debian-snmp' "$(cat "$DROPIN")"
vnet_assert_match "the drop-in adds VNET-MIB to the systemonly view" \
	'(^|'$'\n'')view[[:space:]]+systemonly[[:space:]]+included[[:space:]]+\.?1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.2005([[:space:]]|$)' "$(cat "$DROPIN")"
n=$(grep -Ec '^[[:space:]]*agentXSocket[[:space:]]+unix:/var/agentx/master[[:space:]]*$' "$DROPIN" || true)
vnet_assert_eq "the drop-in sets agentXSocket unix:/var/agentx/master once (the test substitutes it)" 1 "$n"

# ---------------------------------------------------------------- Debian-like snmpd
ECO_SNMP_PORT=$(eco_free_port udp)
mkdir -p "$T/snmpd.conf.d"
# The non-comment lines of Debian 12's /etc/snmp/snmpd.conf (snmpd 5.9.3+dfsg-2),
# agentaddress and includeDir pointed at this test's own port and directory.
cat >"$T/snmpd.conf" <<EOF
[snmp] persistentDir $T/persist
sysLocation    Sitting on the Dock of the Bay
sysContact     Me <me@example.org>
sysServices    72
master  agentx
agentaddress  udp:127.0.0.1:$ECO_SNMP_PORT
view   systemonly  included   .1.3.6.1.2.1.1
view   systemonly  included   .1.3.6.1.2.1.25.1
rocommunity  public default -V systemonly
rocommunity6 public default -V systemonly
rouser authPrivUser authpriv -V systemonly
includeDir $T/snmpd.conf.d
# test harness only: the unix socket through which tests/lib.sh's helpers read everything
agentaddress  unix:$T/snmp.sock
com2secunix vnetro default public
group vnetrogroup v2c vnetro
view vnetall included .1
access vnetrogroup "" any noauth exact vnetall none none
EOF
if [[ -r /etc/snmp/snmpd.conf ]]; then
	# Informational: how this machine's own file differs from those lines.
	diff <(grep -Ev '^[[:space:]]*(#|$)' /etc/snmp/snmpd.conf | grep -Ev '^(agentaddress|includeDir)' | tr -s ' \t' ' ') \
		<(sed -n '2,/^includeDir/p' "$T/snmpd.conf" | grep -Ev '^(agentaddress|includeDir)' | tr -s ' \t' ' ') >"$T/debian-diff.txt" 2>&1 ||
		vnet_log "note: /etc/snmp/snmpd.conf differs from Debian 12's default: $(tr '\n' ' ' <"$T/debian-diff.txt" | head -c 300)"
fi

# The drop-in as installed, with the AgentX socket moved into the temp dir.
sed "s|unix:/var/agentx/master|unix:$T/agentx.sock|" "$DROPIN" >"$T/vnet-agentx.conf.full"
grep -v '^[[:space:]]*view[[:space:]]' "$T/vnet-agentx.conf.full" >"$T/vnet-agentx.conf.noview"

# The agent runs as nobody with primary group Debian-snmp and no other group.
cat >"$T/agent-as-user" <<EOF
#!/bin/sh
exec setpriv --reuid=nobody --regid=Debian-snmp --clear-groups -- '$VNET_AGENTX' "\$@"
EOF
chmod 755 "$T/agent-as-user"
chown nobody "$T/state"
: >"$T/agent.log"
chown nobody "$T/agent.log"

# shellcheck disable=SC2317  # called through vnet_wait_until
_public_get() { eco_udp_get public "$1"; }
# shellcheck disable=SC2317
_served() { [[ $(_public_get "$VNET_OID_HISTSIZE" 2>/dev/null) == 60 ]]; }

# ---------------------------------------------------------------- 1: no view line
cp "$T/vnet-agentx.conf.noview" "$T/snmpd.conf.d/vnet-agentx.conf"
eco_snmpd_launch "$T/snmpd.conf" public

sock=$(stat -c '%a %U %G' "$T/agentx.sock")
vnet_assert_eq "agentXPerms: the AgentX socket is 0660 root:Debian-snmp" "660 root Debian-snmp" "$sock"

vnet_netns_create
vnet_bridge_add demo0 2
vnet_traffic_start "$(vnet_host_of demo0 2)" "$(vnet_host_of demo0 1)" 1M
real_agent=$VNET_AGENTX
VNET_AGENTX=$T/agent-as-user
vnet_agent_start # readiness is checked on the unix socket, where the test community sees everything
VNET_AGENTX=$real_agent
vnet_wait_networks 1

agent_user=$(ps -o user= -o group= -p "$VNET_AGENT_PID" | tr -s ' ')
vnet_assert_eq "the agent runs as nobody, group Debian-snmp" "nobody Debian-snmp" "$agent_user"
vnet_assert_eq "attached as an unprivileged member of Debian-snmp: vnetHistorySize.0 = 60 (unix socket)" \
	60 "$(vval "$VNET_OID_HISTSIZE" || echo none)"

v=$(_public_get "$VNET_OID_SYSDESCR" 2>&1 || true)
vnet_assert_match "Debian defaults: public reads sysDescr.0 over UDP" '[A-Za-z]' "$v"
v=$(_public_get "$VNET_OID_HISTSIZE" 2>&1 || true)
vnet_assert_match "Debian defaults without the view line: VNET-MIB is hidden from public" 'No Such Object' "$v"

# ---------------------------------------------------------------- 2: the whole drop-in
vnet_stop_pid "$VNET_SNMPD_PID" 5 || true
cp "$T/vnet-agentx.conf.full" "$T/snmpd.conf.d/vnet-agentx.conf"
rm -f "$T/agentx.sock"
t0=$(_vnet_elapsed_ms)
eco_snmpd_launch "$T/snmpd.conf" public
if vnet_wait_until 30 _served; then
	vnet_pass "after snmpd restarts with the drop-in, public reads vnetHistorySize.0 = 60 over UDP ($(($(_vnet_elapsed_ms) - t0)) ms to re-attach)"
else
	vnet_fail "after snmpd restarts with the drop-in, public reads vnetHistorySize.0 = 60 over UDP" \
		"got: $(_public_get "$VNET_OID_HISTSIZE" 2>&1 || true)" "$(tail -n 5 "$T/agent.log" 2>/dev/null)"
fi
sock=$(stat -c '%a %U %G' "$T/agentx.sock")
vnet_assert_eq "agentXPerms (restarted): the AgentX socket is 0660 root:Debian-snmp" "660 root Debian-snmp" "$sock"

walk=$(env -u MIBS -u MIBDIRS timeout 30 snmpbulkwalk -v2c -c public -On -t 2 -r 1 \
	"udp:127.0.0.1:$ECO_SNMP_PORT" "$VNET_OID_ENTRY.$VNET_COL_NAME" 2>&1 || true)
vnet_assert_match "public walks vnetName over UDP and finds demo0" "^\.$VNET_OID_ENTRY\.$VNET_COL_NAME\.[0-9]+ = STRING: \"?demo0\"?" "$walk"

hist=$(env -u MIBS -u MIBDIRS timeout 30 snmpbulkwalk -v2c -c public -On -t 2 -r 1 \
	"udp:127.0.0.1:$ECO_SNMP_PORT" "$VNET_OID_HENTRY.$VNET_HCOL_BYTES_SENT" 2>&1 | grep -c ' = Counter64: ' || true)
vnet_assert_cmp "public walks vnetHistoryBytesSent over UDP (rows: $hist)" "$hist" -gt 0

v=$(_public_get 1.3.6.1.2.1.2.1.0 2>&1 || true)
vnet_assert_match "the drop-in adds only VNET-MIB: ifNumber.0 stays hidden from public" 'No Such Object' "$v"
v=$(_public_get 1.3.6.1.4.1.8072.1.3.2.1.0 2>&1 || true)
vnet_assert_match "the drop-in adds only VNET-MIB: the rest of NET-SNMP-MIB stays hidden" 'No Such Object' "$v"

vnet_finish
