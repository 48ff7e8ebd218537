#!/usr/bin/env bash
# tests/integration/cli.sh: the agent's command line and configuration errors.
#
#  - -V/--version prints the package version, exit 0
#  - -h/--help prints usage, exit 0
#  - an unknown option prints usage on stderr and exits non-zero
#  - a bad configuration directive is reported with "FILE: line N" (the file and
#    the line), and the agent exits non-zero promptly (no hang, no retry loop)
#  - attached to a private master, the agent exits 0 within 1 s of SIGTERM
#
# Needs no root: the agent runs in the current network namespace (it only
# reads links there) and the master listens on unix sockets in a temp dir.

# shellcheck disable=SC2119
VNET_TEST_NAME=cli
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

vnet_test_init
vnet_need_tools snmpd snmpget snmpbulkwalk timeout
vnet_need_agent
A=$VNET_AGENTX

# The expected version: configure's, from config.h in the build tree.
version=""
if [[ -r $VNET_BUILDDIR/config.h ]]; then
	version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$VNET_BUILDDIR/config.h")
fi

# run_agent NAME ARGS...: run the agent bounded by a timeout; sets rc, out
# (stdout), err (stderr), ms (elapsed milliseconds).
run_agent() {
	local name=$1 t0
	shift
	t0=$(_vnet_elapsed_ms)
	rc=0
	timeout -k 2 10 "$A" "$@" </dev/null >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	ms=$(($(_vnet_elapsed_ms) - t0))
	out=$(cat "$T/$name.out")
	err=$(cat "$T/$name.err")
}

# ---- version
for opt in -V --version; do
	run_agent version "$opt"
	vnet_assert_eq "$opt exits 0" 0 "$rc"
	vnet_assert_match "$opt prints a version number" '[0-9]+\.[0-9]+' "$out"
	if [[ -n $version ]]; then
		vnet_assert_contains "$opt prints the configured version $version" "$version" "$out"
	fi
done

# ---- help
for opt in -h --help; do
	run_agent help "$opt"
	vnet_assert_eq "$opt exits 0" 0 "$rc"
	vnet_assert_match "$opt prints usage" '[Uu]sage' "$out$err"
	vnet_assert_contains "$opt documents -x" "-x" "$out$err"
done

# ---- bad options
for opt in --no-such-option -Z; do
	run_agent badopt "$opt"
	vnet_assert_ne "bad option $opt exits non-zero" 0 "$rc"
	if ((rc == 124 || rc == 137)); then vnet_fail "bad option $opt: the agent hung (killed by timeout)"; fi
	vnet_assert_match "bad option $opt prints usage on stderr" '[Uu]sage' "$err"
done

# ---- bad configuration directives
vnet_snmpd_start # so that a failure to exit cannot be blamed on a missing master

# bad_config NAME LINE-NUMBER CONTENT...: CONTENT lines form the file; the bad
# directive is on LINE-NUMBER.
bad_config() {
	local name=$1 lineno=$2 conf log all
	shift 2
	conf=$T/$name.conf
	log=$T/$name.log
	printf '%s\n' "$@" >"$conf"
	run_agent "$name" -f -C -c "$conf" -x "unix:$T/agentx.sock" -Lf "$log"
	all="$out$err$(cat "$log" 2>/dev/null)"
	vnet_assert_ne "$name: exits non-zero" 0 "$rc"
	if ((rc == 124 || rc == 137)); then
		vnet_fail "$name: the agent hung on a bad configuration (killed by timeout after ${ms} ms)"
	else
		vnet_assert_cmp "$name: exits promptly (${ms} ms)" "$ms" -lt 3000
	fi
	if [[ $all == *"$conf: line $lineno"* || $all == *"$conf:$lineno:"* ]]; then
		vnet_pass "$name: the message names $conf and line $lineno"
	else
		vnet_fail "$name: the message names $conf and line $lineno" \
			"expected '$conf: line $lineno' (or '$conf:$lineno:')" "output: ${all:0:1500}"
	fi
}

bad_config no-args 3 \
	"vnetStateDir $T/state" \
	"# a comment line" \
	"vnetNetwork" \
	"vnetInclude br*"
bad_config relative-statedir 2 \
	"# state in a relative directory is refused" \
	"vnetStateDir relative/path"
bad_config empty-include 4 \
	"vnetStateDir $T/state" \
	"" \
	"vnetInclude br*" \
	"vnetExclude"

# ---- SIGTERM: exit 0 within 1 s, while attached to the master
vnet_agent_start
vnet_assert_eq "vnetHistorySize.0 = 60 once started" 60 "$(vval "$VNET_OID_HISTSIZE" || true)"
sleep 1.5 # let the sampler run a tick or two
killed=0
vnet_agent_stop 3 || killed=1
vnet_assert_eq "SIGTERM: the agent exited by itself" 0 "$killed"
vnet_assert_eq "SIGTERM: exit status 0" 0 "$VNET_AGENT_RC"
vnet_assert_cmp "SIGTERM: exited within 1 s (${VNET_AGENT_STOP_MS} ms)" "$VNET_AGENT_STOP_MS" -le 1000
if grep -qiE 'AddressSanitizer|runtime error:|LeakSanitizer' "$T/agent.stderr" "$T/agent.log" 2>/dev/null; then
	vnet_fail "no sanitizer report" "$(grep -iE -A5 'AddressSanitizer|runtime error:|LeakSanitizer' "$T/agent.stderr" "$T/agent.log" | head -40)"
fi

vnet_finish
