#!/usr/bin/env bash
# tests/integration/reload.sh: SIGHUP re-reads the configuration.
#
#  - include/exclude and configured networks take effect at the next tick;
#  - networks that stay keep their vnetIndex and their history;
#  - a reload with an error in the file keeps the running configuration,
#    and the log names the file and line;
#  - -t / --check-config validates a file without connecting.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

vnet_need_root
vnet_need_tools ip snmpd snmpget snmpbulkwalk
vnet_test_init

# ---------------------------------------------------------------- -t
good=$T/check-good.conf bad=$T/check-bad.conf
printf 'vnetStateDir %s\nvnetInclude br*\n' "$T/check-state" >"$good"
printf 'vnetStateDir %s\nvnetExclude\n' "$T/check-state" >"$bad"
out=$("$VNET_AGENTX" -t -C -c "$good" 2>&1) && rc=0 || rc=$?
vnet_assert_eq "-t with a good file exits 0" 0 "$rc"
vnet_assert_contains "-t says the configuration is OK" "configuration OK" "$out"
out=$(timeout 5 "$VNET_AGENTX" --check-config -C -c "$bad" -x "unix:$T/none.sock" 2>&1) && rc=0 || rc=$?
vnet_assert_eq "--check-config with a bad file exits 1" 1 "$rc"
vnet_assert_contains "--check-config names the file and line" "$bad: line 2" "$out"

# ---------------------------------------------------------------- reload
vnet_snmpd_start >/dev/null
vnet_netns_create >/dev/null
vnet_bridge_add br0 1
vnet_bridge_add br1 0
vnet_bridge_add br2 0
vnet_plain_link lan0a
vnet_plain_link lan0b
vnet_agent_start "vnetInclude br0 br1"
vnet_wait_networks 2

i0=$(vnet_index_of br0)
i1=$(vnet_index_of br1)
vnet_assert_match "br0 and br1 have indexes" '^[0-9]+ [0-9]+$' "$i0 $i1"
sleep 3
rows_before=$(vwalk "$VNET_OID_HENTRY.$VNET_HCOL_BYTES_SENT.$i0" | grep -c . || true)

vnet_agent_conf "vnetInclude br0 br2" "vnetNetwork lan0 lan0?"
kill -HUP "$VNET_AGENT_PID"
vnet_wait_networks 3 5

vnet_assert_eq "br0 keeps its vnetIndex" "$i0" "$(vnet_index_of br0)"
vnet_assert_eq "br1 is no longer served" "" "$(vnet_index_of br1)"
i2=$(vnet_index_of br2)
vnet_assert_match "br2 is served" '^[0-9]+$' "$i2"
il=$(vnet_index_of lan0)
vnet_assert_match "the configured network lan0 is served" '^[0-9]+$' "$il"
vnet_assert_eq "lan0 is configured(2)" 2 "$(vval "$VNET_OID_ENTRY.$VNET_COL_TYPE.$il")"
vnet_assert_eq "lan0 has the two matching links" 2 "$(vval "$VNET_OID_ENTRY.$VNET_COL_PORTCOUNT.$il")"
rows_after=$(vwalk "$VNET_OID_HENTRY.$VNET_HCOL_BYTES_SENT.$i0" | grep -c . || true)
vnet_assert_cmp "br0 keeps its history across the reload ($rows_before -> $rows_after rows)" \
	"$rows_after" -gt "$rows_before"
vnet_assert_cmp "br2 gets a new index" "$i2" -gt "$i1"

# A broken file: logged with file and line, the running set stays.
cp "$T/vnet.conf" "$T/vnet.conf.good"
printf 'vnetInclude br[\n' >>"$T/vnet.conf"
kill -HUP "$VNET_AGENT_PID"
sleep 2.5
log=$(cat "$T/agent.log")
vnet_assert_contains "a bad reload names the file and line" \
	"$T/vnet.conf: line 5: Error:" "$log"
vnet_assert_contains "a bad reload keeps the running configuration" \
	"keeping the running configuration" "$log"
vnet_assert_eq "after a bad reload: still 3 networks" 3 "$(vval "$VNET_OID_NUMBER")"
vnet_assert_eq "after a bad reload: br0 still there" "$i0" "$(vnet_index_of br0)"
vnet_assert_eq "after a bad reload: lan0 still there" "$il" "$(vnet_index_of lan0)"

vnet_agent_stop
vnet_assert_eq "SIGTERM after reloads: exit 0" 0 "$VNET_AGENT_RC"
vnet_finish
