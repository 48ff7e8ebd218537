#!/usr/bin/env bash
# tests/ecosystem/zabbix-template.sh: static checks of conf/zabbix/vnet_by_snmp.yaml
# (no Zabbix needed; tests/ecosystem/zabbix.sh imports it into a real server).
#
#  - a Zabbix 6.0 YAML export: zabbix_export.version '6.0';
#  - every uuid is a UUIDv4 written as 32 lower-case hex digits, and unique;
#  - every preprocessing step has a parameters key;
#  - discovery over vnetName keyed by {#VNETNAME}: the exact SNMP OID
#    discovery[{#VNETNAME},1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.2];
#  - every item prototype key is keyed by [{#VNETNAME}] and never by
#    {#SNMPINDEX}, every item prototype OID ends in .{#SNMPINDEX};
#  - the bits/s items: CHANGE_PER_SECOND then MULTIPLIER 8 on the totals
#    (columns 15, 16); peak and mean: MULTIPLIER 8 on columns 11-14;
#  - a graph prototype and trigger prototypes comparing the peak with a user macro.

VNET_TEST_NAME="zabbix-template"
# shellcheck source=tests/ecosystem/eco-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/eco-lib.sh"

eco_init
vnet_need_tools awk grep sort
Y=$VNET_SRCDIR/conf/zabbix/vnet_by_snmp.yaml
[[ -r $Y ]] || vnet_die "missing $Y"

vnet_assert_eq "a Zabbix 6.0 export" "  version: '6.0'" "$(sed -n 2p "$Y")"
vnet_assert_eq "the file starts with zabbix_export:" "zabbix_export:" "$(sed -n 1p "$Y")"
if grep -q $'\t' "$Y"; then vnet_fail "no tab characters (YAML indentation)"; else vnet_pass "no tab characters (YAML indentation)"; fi

mapfile -t uuids < <(sed -nE 's/^[[:space:]]*(- )?uuid:[[:space:]]*//p' "$Y")
vnet_assert_cmp "the template has uuids (${#uuids[@]})" "${#uuids[@]}" -ge 10
bad=""
for u in "${uuids[@]}"; do
	[[ $u =~ ^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$ ]] || bad+="$u "
done
vnet_assert_eq "every uuid is a UUIDv4 in 32 lower-case hex digits" "" "$bad"
vnet_assert_eq "every uuid is unique" "" "$(printf '%s\n' "${uuids[@]}" | sort | uniq -d | tr '\n' ' ')"

