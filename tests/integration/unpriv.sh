#!/usr/bin/env bash
# tests/integration/unpriv.sh: least privilege.  The agent runs as an
# unprivileged user with no capability at all, and only the AgentX socket's
# group may attach.
#
# Users: numeric uids/gids with no passwd/group entry, picked free at run time
# (the way systemd's DynamicUser= allocates them; nothing is added to
# /etc/passwd).  The agent's user has its own primary group and the socket's
# group as a supplementary group (like the unit's SupplementaryGroups=); the
# outsider has neither.  Both run under setpriv with an empty bounding set, no
# inheritable capabilities and no_new_privs, inside the switch namespace.
#
# The private snmpd says `agentXPerms 0660 0755 root SOCKGID` for
# unix:$T/ax/master: the socket is 0660 root:SOCKGID, the directory snmpd
# creates for it 0755 (connect(2) needs write permission on the socket itself).
#  - the outsider cannot attach: it logs "Failed to connect", keeps sampling,
#    and VNET-MIB is not served (connect(2) as that user: Permission denied);
#  - the agent (uid/gid/groups checked in /proc, CapEff = CapBnd = 0,
#    NoNewPrivs = 1) attaches, reads rtnetlink (bridges, ports, per-second
#    counters of br0's traffic) and writes its state file as its own user;
#  - a pitfall the README warns about: with DIRPERMS 0750 the directory that
#    snmpd creates is root:root 0750 (net-snmp 5.9 chowns only the socket, and
#    applies DIRPERMS only to a directory it creates: net-snmp issues #298,
#    #1070), so even the socket's group cannot reach the socket;
#  - the cure for 0750: a directory made beforehand, 0750 root:SOCKGID (what a
#    tmpfiles.d "d" line does): the agent attaches, the outsider still cannot.
# Runs in about 20 s.

# shellcheck disable=SC2119
VNET_TEST_NAME=unpriv
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

vnet_test_init
vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 setpriv getent timeout awk
vnet_need_agent

# ---------------------------------------------------------------- ids
# free_id VAR passwd|group FROM: VAR = the first id >= FROM with no entry
# (61184..65519 is systemd's DynamicUser range), never one already picked.
TAKEN=" "
free_id() {
	local db=$2 id
	for ((id = $3; id <= 65519; id++)); do
		[[ $TAKEN != *" $id "* ]] || continue
		getent "$db" "$id" >/dev/null 2>&1 && continue
		TAKEN+="$id "
		printf -v "$1" '%s' "$id"
		return 0
	done
	vnet_die "no free $db id from $3"
}
A_UID="" A_GID="" SOCK_GID="" O_UID="" O_GID=""
base=$((61184 + $$ % 4000))
free_id A_UID passwd "$base"
free_id A_GID group "$base"
free_id SOCK_GID group "$base"
free_id O_UID passwd "$base"
free_id O_GID group "$base"
vnet_log "agent uid $A_UID gid $A_GID + group $SOCK_GID; outsider uid $O_UID gid $O_GID; socket group $SOCK_GID"

# ---------------------------------------------------------------- private snmpd with agentXPerms
PID_out="" PID_agent="" PID_agent2="" PID_agent3=""
# start_as NAME UID GID GROUPS SOCKET: the agent as UID:GID (supplementary
# GROUPS, comma-separated, or "" for none) with no capability, its files in
# $T/NAME (owned by UID), attached to SOCKET.  Sets PID_<NAME>.
start_as() {
	local name=$1 uid=$2 gid=$3 groups=$4 sock=$5 dir=$T/$1 pid
	local -a grp=(--clear-groups)
	[[ -z $groups ]] || grp=("--groups=$groups")
	install -d -m 0750 -o "$uid" -g "$gid" "$dir"
	printf 'vnetStateDir %s\nagentXPingInterval 1\n' "$dir/state" >"$dir/vnet.conf"
	chmod 0644 "$dir/vnet.conf"
	env -u SNMP_PERSISTENT_DIR "VNET_AGENTX_TICKLOG=$dir/ticks.log" ip netns exec "$VNET_SW" \
		setpriv "--reuid=$uid" "--regid=$gid" "${grp[@]}" --inh-caps=-all --bounding-set=-all --no-new-privs -- \
		"$VNET_AGENTX" -f -C -c "$dir/vnet.conf" -x "unix:$sock" -Lf "$dir/agent.log" </dev/null >"$dir/stderr" 2>&1 &
	pid=$!
	_vnet_track "$pid" "vnet-agentx as $uid"
	printf -v "PID_$name" '%s' "$pid"
}

# status_field PID FIELD: one line's value from /proc/PID/status, blanks squeezed.
status_field() { awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print; exit }' "/proc/$1/status"; }

