#!/usr/bin/env bash
# tests/ecosystem/conf-oids.sh: every VNET-MIB OID named in conf/ exists in VNET-MIB.
#
# No agent, no daemon: snmptranslate with VNET-MIB loaded (SMIv2 base modules from
# tests/mibpath.sh).  Collected from every file under conf/:
#   - numeric OIDs under vnetMIB (1.3.6.1.4.1.8072.9999.9999.2005), with or without
#     a leading dot, possibly followed by an index placeholder ({#SNMPINDEX},
#     {{ $index }}) or by instance sub-identifiers (the snmprec capture);
#   - VNET-MIB::name references;
#   - in the manager configurations (conf/zabbix, conf/prometheus, conf/librenms,
#     conf/snmpd.conf.d; not the agent's own conf/vnet-agentx.conf, whose vnet*
#     words are directives), every bare vnetXxx word.
# Each must resolve with snmptranslate to a VNET-MIB object, and an instance must
# fit the object: ".0" after a scalar, exactly as many index sub-identifiers as
# the table's INDEX has after a column (a placeholder counts as one), nothing
# after anything else.

VNET_TEST_NAME="conf-oids"
# shellcheck source=tests/ecosystem/eco-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/eco-lib.sh"

eco_init
vnet_need_tools snmptranslate awk grep sort
CONF=$VNET_SRCDIR/conf
[[ -d $CONF ]] || vnet_die "no $CONF"
vnet_mib_setup "$T/mibs" >/dev/null || vnet_skip "SMIv2 base modules not available (install erlang-snmp)"

tr_() { env -u MIBS snmptranslate -m VNET-MIB "$@" 2>/dev/null; }
got=$(tr_ -On VNET-MIB::vnetMIB)
[[ $got == ".$VNET_ROOT" ]] || vnet_die "VNET-MIB does not load (snmptranslate VNET-MIB::vnetMIB gave '$got')"

# Every node of VNET-MIB: OID -> name (-Tz lists the loaded tree as "name" "oid").
declare -A NAME_OF=() OID_OF=()
while read -r name oid; do
	NAME_OF[$oid]=$name
	OID_OF[$name]=$oid
done < <(tr_ -Tz | tr -d '"' | awk -v r="$VNET_ROOT" '$2 == r || index($2, r ".") == 1 { print $1, $2 }')
vnet_assert_cmp "VNET-MIB defines objects under $VNET_ROOT (${#NAME_OF[@]} nodes)" "${#NAME_OF[@]}" -gt 40

# kind NAME: set KIND_OF to "scalar", "column N" (N = index components of its
# table) or "node"; cached (no subshell, so the cache survives).
declare -A KIND=()
KIND_OF=""
kind() {
	local name=$1 def parent pdef n
	if [[ -z ${KIND[$name]:-} ]]; then
		def=$(tr_ -Td "VNET-MIB::$name") || def=""
		if ! grep -q 'MAX-ACCESS' <<<"$def" || grep -q 'not-accessible' <<<"$def"; then
			KIND[$name]=node
		else
			parent=${NAME_OF[${OID_OF[$name]%.*}]:-}
			pdef=$(tr_ -Td "VNET-MIB::$parent") || pdef=""
			if grep -q 'INDEX' <<<"$pdef"; then
				n=$(sed -n 's/.*INDEX[[:space:]]*{\(.*\)}.*/\1/p' <<<"$pdef" | tr ',' '\n' | grep -c '[a-zA-Z]')
				KIND[$name]="column $n"
			else
				KIND[$name]=scalar
			fi
		fi
	fi
	KIND_OF=${KIND[$name]}
}

# Problems found, one line each (the checks below append, the test reports).
PROBLEMS=()
nchecked=0
declare -A SEEN=() AGREED=()

