# shellcheck shell=bash disable=SC2034,SC2119
# (SC2034: a library defines variables for the scripts that source it.)
# tests/ecosystem/eco-lib.sh: helpers shared by the ecosystem tests (snmpd
# drop-in, Zabbix, Prometheus snmp_exporter, LibreNMS capture, MIB names).
#
# Sourced after tests/lib.sh (which it sources itself), never executed.  It adds:
#   - eco_install PKG...: install missing Debian packages (root + apt-get, no
#     service started, services of newly installed packages left disabled);
#     without root or apt a missing package is a skip (a failure under CI=true);
#   - eco_free_port tcp|udp [MIN MAX]: a port nobody listens on, on 127.0.0.1;
#   - eco_snmpd_start: the private snmpd of tests/lib.sh (unix sockets, same
#     communities, so vget/vwalk work) plus one UDP address on 127.0.0.1 and a
#     random high port (ECO_SNMP_PORT), community "public" read-only there:
#     the tools under test (Zabbix, snmp_exporter) only speak UDP/TCP;
#   - eco_snmpd_launch CONF: run snmpd on a config of the caller's own;
#   - eco_demo_up [RATE]: switch namespace, bridge demo0 with two ports and steady
#     UDP traffic from its second host to its first, agent attached; waits for the
#     network to be served.  ECO_DEMO_INDEX = demo0's vnetIndex;
#   - eco_on_exit_hook FUNC: run FUNC (newest first) before tests/lib.sh's own
#     cleanup, on every exit, with ECO_EXIT_RC set to the exit status: for
#     daemons that need more than lib.sh's 3-second stop (PostgreSQL, Zabbix).
#
# Everything lives in lib.sh's temp dir $T and namespaces; nothing on the host's
# interfaces, no system service, traffic only on loopback and between our namespaces.

_eco_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib.sh
. "$_eco_dir/../lib.sh"

ECO_SNMP_PORT=""
ECO_DEMO_INDEX=""
_eco_hooks=()

# ---------------------------------------------------------------- exit hooks

# eco_init: vnet_test_init + our exit trap (hooks first, then lib.sh's cleanup).
eco_init() {
	vnet_test_init
	trap '_eco_on_exit' EXIT
}

eco_on_exit_hook() { _eco_hooks+=("$1"); }

ECO_EXIT_RC=0
_eco_on_exit() {
	local rc=$? i
	[[ $BASHPID == "$_vnet_main_pid" ]] || return "$rc"
	set +eE
	trap - ERR
	ECO_EXIT_RC=$rc
	for ((i = ${#_eco_hooks[@]} - 1; i >= 0; i--)); do
		"${_eco_hooks[i]}"
	done
	(exit "$rc")
	_vnet_on_exit
}

# ---------------------------------------------------------------- packages

_eco_installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]; }

# _eco_disable_service NAME: a service a package of ours just installed stays off.
_eco_disable_service() {
	if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
		systemctl disable "$1.service" >/dev/null 2>&1 || true
	elif command -v update-rc.d >/dev/null 2>&1 && [[ -e /etc/init.d/$1 ]]; then
		update-rc.d "$1" disable >/dev/null 2>&1 || true
	fi
}

# eco_install PKG...: make sure the Debian packages are installed.
eco_install() {
	local p missing=() own_policy=0 rc=0 policy=/usr/sbin/policy-rc.d
	if ! command -v dpkg-query >/dev/null 2>&1; then
		vnet_skip "not a Debian system (no dpkg-query); needs packages: $*"
	fi
	for p in "$@"; do _eco_installed "$p" || missing+=("$p"); done
	((${#missing[@]})) || return 0
	[[ $EUID -eq 0 ]] || vnet_skip "packages missing and not root: ${missing[*]}"
	command -v apt-get >/dev/null 2>&1 || vnet_skip "packages missing and no apt-get: ${missing[*]}"
	vnet_log "installing: ${missing[*]}"
	# Maintainer scripts start no service while we install (policy-rc.d, as tools/install-deps).
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\n# temporary, from vnet-agentx tests/ecosystem: start no service\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		own_policy=1
	fi
	{
		DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300 update &&
			DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300 \
				install --no-install-recommends "${missing[@]}"
	} >"$T/apt.log" 2>&1 || rc=$?
	((own_policy == 0)) || rm -f "$policy"
	if ((rc != 0)); then
		tail -n 30 "$T/apt.log" >&2
		vnet_skip "apt-get install ${missing[*]} failed (status $rc)"
	fi
	# Services these packages bring stay disabled: the tests run private instances.
	for p in "${missing[@]}"; do
		case $p in
		zabbix-server-pgsql) _eco_disable_service zabbix-server ;;
		postgresql | postgresql-[0-9]*) _eco_disable_service postgresql ;;
		prometheus-snmp-exporter) _eco_disable_service prometheus-snmp-exporter ;;
		snmpd) _eco_disable_service snmpd ;;
		esac
	done
	for p in "${missing[@]}"; do
		_eco_installed "$p" || vnet_skip "package $p still not installed after apt-get"
	done
}

