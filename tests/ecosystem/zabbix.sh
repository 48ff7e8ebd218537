#!/usr/bin/env bash
# tests/ecosystem/zabbix.sh: conf/zabbix/vnet_by_snmp.yaml in a real Zabbix 6.0.
#
# Stands up, from Debian's own packages and entirely inside the temp dir:
#   - PostgreSQL: a private cluster (initdb as user postgres), unix socket in the
#     temp dir, no TCP listener; the Zabbix schema from /usr/share/zabbix-server-pgsql/;
#   - zabbix_server (private config: trapper on 127.0.0.1 and a random port, two
#     pollers, config cache refreshed every 2 s);
#   - the frontend's API: `php -S 127.0.0.1:<port> -t /usr/share/zabbix`, its
#     configuration (Debian reads /etc/zabbix/zabbix.conf.php) bind-mounted in a
#     private mount namespace of the php process only;
#   - a private snmpd (unix sockets + udp:127.0.0.1:<port>) with the agent attached,
#     bridge demo0 with two ports and steady UDP traffic between two host namespaces.
# Then, through the API: log in (Admin/zabbix), configuration.import the template,
# create a host with an SNMPv2 interface on the private snmpd, the template linked
# and short intervals in host macros; "check now" the discovery and the items.
# Asserts: discovery creates every item prototype for demo0, keyed by name, with
# the OID of the right column and demo0's vnetIndex; the graph and triggers exist;
# values arrive and match the agent's own numbers:
#   - bits/s sent and received (change per second of the totals, x8) = 8 x the
#     bytes of the agent's history rows that ended in the same interval / its length
#     (one edge second of tolerance);
#   - peak and mean (x8) = 8 x vnetBytes{Sent,Received}{Max,Avg} read just before and
#     just after the poll (within 2 %);
#   - port count, drops and the network count exactly;
#   - the peak trigger fires once {$VNET.PEAK.WARN:"demo0"} is set below the traffic.
# Installs what it needs (apt-get); under CI=true anything missing is a failure.
# Everything started is stopped and everything created removed on exit.

# shellcheck disable=SC2119,SC2317  # SC2317: helpers called through vnet_wait_until and traps
VNET_TEST_NAME=zabbix
# shellcheck source=tests/ecosystem/eco-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/eco-lib.sh"

TEMPLATE=$VNET_SRCDIR/conf/zabbix/vnet_by_snmp.yaml
TEMPLATE_NAME='VNET by SNMP'
DEADLINE_S=${ECO_ZABBIX_DEADLINE:-300}

eco_init
vnet_need_root
vnet_need_agent
[[ -r $TEMPLATE ]] || vnet_die "missing $TEMPLATE"
eco_install zabbix-server-pgsql zabbix-frontend-php php-cli php-pgsql postgresql \
	snmp snmpd iperf3 iproute2 curl jq util-linux
vnet_need_tools ip snmpd snmpget snmpbulkwalk iperf3 zabbix_server php curl jq setpriv unshare mount ss zcat
getent passwd postgres >/dev/null || vnet_skip "no user postgres (the postgresql package creates it)"
getent passwd zabbix >/dev/null || vnet_skip "no user zabbix (zabbix-server-pgsql creates it)"
PGBIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)
[[ -n $PGBIN && -x $PGBIN/initdb && -x $PGBIN/postgres && -x $PGBIN/psql ]] ||
	vnet_skip "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
SQLDIR=/usr/share/zabbix-server-pgsql
WEBROOT=/usr/share/zabbix
[[ -r $WEBROOT/api_jsonrpc.php ]] || vnet_skip "no $WEBROOT/api_jsonrpc.php (zabbix-frontend-php)"

T0=$(_vnet_elapsed_ms)
_since() { printf '%d.%01d s' $((($(_vnet_elapsed_ms) - T0) / 1000)) $(((($(_vnet_elapsed_ms) - T0) % 1000) / 100)); }
_check_deadline() {
	(($(_vnet_elapsed_ms) - T0 < DEADLINE_S * 1000)) || vnet_die "over the time budget of ${DEADLINE_S}s: $*"
}