# Every "- type:" directly under a "preprocessing:" is followed by "parameters:" at its indent + 2.
noparam=$(awk '
	function indent(s) { match(s, /^ */); return RLENGTH }
	/^ *preprocessing:/ { pre = indent($0); inpre = 1; next }
	inpre && indent($0) <= pre && $0 !~ /^ *$/ { inpre = 0 }
	inpre && /^ *- type:/ { step = indent($0) + 2; want = 1; where = NR; next }
	want && indent($0) == step && /^ *parameters:/ { want = 0; next }
	want && (indent($0) < step || /^ *- /) { print "line " where; want = 0 }
	END { if (want) print "line " where }' "$Y")
nsteps=$(grep -cE '^ *- type: (CHANGE_PER_SECOND|MULTIPLIER|[A-Z_]+)$' "$Y" || true)
vnet_assert_eq "every preprocessing step has a parameters key ($(grep -c '^ *preprocessing:' "$Y") preprocessing lists)" "" "$noparam"

vnet_assert_eq "one discovery rule over vnetName, keyed by {#VNETNAME}" \
	"          snmp_oid: 'discovery[{#VNETNAME},1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.2]'" \
	"$(grep -E 'snmp_oid: .discovery\[' "$Y")"

# Item prototypes: key, OID, preprocessing types, one line per prototype.
protos=$(awk '
	function indent(s) { match(s, /^ */); return RLENGTH }
	function flush() { if (key != "") printf "%s %s %s\n", key, oid, (pp == "" ? "-" : pp); key = ""; oid = ""; pp = "" }
	/^ *item_prototypes:/ { inp = 1; base = indent($0); next }
	inp && $0 !~ /^ *$/ && indent($0) <= base { flush(); inp = 0 }
	!inp { next }
	indent($0) == base + 2 && /^ *- uuid:/ { flush(); inpp = 0; next }
	indent($0) == base + 4 { inpp = ($0 ~ /^ *preprocessing:/) }
	indent($0) == base + 4 && /^ *key:/ { key = $2; gsub(/\047/, "", key) }
	indent($0) == base + 4 && /^ *snmp_oid:/ { oid = $2; gsub(/\047/, "", oid) }
	inpp && indent($0) == base + 6 && /^ *- type:/ { pp = pp (pp == "" ? "" : ",") $3 }
	inpp && indent($0) == base + 10 && /^ *- / { v = $2; gsub(/\047/, "", v); if (v != "") pp = pp ":" v }
	END { flush() }' "$Y")
printf '%s\n' "$protos" | sed 's/^/#   /'
n=$(grep -c . <<<"$protos")
vnet_assert_eq "8 item prototypes" 8 "$n"
vnet_assert_eq "every item prototype is keyed by [{#VNETNAME}], none by {#SNMPINDEX}" "" \
	"$(awk '$1 !~ /\[\{#VNETNAME\}\]$/ || $1 ~ /SNMPINDEX/' <<<"$protos")"
vnet_assert_eq "every item prototype OID is a vnetTable column . {#SNMPINDEX}" "" \
	"$(awk -v p="$VNET_OID_ENTRY." '!(index($2, p) == 1 && $2 ~ /\.\{#SNMPINDEX\}$/)' <<<"$protos")"
E=$VNET_OID_ENTRY
for want in \
	"vnet.bps.sent[{#VNETNAME}] $E.15.{#SNMPINDEX} CHANGE_PER_SECOND,MULTIPLIER:8" \
	"vnet.bps.received[{#VNETNAME}] $E.16.{#SNMPINDEX} CHANGE_PER_SECOND,MULTIPLIER:8" \
	"vnet.bps.sent.peak[{#VNETNAME}] $E.11.{#SNMPINDEX} MULTIPLIER:8" \
	"vnet.bps.sent.avg[{#VNETNAME}] $E.12.{#SNMPINDEX} MULTIPLIER:8" \
	"vnet.bps.received.peak[{#VNETNAME}] $E.13.{#SNMPINDEX} MULTIPLIER:8" \
	"vnet.bps.received.avg[{#VNETNAME}] $E.14.{#SNMPINDEX} MULTIPLIER:8" \
	"vnet.pps.dropped[{#VNETNAME}] $E.10.{#SNMPINDEX} -"; do
	vnet_assert_contains "prototype ${want%% *}: OID and preprocessing" "$want" "$protos"
done

vnet_assert_match "a graph prototype per network" "name: 'Virtual network \{#VNETNAME\}: traffic'" "$(grep -A1 -E '^ *graph_prototypes:' "$Y"; grep -E "name: 'Virtual network \{#VNETNAME\}: traffic'" "$Y")"
trig=$(grep -E "expression: 'last\(/VNET by SNMP/vnet\.bps\.(sent|received)\.peak\[\{#VNETNAME\}\]\)>\{\\\$VNET\.PEAK\.WARN:\"\{#VNETNAME\}\"\}'" "$Y" | grep -c . || true)
vnet_assert_eq "trigger prototypes: the peak (sent, received) against {\$VNET.PEAK.WARN:\"{#VNETNAME}\"}" 2 "$trig"
vnet_assert_match "the template defines {\$VNET.PEAK.WARN}" "macro: '\{\\\$VNET\.PEAK\.WARN\}'" "$(cat "$Y")"
vnet_log "$nsteps preprocessing steps"

vnet_finish