# check_numeric REF FILE: REF is a numeric OID (maybe with placeholders) under the root.
check_numeric() {
	local ref=$1 file=${2#"$VNET_SRCDIR"/} oid rest obj k subids=() nidx
	[[ -z ${SEEN[$ref]:-} ]] || return 0
	SEEN[$ref]=1
	nchecked=$((nchecked + 1))
	oid=${ref#.}
	# Placeholders stand for one index sub-identifier each.
	while [[ $oid =~ \{\{\ *\$?[A-Za-z_]+\ *\}\}|\{#[A-Z_]+\} ]]; do
		oid=${oid/"${BASH_REMATCH[0]}"/P}
	done
	obj=$oid rest=""
	while [[ -z ${NAME_OF[$obj]:-} && $obj == *.* ]]; do
		rest=${obj##*.}${rest:+.$rest}
		obj=${obj%.*}
	done
	if [[ -z ${NAME_OF[$obj]:-} ]]; then
		PROBLEMS+=("$file: $ref: no VNET-MIB object is a prefix of it")
		return 0
	fi
	# snmptranslate must agree: the object's own OID translates to its name.
	if [[ -z ${AGREED[$obj]:-} ]]; then
		AGREED[$obj]=$(tr_ -OS ".$obj") || AGREED[$obj]="(error)"
	fi
	if [[ ${AGREED[$obj]} != "VNET-MIB::${NAME_OF[$obj]}" ]]; then
		PROBLEMS+=("$file: $ref: snmptranslate .$obj gave '${AGREED[$obj]}'")
		return 0
	fi
	[[ -n $rest ]] || return 0
	kind "${NAME_OF[$obj]}"
	k=$KIND_OF
	IFS=. read -r -a subids <<<"$rest"
	nidx=${#subids[@]}
	case $k in
	scalar) [[ $rest == 0 ]] && return 0 ;;
	"column "*) ((nidx == ${k#column })) && [[ $rest =~ ^(P|[0-9]+)(\.(P|[0-9]+))*$ ]] && return 0 ;;
	esac
	PROBLEMS+=("$file: $ref: instance '.$rest' does not fit ${NAME_OF[$obj]} ($k)")
}

check_name() { # NAME FILE
	local name=$1 file=${2#"$VNET_SRCDIR"/} oid
	[[ -z ${SEEN[n:$name]:-} ]] || return 0
	SEEN[n:$name]=1
	nchecked=$((nchecked + 1))
	oid=$(tr_ -On "VNET-MIB::$name") || oid="(unknown)"
	[[ -n ${OID_OF[$name]:-} && $oid == ".${OID_OF[$name]}" ]] && return 0
	PROBLEMS+=("$file: VNET-MIB::$name: not in VNET-MIB (snmptranslate -On gave '$oid')")
}

# check_file FILE [names]: every reference in FILE; "names" adds the bare vnetXxx words.
root_re=${VNET_ROOT//./\\.}
check_file() {
	local f=$1 ref
	while IFS= read -r ref; do
		check_numeric "$ref" "$f"
	done < <(grep -oE "\.?$root_re(\.([0-9]+|\{\{ *\\\$?[A-Za-z_]+ *\}\}|\{#[A-Z_]+\}))*" "$f" | sort -u)
	while IFS= read -r ref; do
		check_name "${ref#VNET-MIB::}" "$f"
	done < <(grep -oE 'VNET-MIB::[A-Za-z][A-Za-z0-9-]*' "$f" | sort -u)
	[[ ${2:-} == names ]] || return 0
	while IFS= read -r ref; do
		check_name "$ref" "$f"
	done < <(grep -oE '(^|[^A-Za-z0-9:_-])vnet[A-Z][A-Za-z0-9]*' "$f" | grep -oE 'vnet[A-Z][A-Za-z0-9]*' | sort -u)
}

# ---------------------------------------------------------------- the checker catches mistakes
cat >"$T/bad.yaml" <<EOF
snmp_oid: '$VNET_ROOT.1.2.1.99.{#SNMPINDEX}'
num_oid: '.$VNET_ROOT.1.2.1.11.{{ \$index }}.7'
scalar: $VNET_ROOT.1.1.1.3
name: VNET-MIB::vnetBytesSentMaximum
bare: vnetBogusColumn
good: $VNET_ROOT.1.3.1.4.1.200 VNET-MIB::vnetHistoryTable vnetName $VNET_ROOT.1.1.3.0
EOF
check_file "$T/bad.yaml" names
vnet_assert_eq "the checker itself finds the 5 planted mistakes (and not the 4 good references)" 5 "${#PROBLEMS[@]}"
((${#PROBLEMS[@]} == 5)) || printf '#   %s\n' "${PROBLEMS[@]}"
PROBLEMS=() nchecked=0 SEEN=()

# ---------------------------------------------------------------- conf/
nfiles=0
while IFS= read -r -d '' f; do
	nfiles=$((nfiles + 1))
	case ${f#"$CONF"/} in
	zabbix/* | prometheus/* | librenms/* | snmpd.conf.d/*) check_file "$f" names ;;
	*) check_file "$f" ;;
	esac
done < <(find "$CONF" -type f -print0 | sort -z)

vnet_assert_cmp "conf/ holds files to check ($nfiles)" "$nfiles" -gt 3
vnet_assert_cmp "VNET-MIB references found in conf/ ($nchecked distinct)" "$nchecked" -gt 20
if ((${#PROBLEMS[@]} == 0)); then
	vnet_pass "every OID and VNET-MIB name in conf/ resolves to a VNET-MIB object ($nchecked checked)"
else
	vnet_fail "every OID and VNET-MIB name in conf/ resolves to a VNET-MIB object (${#PROBLEMS[@]} problems)" "${PROBLEMS[@]:0:20}"
fi

# The references the deliverables cannot do without.
for want in "1.3.6.1.4.1.8072.9999.9999.2005.1.2.1.2" "VNET-MIB::vnetBytesSentMax" "vnetHistoryTable"; do
	if grep -rqF -- "$want" "$CONF"; then vnet_pass "conf/ names $want"; else vnet_fail "conf/ names $want"; fi
done

vnet_finish