PG_PID="" ZBX_PID="" PHP_PID=""

# ---------------------------------------------------------------- cleanup hook
# Stop php, zabbix_server and postgres with time to do it properly (lib.sh's
# generic stop gives 3 s, then SIGKILL, which would orphan their children).
_zbx_cleanup() {
	if ((ECO_EXIT_RC != 0 && ECO_EXIT_RC != 77)); then
		_vnet_dump_file "$T/zbx/server.log" 60
		_vnet_dump_file "$T/web/php.log" 20
		_vnet_dump_file "$T/pg/postgres.log" 20
	fi
	[[ -z $PHP_PID ]] || vnet_stop_pid "$PHP_PID" 5 >/dev/null 2>&1 || true
	[[ -z $ZBX_PID ]] || vnet_stop_pid "$ZBX_PID" 60 >/dev/null 2>&1 || true
	if [[ -n $PG_PID ]]; then
		kill -INT "$PG_PID" 2>/dev/null || true # fast shutdown
		vnet_stop_pid "$PG_PID" 30 >/dev/null 2>&1 || true
	fi
}
eco_on_exit_hook _zbx_cleanup

# ---------------------------------------------------------------- SNMP side
eco_snmpd_start
eco_demo_up 2M
IDX=$ECO_DEMO_INDEX
vnet_log "snmpd + agent + demo0 ready at $(_since)"