ticks_of() { if [[ -s $T/$1/ticks.log ]]; then wc -l <"$T/$1/ticks.log"; else echo 0; fi; }

# can_connect UID GID GROUPS SOCKET: connect(2) to SOCKET as that user; prints
# the error.  Needs /usr/bin/python3 (optional).
can_connect() {
	local -a grp=(--clear-groups)
	[[ -z $3 ]] || grp=("--groups=$3")
	setpriv "--reuid=$1" "--regid=$2" "${grp[@]}" --inh-caps=-all --bounding-set=-all --no-new-privs -- \
		/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print(e.strerror); sys.exit(1)
print("connected")' "$4" 2>&1
}

vnet_netns_create
vnet_watchdog_start
vnet_bridge_add br0 2
vnet_bridge_add br1 1
vnet_traffic_start "$(vnet_host_of br0 2)" "$(vnet_host_of br0 1)" 2M

SOCK=$T/ax/master
vnet_snmpd_start -x "$SOCK" -p "0660 0755 root $SOCK_GID"
sockinfo=$(stat -c '%a %u %g' "$SOCK")
dirinfo=$(stat -c '%a %u %g' "$T/ax")
vnet_assert_eq "agentXPerms: the socket is 0660 root:$SOCK_GID" "660 0 $SOCK_GID" "$sockinfo"
vnet_assert_eq "agentXPerms: snmpd created its directory 0755 root:root" "755 0 0" "$dirinfo"

# ---------------------------------------------------------------- the outsider
start_as out "$O_UID" "$O_GID" "" "$SOCK"
for ((i = 0; i < 40 && $(ticks_of out) < 3; i++)); do sleep 0.1; done
sleep 1
vnet_assert_eq "outsider: keeps running" yes "$(_vnet_alive "$PID_out" && echo yes || echo no)"
vnet_assert_contains "outsider: logs that it cannot connect to the master" \
	"Failed to connect to the agentx master agent" "$(cat "$T/out/agent.log" 2>/dev/null)"
vnet_assert_cmp "outsider: samples all the same ($(ticks_of out) ticks)" "$(ticks_of out)" -ge 2
got=$(vget "$VNET_OID_HISTSIZE" | cut -f2)
vnet_assert_eq "outsider: VNET-MIB is not served through the master" noSuchObject "$got"
if [[ -x /usr/bin/python3 ]]; then
	vnet_assert_eq "outsider: connect(2) to the socket is refused" "Permission denied" \
		"$(can_connect "$O_UID" "$O_GID" "" "$SOCK" || true)"
fi
vnet_stop_pid "$PID_out" 3 || true

# ---------------------------------------------------------------- the agent
start_as agent "$A_UID" "$A_GID" "$SOCK_GID" "$SOCK"
VNET_AGENT_PID=$PID_agent
vnet_wait_until 10 vval "$VNET_OID_HISTSIZE" ||
	vnet_die "the unprivileged agent did not attach within 10 s ($(tr '\n' ';' <"$T/agent/agent.log"))"
vnet_pass "the unprivileged agent (socket group as a supplementary group) attaches"
vnet_assert_eq "it runs as uid $A_UID" "$A_UID $A_UID $A_UID $A_UID" "$(status_field "$PID_agent" Uid | tr -s '\t ' ' ')"
vnet_assert_eq "its gid is $A_GID" "$A_GID $A_GID $A_GID $A_GID" "$(status_field "$PID_agent" Gid | tr -s '\t ' ' ')"
vnet_assert_eq "its supplementary groups: $SOCK_GID" "$SOCK_GID" "$(status_field "$PID_agent" Groups | tr -s '\t ' ' ' | sed 's/ $//')"
for f in CapInh CapPrm CapEff CapBnd CapAmb; do
	vnet_assert_eq "$f = 0" 0000000000000000 "$(status_field "$PID_agent" "$f")"
done
vnet_assert_eq "NoNewPrivs = 1" 1 "$(status_field "$PID_agent" NoNewPrivs)"