# ---------------------------------------------------------------- ports

_eco_port_busy() { # PROTO PORT
	local flag=-Hltn
	[[ $1 == udp ]] && flag=-Hlun
	[[ -n $(ss "$flag" "sport = :$2" 2>/dev/null) ]]
}

# eco_free_port tcp|udp [MIN MAX]: print a random port in [MIN, MAX] (default
# 20000-32000) that nothing listens on.
eco_free_port() {
	local proto=$1 min=${2:-20000} max=${3:-32000} p i
	for ((i = 0; i < 50; i++)); do
		p=$((min + (RANDOM * 32768 + RANDOM) % (max - min + 1)))
		_eco_port_busy "$proto" "$p" || { printf '%s\n' "$p"; return 0; }
	done
	vnet_die "no free $proto port found in $min-$max"
}

# ---------------------------------------------------------------- snmpd

# eco_udp_get COMMUNITY OID: snmpget over UDP on 127.0.0.1:$ECO_SNMP_PORT, value only.
eco_udp_get() {
	env -u MIBS -u MIBDIRS timeout 20 snmpget -v2c -c "$1" -On -Oe -Oqv -t 1 -r 1 \
		"udp:127.0.0.1:$ECO_SNMP_PORT" "$2"
}

_eco_udp_answers() { # COMMUNITY: sysDescr.0 over UDP
	local v
	v=$(eco_udp_get "$1" "$VNET_OID_SYSDESCR" 2>/dev/null) || return 1
	[[ -n $v && $v != *"No Such"* ]]
}

# eco_snmpd_launch CONF [COMMUNITY]: run snmpd -C -c CONF (the caller's config,
# which must listen on udp:127.0.0.1:$ECO_SNMP_PORT and be an AgentX master on
# unix:$T/agentx.sock); wait until the AgentX socket exists and COMMUNITY
# (default public) reads sysDescr.0 over UDP.
eco_snmpd_launch() {
	local conf=$1 community=${2:-public} i
	command -v snmpd >/dev/null 2>&1 || vnet_skip "snmpd not installed (run tools/install-deps)"
	snmpd -f -Lf "$T/snmpd.log" -C -c "$conf" -p "$T/snmpd.pid" -M /dev/null </dev/null >/dev/null 2>&1 &
	VNET_SNMPD_PID=$!
	_vnet_track "$VNET_SNMPD_PID" snmpd
	for ((i = 0; i < 100; i++)); do
		[[ -S $T/agentx.sock ]] && break
		_vnet_alive "$VNET_SNMPD_PID" || break
		sleep 0.1
	done
	if ! [[ -S $T/agentx.sock ]] || ! vnet_wait_until 10 _eco_udp_answers "$community"; then
		_vnet_dump_file "$T/snmpd.log" 40
		vnet_die "private snmpd ($conf) does not answer on udp:127.0.0.1:$ECO_SNMP_PORT"
	fi
	vnet_log "snmpd (pid $VNET_SNMPD_PID) answers on udp:127.0.0.1:$ECO_SNMP_PORT, agentx at unix:$T/agentx.sock"
}

# eco_snmpd_start [EXTRA-LINE...]: lib.sh's private snmpd (unix sockets, communities
# public/private) plus udp:127.0.0.1:$ECO_SNMP_PORT where "public" reads everything.
eco_snmpd_start() {
	ECO_SNMP_PORT=$(eco_free_port udp)
	vnet_snmpd_start -a "unix:$T/snmp.sock,udp:127.0.0.1:$ECO_SNMP_PORT" \
		"com2sec vnetudp 127.0.0.1/32 public" "group vnetrogroup v2c vnetudp" "$@"
	if ! vnet_wait_until 10 _eco_udp_answers public; then
		_vnet_dump_file "$T/snmpd.log" 40
		vnet_die "private snmpd does not answer on udp:127.0.0.1:$ECO_SNMP_PORT"
	fi
}

# ---------------------------------------------------------------- the demo network

# eco_demo_up [RATE]: bridge demo0 (two ports, a host namespace behind each, UDP
# from host 2 to host 1 at RATE bit/s, default 2M) and the agent, attached.
eco_demo_up() {
	local rate=${1:-2M} h1 h2
	vnet_netns_create
	vnet_bridge_add demo0 2
	h1=$(vnet_host_of demo0 1)
	h2=$(vnet_host_of demo0 2)
	vnet_traffic_start "$h2" "$h1" "$rate"
	vnet_agent_start # SC2119: no extra configuration lines
	vnet_wait_networks 1
	ECO_DEMO_INDEX=$(vnet_index_of demo0)
	[[ -n $ECO_DEMO_INDEX ]] || vnet_die "demo0 not in vnetTable"
	vnet_log "demo0 is vnetIndex $ECO_DEMO_INDEX"
}

# eco_col COL IDX: one vnetTable cell (numeric).
eco_col() { vval "$VNET_OID_ENTRY.$1.$2"; }