# ---------------------------------------------------------------- PostgreSQL
PGPORT=$(eco_free_port tcp 40000 49000)
PGDIR=$T/pg
mkdir -p "$PGDIR"
chown postgres:postgres "$PGDIR"
chmod 755 "$PGDIR"
_as_postgres() { (cd "$PGDIR" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"); }
_as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -U zabbix -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
	>"$T/initdb.log" 2>&1 || { tail -n 20 "$T/initdb.log"; vnet_die "initdb failed"; }
# Socket only: listen_addresses='' (no TCP at all); the port only names the socket file.
(cd "$PGDIR" && exec setpriv --reuid=postgres --regid=postgres --init-groups -- \
	"$PGBIN/postgres" -D "$PGDIR/data" -k "$PGDIR" -p "$PGPORT" -c listen_addresses= \
	-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50) \
	</dev/null >"$PGDIR/postgres.log" 2>&1 &
PG_PID=$!
_vnet_track "$PG_PID" postgres
PSQL=("$PGBIN/psql" -X -q -h "$PGDIR" -p "$PGPORT" -U zabbix -v ON_ERROR_STOP=1)
_pg_ready() { _vnet_alive "$PG_PID" && "${PSQL[@]}" -d postgres -tAc 'select 1' >/dev/null 2>&1; }
vnet_wait_until 30 _pg_ready || vnet_die "PostgreSQL did not start"
tcp=$(ss -Hltnp 2>/dev/null | grep -c "pid=$PG_PID," || true)
vnet_assert_eq "PostgreSQL listens on no TCP port (unix socket in the temp dir only)" 0 "$tcp"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE zabbix WITH ENCODING 'UTF8' TEMPLATE template0" >/dev/null
for f in schema images data; do
	src=""
	for c in "$SQLDIR/$f.sql.gz" "$SQLDIR/$f.sql"; do [[ -r $c ]] && { src=$c; break; }; done
	[[ -n $src ]] || vnet_skip "no $SQLDIR/$f.sql(.gz) (zabbix-server-pgsql)"
	zcat -f "$src" | "${PSQL[@]}" -d zabbix >"$T/sql-$f.log" 2>&1 || { tail -n 20 "$T/sql-$f.log"; vnet_die "loading $src failed"; }
done
vnet_log "PostgreSQL (pid $PG_PID, socket $PGDIR/.s.PGSQL.$PGPORT) holds the Zabbix schema at $(_since)"

# ---------------------------------------------------------------- zabbix_server
ZBXPORT=$(eco_free_port tcp 20000 32000)
ZDIR=$T/zbx
mkdir -p "$ZDIR/persist"
chown -R zabbix:zabbix "$ZDIR"
cat >"$ZDIR/zabbix_server.conf" <<EOF
# private zabbix_server for vnet-agentx's tests
LogType=file
LogFile=$ZDIR/server.log
LogFileSize=0
DebugLevel=3
PidFile=$ZDIR/server.pid
SocketDir=$ZDIR
TmpDir=$ZDIR
DBHost=$PGDIR
DBPort=$PGPORT
DBName=zabbix
DBUser=zabbix
ListenIP=127.0.0.1
ListenPort=$ZBXPORT
StartPollers=2
StartPollersUnreachable=1
StartPreprocessors=1
StartTrappers=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTimers=1
StartEscalators=1
StartAlerters=1
StartDBSyncers=1
StartLLDProcessors=1
StartHistoryPollers=1
StartProxyPollers=0
StartReportWriters=0
StartSNMPTrapper=0
CacheUpdateFrequency=2
HousekeepingFrequency=0
UnreachablePeriod=45
UnavailableDelay=5
UnreachableDelay=2
Timeout=4
CacheSize=32M
AllowUnsupportedDBVersions=1
EOF
# net-snmp inside zabbix_server reads $SNMPCONFPATH (lib.sh: "mibs :" only) and
# writes its persistent files in a directory the zabbix user owns.
SNMP_PERSISTENT_DIR=$ZDIR/persist zabbix_server -f -c "$ZDIR/zabbix_server.conf" </dev/null >"$ZDIR/stdout.log" 2>&1 &
ZBX_PID=$!
_vnet_track "$ZBX_PID" zabbix_server
_zbx_ready() { _vnet_alive "$ZBX_PID" && grep -q 'started \[poller #1\]' "$ZDIR/server.log" 2>/dev/null; }
if ! vnet_wait_until 60 _zbx_ready; then
	_vnet_dump_file "$ZDIR/stdout.log" 20
	vnet_die "zabbix_server did not start its pollers within 60 s"
fi
vnet_log "zabbix_server (pid $ZBX_PID, trapper 127.0.0.1:$ZBXPORT) running at $(_since)"

# ---------------------------------------------------------------- frontend API
PHPPORT=$(eco_free_port tcp 32001 39999)
mkdir -p "$T/web/etc"
cat >"$T/web/etc/zabbix.conf.php" <<EOF
<?php
// private frontend configuration for vnet-agentx's tests
\$DB['TYPE']     = 'POSTGRESQL';
\$DB['SERVER']   = '$PGDIR';
\$DB['PORT']     = '$PGPORT';
\$DB['DATABASE'] = 'zabbix';
\$DB['USER']     = 'zabbix';
\$DB['PASSWORD'] = '';
\$DB['SCHEMA']   = '';
\$DB['ENCRYPTION'] = false;
\$DB['KEY_FILE'] = '';
\$DB['CERT_FILE'] = '';
\$DB['CA_FILE'] = '';
\$DB['VERIFY_HOST'] = false;
\$DB['CIPHER_LIST'] = '';
\$DB['VAULT_URL'] = '';
\$DB['VAULT_DB_PATH'] = '';
\$DB['VAULT_TOKEN'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER      = '127.0.0.1';
\$ZBX_SERVER_PORT = '$ZBXPORT';
\$ZBX_SERVER_NAME = 'vnet-agentx test';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
EOF
# Debian's frontend reads /etc/zabbix/zabbix.conf.php (CConfigFile::CONFIG_FILE_PATH):
# give the php process, and only it, a private mount namespace where /etc/zabbix is ours.
# shellcheck disable=SC2016  # the inner script's variables are the inner shell's
unshare --mount --propagation private -- sh -c \
	'mount --bind "$1" /etc/zabbix && exec php -d memory_limit=512M -d max_execution_time=300 \
		-d post_max_size=16M -d date.timezone=UTC -S "127.0.0.1:$2" -t "$3"' \
	sh "$T/web/etc" "$PHPPORT" "$WEBROOT" </dev/null >"$T/web/php.log" 2>&1 &
PHP_PID=$!
_vnet_track "$PHP_PID" "php -S"
ZBX_URL=http://127.0.0.1:$PHPPORT/api_jsonrpc.php
ZBX_AUTH=""

# zapi METHOD PARAMS-JSON: call the API; print .result (compact JSON); fail on .error.
zapi() {
	local req resp
	req=$(jq -cn --arg m "$1" --argjson p "$2" --arg a "$ZBX_AUTH" \
		'{jsonrpc: "2.0", method: $m, params: $p, id: 1} + (if $a == "" then {} else {auth: $a} end)')
	resp=$(curl -sS --max-time 60 -H 'Content-Type: application/json-rpc' --data-binary @- "$ZBX_URL" <<<"$req") || {
		printf 'zapi %s: HTTP request failed\n' "$1" >&2
		return 1
	}
	if ! jq -e 'has("result")' <<<"$resp" >/dev/null 2>&1; then
		printf 'zapi %s: %s\n' "$1" "$(head -c 2000 <<<"$resp")" >&2
		return 1
	fi
	jq -c '.result' <<<"$resp"
}

_api_ready() { _vnet_alive "$PHP_PID" && zapi apiinfo.version '{}' >/dev/null; }
vnet_wait_until 30 _api_ready || vnet_die "the frontend API does not answer on $ZBX_URL"
ver=$(zapi apiinfo.version '{}' | jq -r .)
vnet_assert_match "the API answers: Zabbix $ver" '^6\.0\.' "$ver"

ZBX_AUTH=$(zapi user.login '{"username": "Admin", "password": "zabbix"}' | jq -r .)
[[ $ZBX_AUTH =~ ^[0-9a-f]{32}$ ]] || vnet_die "user.login failed: $ZBX_AUTH"
vnet_log "frontend API on 127.0.0.1:$PHPPORT, logged in at $(_since)"

# The schema's own "Zabbix server" host polls a Zabbix agent nobody runs here: disable it.
zsrv=$(zapi host.get '{"filter": {"host": ["Zabbix server"]}, "output": ["hostid"]}' | jq -r '.[0].hostid // empty')
[[ -z $zsrv ]] || zapi host.update "$(jq -cn --arg h "$zsrv" '{hostid: $h, status: 1}')" >/dev/null

# ---------------------------------------------------------------- import
rules='{
	"groups": {"createMissing": true},
	"templates": {"createMissing": true, "updateExisting": true},
	"templateLinkage": {"createMissing": true},
	"items": {"createMissing": true, "updateExisting": true},
	"discoveryRules": {"createMissing": true, "updateExisting": true},
	"triggers": {"createMissing": true, "updateExisting": true},
	"graphs": {"createMissing": true, "updateExisting": true},
	"valueMaps": {"createMissing": true, "updateExisting": true}
}'
params=$(jq -n --rawfile src "$TEMPLATE" --argjson rules "$rules" '{format: "yaml", source: $src, rules: $rules}')
rc=0
out=$(zapi configuration.import "$params" 2>&1) || rc=$?
vnet_assert_eq "configuration.import accepts the template ($out)" "0 true" "$rc $out"
((rc == 0)) || vnet_die "the template did not import; nothing else to test"

tpl=$(zapi template.get "$(jq -cn --arg n "$TEMPLATE_NAME" '{filter: {host: [$n]}, output: ["templateid", "uuid"],
	selectDiscoveries: ["key_", "snmp_oid"], selectMacros: ["macro", "value"]}')")
TPLID=$(jq -r '.[0].templateid // empty' <<<"$tpl")
[[ -n $TPLID ]] || vnet_die "template '$TEMPLATE_NAME' not found after import"
vnet_assert_eq "the imported template has the discovery rule over vnetName" \
	'discovery[{#VNETNAME},1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.2]' "$(jq -r '.[0].discoveries[0].snmp_oid' <<<"$tpl")"
n=$(zapi itemprototype.get "$(jq -cn --arg t "$TPLID" '{templateids: [$t], output: ["key_"]}')" | jq length)
vnet_assert_eq "the template has 8 item prototypes" 8 "$n"
n=$(zapi triggerprototype.get "$(jq -cn --arg t "$TPLID" '{templateids: [$t], output: ["triggerid"]}')" | jq length)
vnet_assert_eq "the template has 2 trigger prototypes" 2 "$n"
n=$(zapi graphprototype.get "$(jq -cn --arg t "$TPLID" '{templateids: [$t], output: ["graphid"]}')" | jq length)
vnet_assert_eq "the template has 1 graph prototype" 1 "$n"
# A second import of the same file changes nothing and fails nothing (uuids are stable).
rc=0
out=$(zapi configuration.import "$params" 2>&1) || rc=$?
vnet_assert_eq "re-importing the template succeeds ($out)" "0 true" "$rc $out"

# ---------------------------------------------------------------- the host
GROUPID=$(zapi hostgroup.get '{"filter": {"name": ["Linux servers"]}, "output": ["groupid"]}' | jq -r '.[0].groupid // empty')
if [[ -z $GROUPID ]]; then
	GROUPID=$(zapi hostgroup.create '{"name": "vnet-agentx test"}' | jq -r '.groupids[0]')
fi
hostparams=$(jq -cn --arg g "$GROUPID" --arg t "$TPLID" --arg port "$ECO_SNMP_PORT" '{
	host: "vnet-agentx-test", groups: [{groupid: $g}], templates: [{templateid: $t}],
	interfaces: [{type: 2, main: 1, useip: 1, ip: "127.0.0.1", dns: "", port: $port,
		details: {version: 2, bulk: 1, community: "{$SNMP_COMMUNITY}"}}],
	macros: [
		{macro: "{$SNMP_COMMUNITY}", value: "public"},
		{macro: "{$VNET.ITEM.INTERVAL}", value: "5s"},
		{macro: "{$VNET.LLD.INTERVAL}", value: "10s"}
	]}')
HOSTID=$(zapi host.create "$hostparams" | jq -r '.hostids[0] // empty')
[[ -n $HOSTID ]] || vnet_die "host.create failed"
vnet_pass "host created (SNMPv2 interface udp:127.0.0.1:$ECO_SNMP_PORT, template linked)"

LLDID=$(zapi discoveryrule.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], output: ["itemid"]}')" | jq -r '.[0].itemid // empty')
[[ -n $LLDID ]] || vnet_die "the host has no discovery rule"

# check_now ITEMID...: ask the server to poll these now (ignored until its config cache has them).
check_now() {
	local id tasks='[]'
	for id in "$@"; do tasks=$(jq -c --arg i "$id" '. + [{type: 6, request: {itemid: $i}}]' <<<"$tasks"); done
	zapi task.create "$tasks" >/dev/null || true
}

EXPECTED_KEYS=(
	"vnet.bps.sent[demo0]:15" "vnet.bps.received[demo0]:16"
	"vnet.bps.sent.peak[demo0]:11" "vnet.bps.sent.avg[demo0]:12"
	"vnet.bps.received.peak[demo0]:13" "vnet.bps.received.avg[demo0]:14"
	"vnet.pps.dropped[demo0]:10" "vnet.ports[demo0]:5"
)
ITEMS_JSON='[]'
_discovered() {
	ITEMS_JSON=$(zapi item.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], output: ["itemid", "key_", "snmp_oid",
		"value_type", "state", "error", "lastclock", "lastvalue", "flags"], search: {key_: "[demo0]"}}')") || return 1
	(($(jq length <<<"$ITEMS_JSON") >= ${#EXPECTED_KEYS[@]}))
}
t_lld=$(_vnet_elapsed_ms)
sleep 3 # the server's configuration cache (CacheUpdateFrequency=2) learns the host
for ((try = 0; try < 12; try++)); do
	check_now "$LLDID"
	vnet_wait_until 8 _discovered && break
	_check_deadline "waiting for discovery"
done
if _discovered; then
	vnet_pass "discovery created the items of demo0 in $((($(_vnet_elapsed_ms) - t_lld) / 1000)) s"
else
	lld=$(zapi discoveryrule.get "$(jq -cn --arg i "$LLDID" '{itemids: [$i], output: ["state", "error", "lastclock"]}')" || true)
	vnet_fail "discovery created the items of demo0" "items: $ITEMS_JSON" "rule: $lld"
	vnet_die "no discovered items; see the server log"
fi

declare -A ITEMID=() VTYPE=()
for kc in "${EXPECTED_KEYS[@]}"; do
	key=${kc%:*} col=${kc##*:}
	row=$(jq -c --arg k "$key" '[.[] | select(.key_ == $k)][0] // empty' <<<"$ITEMS_JSON")
	if [[ -z $row ]]; then
		vnet_fail "discovered item $key exists" "items: $(jq -c '[.[].key_]' <<<"$ITEMS_JSON")"
		continue
	fi
	ITEMID[$key]=$(jq -r .itemid <<<"$row")
	VTYPE[$key]=$(jq -r .value_type <<<"$row")
	vnet_assert_eq "discovered item $key (flags 4) polls vnetTable column $col of demo0 (vnetIndex $IDX)" \
		"4 $VNET_OID_ENTRY.$col.$IDX" "$(jq -r '.flags + " " + .snmp_oid' <<<"$row")"
done
((${#ITEMID[@]} == ${#EXPECTED_KEYS[@]})) || vnet_die "some items were not discovered"

# Graph and triggers discovered for demo0.
g=$(zapi graph.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], output: ["name", "flags"], selectItems: ["key_"]}')")
vnet_assert_eq "graph 'Virtual network demo0: traffic' discovered with 4 items" \
	"Virtual network demo0: traffic 4" "$(jq -r '[.[] | select(.name == "Virtual network demo0: traffic")][0] | "\(.name) \(.items | length)"' <<<"$g")"
trig=$(zapi trigger.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], output: ["triggerid", "description", "value", "flags"],
	expandDescription: true}')")
names=$(jq -r '.[].description' <<<"$trig" | sort)
vnet_assert_contains "trigger discovered: peak sent above the default threshold" \
	"Virtual network demo0: one-second peak sent above 1000000000 bps" "$names"
vnet_assert_contains "trigger discovered: peak received above the default threshold" \
	"Virtual network demo0: one-second peak received above 1000000000 bps" "$names"
vnet_log "discovery checked at $(_since)"

# ---------------------------------------------------------------- values
all_ids=()
for key in "${!ITEMID[@]}"; do all_ids+=("${ITEMID[$key]}"); done
COUNTID=$(zapi item.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], filter: {key_: ["vnet.count"]}, output: ["itemid"]}')" | jq -r '.[0].itemid')
all_ids+=("$COUNTID")

# hist KEY N: the newest N values of an item, "clock.ns<TAB>value" lines, newest first.
hist() {
	local id=${ITEMID[$1]:-$1} vt=${VTYPE[$1]:-3}
	zapi history.get "$(jq -cn --arg i "$id" --argjson vt "$vt" --argjson n "$2" \
		'{itemids: [$i], history: $vt, sortfield: "clock", sortorder: "DESC", limit: $n, output: "extend"}')" |
		jq -r '.[] | "\(.clock).\(.ns | tostring | ("000000000" + .)[-9:])\t\(.value)"'
}
_nvalues() { # KEY: number of stored values (up to 3)
	hist "$1" 3 | wc -l
}
_values_flow() {
	local k
	for k in "vnet.bps.sent[demo0]" "vnet.bps.received[demo0]"; do
		(($(_nvalues "$k") >= 2)) || return 1
	done
	for k in "vnet.bps.sent.peak[demo0]" "vnet.bps.sent.avg[demo0]" "vnet.bps.received.peak[demo0]" \
		"vnet.bps.received.avg[demo0]" "vnet.pps.dropped[demo0]" "vnet.ports[demo0]" "$COUNTID"; do
		(($(_nvalues "$k") >= 1)) || return 1
	done
}
t_val=$(_vnet_elapsed_ms)
sleep 3 # the configuration cache learns the discovered items
check_now "${all_ids[@]}"
for ((try = 0; try < 8; try++)); do
	vnet_wait_until 10 _values_flow && break
	check_now "${all_ids[@]}"
	_check_deadline "waiting for values"
done
if _values_flow; then
	vnet_pass "values arrive for every item ($((($(_vnet_elapsed_ms) - t_val) / 1000)) s after discovery)"
else
	st=$(zapi item.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], output: ["key_", "state", "error", "lastclock"]}')" || true)
	vnet_fail "values arrive for every item" "$st"
	vnet_die "no values; see the server log"
fi
st=$(zapi item.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], output: ["key_", "state", "error"]}')" |
	jq -r '.[] | select(.state != "0") | "\(.key_): \(.error)"')
vnet_assert_eq "no item is unsupported" "" "$st"

# Exact ones: the network count, the port count, drops.
vnet_assert_eq "vnet.count = vnetNumber.0" "$(vval "$VNET_OID_NUMBER")" "$(hist "$COUNTID" 1 | cut -f2)"
vnet_assert_eq "vnet.ports[demo0] = vnetPortCount (2)" "$(eco_col "$VNET_COL_PORTCOUNT" "$IDX")" "$(hist "vnet.ports[demo0]" 1 | cut -f2)"
vnet_assert_match "vnet.pps.dropped[demo0] is a count (agent says $(eco_col "$VNET_COL_PKTS_DROP" "$IDX") now)" \
	'^[0-9]+$' "$(hist "vnet.pps.dropped[demo0]" 1 | cut -f2)"

# bits/s from the totals vs the agent's own history over the same interval.
# history_rows COL: "end-time-in-seconds<TAB>bytes" of demo0's last 60 seconds.
history_rows() {
	local tfile=$T/h-time.txt vfile=$T/h-val.txt
	vnet_history_rows "$IDX" "$VNET_HCOL_TIME" >"$tfile"
	vnet_history_rows "$IDX" "$1" >"$vfile"
	while IFS=$'\t' read -r s hex; do
		printf '%s\t%s\n' "$s" "$(vnet_dat_to_ds "$hex")"
	done <"$tfile" | awk -F'\t' 'NR == FNR { t[$1] = $2; next } ($1 in t) { printf "%.1f\t%s\n", t[$1] / 10, $2 }' - "$vfile"
}
check_rate() { # KEY HISTORY-COLUMN WHAT
	local key=$1 col=$2 what=$3 h c2 c3 v3 rows verdict rc
	h=$(hist "$key" 2)
	c3=$(sed -n 1p <<<"$h" | cut -f1) v3=$(sed -n 1p <<<"$h" | cut -f2)
	c2=$(sed -n 2p <<<"$h" | cut -f1)
	rows=$(history_rows "$col")
	rc=0
	verdict=$(awk -F'\t' -v c2="$c2" -v c3="$c3" -v v="$v3" '
		$1 > c2 && $1 <= c3 { s += $2; n++ }
		$1 > c2 - 2 && $1 <= c3 + 2 && $2 > m { m = $2 }
		END {
			dt = c3 - c2
			if (n == 0 || dt <= 0) { printf "no agent rows in (%s, %s]", c2, c3; exit 1 }
			want = 8 * s / dt; tol = 8 * m / dt + want * 0.01
			d = v - want; if (d < 0) d = -d
			printf "zabbix %.0f bps, agent %.0f bps over %.2f s (%d rows), tolerance %.0f", v, want, dt, n, tol
			exit (d <= tol && v > 0) ? 0 : 1
		}' <<<"$rows" 2>&1) || rc=$?
	if ((rc == 0)); then vnet_pass "$key = 8 x $what over the same interval: $verdict"; else vnet_fail "$key = 8 x $what over the same interval" "$verdict"; fi
}
check_rate "vnet.bps.sent[demo0]" "$VNET_HCOL_BYTES_SENT" "agent's vnetHistoryBytesSent"
check_rate "vnet.bps.received[demo0]" "$VNET_HCOL_BYTES_RECV" "agent's vnetHistoryBytesReceived"

# Peak and mean: agent before, a fresh poll, agent after.
GAUGES=("vnet.bps.sent.peak[demo0]:$VNET_COL_SENT_MAX" "vnet.bps.sent.avg[demo0]:$VNET_COL_SENT_AVG"
	"vnet.bps.received.peak[demo0]:$VNET_COL_RECV_MAX" "vnet.bps.received.avg[demo0]:$VNET_COL_RECV_AVG")
declare -A A0=() A1=()
for kc in "${GAUGES[@]}"; do A0[${kc%:*}]=$(eco_col "${kc##*:}" "$IDX"); done
tb=$(date +%s.%N)
_fresh() {
	local kc c
	for kc in "${GAUGES[@]}"; do
		c=$(hist "${kc%:*}" 1 | cut -f1)
		awk -v c="${c:-0}" -v t="$tb" 'BEGIN { exit !(c > t) }' || return 1
	done
}
gids=()
for kc in "${GAUGES[@]}"; do gids+=("${ITEMID[${kc%:*}]}"); done
check_now "${gids[@]}"
vnet_wait_until 20 _fresh || vnet_fail "fresh values of the peak and mean items within 20 s"
for kc in "${GAUGES[@]}"; do A1[${kc%:*}]=$(eco_col "${kc##*:}" "$IDX"); done
for kc in "${GAUGES[@]}"; do
	key=${kc%:*} col=${kc##*:}
	v=$(hist "$key" 1 | cut -f2)
	verdict=$(awk -v v="$v" -v a="${A0[$key]}" -v b="${A1[$key]}" 'BEGIN {
		lo = (a < b ? a : b) * 8 * 0.98; hi = (a > b ? a : b) * 8 * 1.02
		printf "zabbix %s, agent 8 x [%s, %s]", v, a, b
		exit !(v >= lo && v <= hi && v > 0) }') && rc=0 || rc=$?
	if ((rc == 0)); then vnet_pass "$key = 8 x vnetTable column $col: $verdict"; else vnet_fail "$key = 8 x vnetTable column $col" "$verdict"; fi
done
sent_peak=$(hist "vnet.bps.sent.peak[demo0]" 1 | cut -f2)
vnet_assert_cmp "the sent peak is at least the 2 Mbit/s of the traffic ($sent_peak bps)" "${sent_peak%.*}" -ge 2000000
vnet_log "values checked at $(_since)"

# ---------------------------------------------------------------- the peak trigger
zapi usermacro.create "$(jq -cn --arg h "$HOSTID" '{hostid: $h, macro: "{$VNET.PEAK.WARN:\"demo0\"}", value: "100000"}')" >/dev/null
_fired() {
	local t
	t=$(zapi trigger.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], output: ["description", "value"], expandDescription: true,
		filter: {value: 1}}')") || return 1
	jq -e 'map(select(.description | test("demo0: one-second peak sent above 100000 bps"))) | length == 1' <<<"$t" >/dev/null
}
sleep 3
k='vnet.bps.sent.peak[demo0]'
check_now "${ITEMID[$k]}"
if vnet_wait_until 30 _fired; then
	vnet_pass "with {\$VNET.PEAK.WARN:\"demo0\"} = 100000 the peak-sent trigger of demo0 fires"
else
	vnet_fail "with {\$VNET.PEAK.WARN:\"demo0\"} = 100000 the peak-sent trigger of demo0 fires" \
		"$(zapi trigger.get "$(jq -cn --arg h "$HOSTID" '{hostids: [$h], output: ["description", "value", "error"], expandDescription: true}')" || true)"
fi

vnet_log "total $(_since)"
vnet_finish