vnet_wait_networks 2
i0=$(vnet_index_of br0)
i1=$(vnet_index_of br1)
vnet_assert_match "it serves br0 and br1 from rtnetlink (indexes $i0, $i1)" '^[0-9]+ [0-9]+$' "$i0 $i1"
vnet_assert_eq "br0 has 2 ports" 2 "$(vval "$VNET_OID_ENTRY.$VNET_COL_PORTCOUNT.$i0")"
vnet_assert_eq "br1 has 1 port" 1 "$(vval "$VNET_OID_ENTRY.$VNET_COL_PORTCOUNT.$i1")"
vnet_assert_eq "br0's vnetIfIndex is the kernel's" "$(vnet_ifindex br0)" "$(vval "$VNET_OID_ENTRY.$VNET_COL_IFINDEX.$i0")"
sleep 4
vwalk -Ox "$VNET_OID_HENTRY" >"$T/hist.txt" || vnet_die "walking the history failed"
vnet_check_status br0 "$i0" "$T/hist.txt"
vnet_check_steady br0 "$i0" "$T/hist.txt"
st=$(stat -c '%u' "$T/agent/state/"* 2>/dev/null | sort -u | tr '\n' ' ')
vnet_assert_eq "its state file is written by its own user" "$A_UID " "$st"
# the event socket's receive buffer: without CAP_NET_ADMIN, SO_RCVBUFFORCE fails
# and SO_RCVBUF is capped at net.core.rmem_max (informational)
# (its portid is kernel-assigned, so ss names no process: the only socket in the
# switch namespace subscribed to RTNLGRP_LINK is the agent's)
rb=$(ip netns exec "$VNET_SW" ss -f netlink -a -e -m 2>/dev/null | awk '
	/rtnl:/ && !/rtnl:kernel/ && /groups=0x00000001/ && match($0, /rb[0-9]+/) { print substr($0, RSTART + 2, RLENGTH - 2); exit }')
vnet_log "the unprivileged agent's link event socket: receive buffer ${rb:-?} B (asked for 1 MiB; net.core.rmem_max $(sysctl -n net.core.rmem_max))"
log=$(grep -v -e 'appeared, vnetIndex' -e '^NET-SNMP version' -e ' started$' "$T/agent/agent.log" | tr '\n' ';' || true)
vnet_assert_eq "its log has no warning or error" "" "$log"
vnet_stop_pid "$PID_agent" 3 && rc=0 || rc=$?
VNET_AGENT_PID=""
vnet_assert_eq "SIGTERM: exit 0" 0 "$rc"

# ---------------------------------------------------------------- pitfall: DIRPERMS 0750
vnet_stop_pid "$VNET_SNMPD_PID" 5 || true
SOCK2=$T/ax2/master
vnet_snmpd_start -x "$SOCK2" -p "0660 0750 root $SOCK_GID"
dirinfo=$(stat -c '%a %u %g' "$T/ax2")
vnet_assert_eq "DIRPERMS 0750: snmpd creates the directory 0750 root:root (not the socket's group)" "750 0 0" "$dirinfo"
start_as agent2 "$A_UID" "$A_GID" "$SOCK_GID" "$SOCK2"
for ((i = 0; i < 40 && $(ticks_of agent2) < 3; i++)); do sleep 0.1; done
sleep 1
vnet_assert_contains "DIRPERMS 0750: even the socket's group cannot attach (so use 0755, or a directory made beforehand)" \
	"Failed to connect to the agentx master agent" "$(cat "$T/agent2/agent.log" 2>/dev/null)"
vnet_assert_eq "DIRPERMS 0750: VNET-MIB is not served" noSuchObject "$(vget "$VNET_OID_HISTSIZE" | cut -f2)"
if [[ -x /usr/bin/python3 ]]; then
	vnet_assert_eq "DIRPERMS 0750: connect(2) as a member of the group is refused" "Permission denied" \
		"$(can_connect "$A_UID" "$A_GID" "$SOCK_GID" "$SOCK2" || true)"
fi
vnet_stop_pid "$PID_agent2" 3 || true

# ---------------------------------------------------------------- a directory made beforehand
# What a tmpfiles.d line "d /var/agentx 0750 root GROUP -" gives (it also fixes
# the mode and owner of a directory that exists already): the group may
# search it, nobody else may.
vnet_stop_pid "$VNET_SNMPD_PID" 5 || true
install -d -m 0750 -o 0 -g "$SOCK_GID" "$T/ax3"
SOCK3=$T/ax3/master
vnet_snmpd_start -x "$SOCK3" -p "0660 0750 root $SOCK_GID"
vnet_assert_eq "directory made beforehand: it stays 0750 root:$SOCK_GID" "750 0 $SOCK_GID" "$(stat -c '%a %u %g' "$T/ax3")"
start_as agent3 "$A_UID" "$A_GID" "$SOCK_GID" "$SOCK3"
if vnet_wait_until 10 vval "$VNET_OID_HISTSIZE"; then
	vnet_pass "directory made beforehand (0750, the socket's group): the agent attaches"
else
	vnet_fail "directory made beforehand (0750, the socket's group): the agent attaches" "$(tr '\n' ';' <"$T/agent3/agent.log")"
fi
if [[ -x /usr/bin/python3 ]]; then
	vnet_assert_eq "directory made beforehand: the outsider's connect(2) is refused" "Permission denied" \
		"$(can_connect "$O_UID" "$O_GID" "" "$SOCK3" || true)"
fi
vnet_stop_pid "$PID_agent3" 3 && rc=0 || rc=$?
vnet_assert_eq "SIGTERM: exit 0" 0 "$rc"
vnet_finish
