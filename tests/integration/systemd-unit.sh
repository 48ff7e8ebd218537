#!/usr/bin/env bash
# tests/integration/systemd-unit.sh: conf/vnet-agentx.service.
#
#  - `systemd-analyze verify` prints nothing and exits 0 on a copy whose
#    ExecStart= names the agent just built (verify wants an existing binary),
#    with the built man page on MANPATH (verify checks Documentation=man:...);
#  - the unit says what the project promises: Type=simple, ExecStart ... -f -Lo,
#    ExecReload by SIGHUP, a dynamic or dedicated user, StateDirectory=vnet-agentx,
#    NoNewPrivileges, ProtectSystem=strict, ProtectHome, PrivateTmp,
#    RestrictAddressFamilies=AF_UNIX AF_NETLINK, an empty CapabilityBoundingSet=,
#    no PrivateNetwork= (the agent reads the host's links), ordered after snmpd,
#    WantedBy=multi-user.target;
#  - the agent accepts ExecStart='s options (checked with -t, which exits after
#    reading the configuration);
#  - `systemd-analyze security --offline=yes` rates its exposure below 2.0
#    (0 = fully locked down, 10 = unprotected; the rating is printed).
# systemd itself is not needed (nothing is started); systemd-analyze is.

# shellcheck disable=SC2119
VNET_TEST_NAME=systemd-unit
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

vnet_test_init
vnet_need_tools systemd-analyze sed awk
vnet_need_agent

UNIT=$VNET_SRCDIR/conf/vnet-agentx.service
[[ -r $UNIT ]] || vnet_die "missing $UNIT"
mkdir -p "$T/unit" "$T/man/man8"
sed "s|^ExecStart=/usr/sbin/vnet-agentx\\([[:space:]]\\)|ExecStart=$VNET_AGENTX\\1|" "$UNIT" >"$T/unit/vnet-agentx.service"
vnet_check "the copy's ExecStart= names the built agent" grep -q "^ExecStart=$VNET_AGENTX " "$T/unit/vnet-agentx.service"

# ---------------------------------------------------------------- verify
man_opt=()
if [[ -r $VNET_BUILDDIR/man/vnet-agentx.8 ]]; then
	cp "$VNET_BUILDDIR/man/vnet-agentx.8" "$T/man/man8/"
else
	vnet_log "no built man page in $VNET_BUILDDIR/man: verify without the man page check"
	man_opt=(--man=no)
fi
rc=0
out=$(cd "$T/unit" && MANPATH=$T/man SYSTEMD_LOG_COLOR=0 systemd-analyze verify "${man_opt[@]}" ./vnet-agentx.service 2>&1) || rc=$?
vnet_assert_eq "systemd-analyze verify exits 0" 0 "$rc"
vnet_assert_eq "systemd-analyze verify says nothing" "" "$out"

# ---------------------------------------------------------------- what it says
# value KEY: the last value of KEY= in the unit (comments ignored).
value() { awk -v k="$1" 'index($0, k "=") == 1 { v = substr($0, length(k) + 2); n++ } END { if (n) print v; else print "<unset>" }' "$UNIT"; }
has() { grep -q "^$1=" "$UNIT"; }

vnet_assert_eq "Type=simple (the agent does not speak sd_notify)" simple "$(value Type)"
vnet_assert_match "ExecStart= runs the agent in the foreground, logging to stdout (the journal)" \
	'^/usr/sbin/vnet-agentx -f -Lo( |$)' "$(value ExecStart)"
# shellcheck disable=SC2016  # $MAINPID is systemd's, literally
vnet_assert_eq "ExecReload= sends SIGHUP" '/bin/kill -HUP $MAINPID' "$(value ExecReload)"
if [[ $(value DynamicUser) == yes ]] || has User; then
	vnet_pass "runs as an unprivileged user (DynamicUser=$(value DynamicUser), User=$(value User))"
else
	vnet_fail "runs as an unprivileged user" "neither DynamicUser=yes nor User="
fi
vnet_assert_ne "joins the AgentX socket's group (SupplementaryGroups= or Group=)" "<unset><unset>" "$(value SupplementaryGroups)$(value Group)"
vnet_assert_eq "StateDirectory=vnet-agentx (the default vnetStateDir /var/lib/vnet-agentx)" vnet-agentx "$(value StateDirectory)"
vnet_assert_eq "NoNewPrivileges=yes" yes "$(value NoNewPrivileges)"
vnet_assert_eq "ProtectSystem=strict" strict "$(value ProtectSystem)"
vnet_assert_eq "ProtectHome=yes" yes "$(value ProtectHome)"
vnet_assert_eq "PrivateTmp=yes" yes "$(value PrivateTmp)"
vnet_assert_eq "RestrictAddressFamilies=AF_UNIX AF_NETLINK" "AF_UNIX AF_NETLINK" "$(value RestrictAddressFamilies)"
vnet_assert_eq "CapabilityBoundingSet= is empty" "" "$(value CapabilityBoundingSet)"
vnet_assert_eq "no PrivateNetwork= (the host's links must stay visible)" "<unset>" "$(value PrivateNetwork)"
vnet_assert_match "ordered after snmpd" '(^| )snmpd\.service( |$)' "$(value After)"
vnet_assert_eq "WantedBy=multi-user.target" multi-user.target "$(value WantedBy)"

# ---------------------------------------------------------------- the agent takes those options
read -r -a args <<<"$(value ExecStart)"
printf 'vnetStateDir %s\n' "$T/state" >"$T/good.conf"
rc=0
out=$(timeout 10 "$VNET_AGENTX" "${args[@]:1}" -t -C -c "$T/good.conf" 2>&1) || rc=$?
vnet_assert_eq "the agent accepts ExecStart's options (${args[*]:1}) (with -t: exit 0)" 0 "$rc"
vnet_assert_contains "... and reads the configuration" "configuration OK" "$out"

# ---------------------------------------------------------------- exposure
rc=0
sec=$(cd "$T/unit" && SYSTEMD_LOG_COLOR=0 systemd-analyze security --offline=yes ./vnet-agentx.service 2>&1) || rc=$?
score=$(sed -n 's/.*Overall exposure level for vnet-agentx.service: \([0-9.]*\).*/\1/p' <<<"$sec")
vnet_log "systemd-analyze security: $(grep -o 'Overall exposure level.*' <<<"$sec" || echo '?')"
vnet_log "not hardened: $(grep -o '✗ [A-Za-z]*=[^ ]*' <<<"$sec" | cut -c5- | tr '\n' ' ')"
if [[ $score =~ ^[0-9]+\.[0-9]$ ]]; then
	vnet_assert_cmp "exposure level below 2.0 ($score)" "$(awk -v s="$score" 'BEGIN { printf "%d", s * 10 + 0.5 }')" -lt 20
elif grep -q -i -e 'unrecognized option' -e 'unknown option' <<<"$sec"; then
	vnet_log "this systemd-analyze has no 'security --offline' (systemd < 250): exposure not rated"
else
	vnet_fail "systemd-analyze security --offline rates the unit" "status $rc: ${sec:0:1500}"
fi
vnet_finish
