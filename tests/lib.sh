# shellcheck shell=bash disable=SC2034
# (SC2034: a library defines variables for the scripts that source it.)
# tests/lib.sh: shared helpers for the vnet-agentx integration tests and tools/demo.
#
# Sourced (never executed) by tests/integration/*.sh and tools/demo.  It gives:
#   - strict mode, and the skip rule: a missing prerequisite exits 77 (automake's
#     SKIP), except under CI=true where a skip is a failure (exit 1);
#   - one private temp dir per run and a trap that always cleans up: the agent,
#     snmpd, traffic generators, every namespace created here, the temp dir
#     (on success, failure, error and Ctrl-C alike);
#   - a private snmpd master on unix sockets only (never the host's snmpd, never
#     a UDP/TCP port);
#   - network namespaces ("vnt-<pid>-..."): one switch namespace holding bridges,
#     veth ports whose peers live in host namespaces addressed in 192.0.2.0/24
#     (TEST-NET-1; no other address is ever used);
#   - steady UDP traffic between two hosts (iperf3);
#   - the agent under test, attached to the private master;
#   - numeric SNMP wrappers (vget, vwalk, vset, vtable) and assertions that
#     count passes and failures and print "NAME: N passed, M failed" at the end;
#   - a stall watchdog, and the agent's per-tick log ($T/agent-ticks.log, via
#     VNET_AGENTX_TICKLOG), so that an interpolated history row is accepted only
#     when the whole machine demonstrably stalled (vnet_check_status);
#   - sanitizer reports (an agent built with --enable-sanitizers): ASan, LSan and
#     UBSan write to $T/san/ (mode 1777: some tests run the agent as nobody);
#     at the end every process is stopped (SIGTERM, waited for: LeakSanitizer
#     runs at the agent's exit) before the summary, and any report there, or
#     sanitizer text in any file under $T (an agent's stderr), is a failure.
#
# Environment (set by `make check`, see Makefile.am):
#   VNET_AGENTX    absolute path of the built agent (default: $VNET_BUILDDIR/src/vnet-agentx)
#   VNET_SRCDIR    top of the source tree (default: the directory above this file)
#   VNET_BUILDDIR  top of the build tree (default: $VNET_SRCDIR/build if it exists)
#   CI             "true": skips become failures
#   VNET_AGENT_DEBUG  optional -D tokens passed to the agent
#   VNET_KEEP_TMP  "1": keep the temp dir (logs) after the run, for debugging
#   ASAN_OPTIONS, UBSAN_OPTIONS  kept (they override the defaults set here),
#                  but log_path is always $T/san/...

set -Eeuo pipefail
shopt -s inherit_errexit 2>/dev/null || true

# ---------------------------------------------------------------- constants

# The root of VNET-MIB (mibs/VNET-MIB.txt, docs/mib-contract).
VNET_ROOT=1.3.6.1.4.1.8072.9999.9999.2005
VNET_OID_NUMBER=$VNET_ROOT.1.1.1.0
VNET_OID_CURRENT=$VNET_ROOT.1.1.2.0
VNET_OID_HISTSIZE=$VNET_ROOT.1.1.3.0
VNET_OID_TABLE=$VNET_ROOT.1.2
VNET_OID_ENTRY=$VNET_ROOT.1.2.1
VNET_OID_HTABLE=$VNET_ROOT.1.3
VNET_OID_HENTRY=$VNET_ROOT.1.3.1
VNET_OID_SYSDESCR=1.3.6.1.2.1.1.1.0

# vnetEntry columns
VNET_COL_NAME=2 VNET_COL_IFINDEX=3 VNET_COL_TYPE=4 VNET_COL_PORTCOUNT=5
VNET_COL_BYTES_SENT=6 VNET_COL_BYTES_RECV=7 VNET_COL_PKTS_SENT=8 VNET_COL_PKTS_RECV=9
VNET_COL_PKTS_DROP=10 VNET_COL_SENT_MAX=11 VNET_COL_SENT_AVG=12 VNET_COL_RECV_MAX=13
VNET_COL_RECV_AVG=14 VNET_COL_SENT_TOTAL=15 VNET_COL_RECV_TOTAL=16 VNET_COL_DISCONT=17
# vnetHistoryEntry columns
VNET_HCOL_TIME=2 VNET_HCOL_STATUS=3 VNET_HCOL_BYTES_SENT=4 VNET_HCOL_BYTES_RECV=5
VNET_HCOL_PKTS_SENT=6 VNET_HCOL_PKTS_RECV=7 VNET_HCOL_PKTS_DROP=8
VNET_HISTORY_SIZE=60

# ---------------------------------------------------------------- locations

_vnet_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${VNET_SRCDIR:=$(cd "$_vnet_lib_dir/.." && pwd)}"
if [[ -z ${VNET_BUILDDIR:-} ]]; then
	if [[ -d $VNET_SRCDIR/build ]]; then VNET_BUILDDIR=$VNET_SRCDIR/build; else VNET_BUILDDIR=$VNET_SRCDIR; fi
fi
: "${VNET_AGENTX:=$VNET_BUILDDIR/src/vnet-agentx}"
export VNET_SRCDIR VNET_BUILDDIR VNET_AGENTX

VNET_TEST_NAME=${VNET_TEST_NAME:-$(basename "$0" .sh)}

# ---------------------------------------------------------------- state

T=""                       # the private temp dir
VNET_SW=""                 # the switch namespace
VNET_PASS=0
VNET_FAIL=0
VNET_CHECKNO=0
_vnet_summary=0            # print the summary line at exit (tests, not the demo)
_vnet_summary_done=0
_vnet_main_pid=$BASHPID
_vnet_pids=()              # background processes, in start order
declare -A _vnet_pid_label=()
_vnet_netns=()             # namespaces created here, in creation order
_vnet_host_count=0
declare -A VNET_HOST_ADDR=()   # host namespace -> its 192.0.2.x address
declare -A VNET_BR_HOSTS=()    # bridge -> space-separated host namespaces
declare -A _vnet_iperf_server=()
_vnet_traffic_pids=()
VNET_AGENT_PID=""
VNET_SNMPD_PID=""

# ---------------------------------------------------------------- output

vnet_log() { [[ ${VNET_QUIET:-0} == 1 ]] || printf '# %s\n' "$*"; }
vnet_note() { printf '%s\n' "$*"; }

_vnet_elapsed_ms() { # milliseconds since the epoch
	local t=${EPOCHREALTIME/./}
	printf '%s\n' "$((t / 1000))"
}

# ---------------------------------------------------------------- skip/fail policy

# vnet_skip REASON: exit 77 (SKIP), or 1 under CI=true where a skip is a failure.
vnet_skip() {
	if [[ ${CI:-} == true ]]; then
		printf '%s: FAIL: would skip, and a skip is a failure under CI=true: %s\n' "$VNET_TEST_NAME" "$*" >&2
		_vnet_summary=0
		exit 1
	fi
	printf '%s: SKIP: %s\n' "$VNET_TEST_NAME" "$*"
	_vnet_summary=0
	exit 77
}

# vnet_die MESSAGE: a fatal error in the test: count it, clean up, exit 1.
vnet_die() {
	printf 'FATAL: %s\n' "$*"
	VNET_FAIL=$((VNET_FAIL + 1))
	exit 1
}

vnet_need_root() {
	[[ $EUID -eq 0 ]] || vnet_skip "needs root (network namespaces, bridges)"
}

# vnet_need_tools CMD...: every command must be on PATH (tools/install-deps installs them).
vnet_need_tools() {
	local c missing=()
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	((${#missing[@]} == 0)) || vnet_skip "missing tools: ${missing[*]} (run tools/install-deps)"
}

# vnet_need_agent: the agent binary must exist (it is built by make, so its absence is a failure).
vnet_need_agent() {
	[[ -x $VNET_AGENTX ]] || vnet_die "agent binary not found or not executable: $VNET_AGENTX"
}

# ---------------------------------------------------------------- setup and cleanup

# vnet_setup: create the private temp dir and install the cleanup traps.
vnet_setup() {
	local base=${TMPDIR:-/tmp}
	# unix socket paths are limited to 107 bytes: keep the dir short.
	((${#base} <= 40)) || base=/tmp
	T=$(mktemp -d "$base/vnt.XXXXXXXX")
	chmod 755 "$T"
	mkdir -p "$T/persist" "$T/snmpconf" "$T/state"
	# Client tools read only this config: no MIB loading, no ~/.snmp, no /etc/snmp.
	printf 'mibs :\n' >"$T/snmpconf/snmp.conf"
	export SNMPCONFPATH=$T/snmpconf
	export SNMP_PERSISTENT_DIR=$T/persist
	_vnet_san_setup
	trap '_vnet_on_exit' EXIT
	trap '_vnet_on_signal INT 130' INT
	trap '_vnet_on_signal TERM 143' TERM
	trap '_vnet_on_signal HUP 129' HUP
	trap '_vnet_on_err $LINENO' ERR
}

# vnet_test_init: vnet_setup + the summary line at exit.  Tests call this first.
vnet_test_init() {
	_vnet_summary=1
	vnet_setup
	vnet_log "$VNET_TEST_NAME: temp dir $T, agent $VNET_AGENTX"
}

_vnet_signalled=0
_vnet_on_signal() {
	trap - "$1"
	_vnet_signalled=1
	printf '%s: interrupted by SIG%s\n' "$VNET_TEST_NAME" "$1" >&2
	exit "$2"
}

_vnet_on_err() {
	local rc=$? line=$1
	[[ $BASHPID == "$_vnet_main_pid" ]] || return 0
	printf '%s: error: command failed (status %s) at %s line %s: %s\n' \
		"$VNET_TEST_NAME" "$rc" "${BASH_SOURCE[1]:-?}" "$line" "${BASH_COMMAND}" >&2
}

# _vnet_alive PID: the process exists and is not a zombie.
_vnet_alive() {
	local st
	[[ -r /proc/$1/stat ]] || return 1
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
	[[ $st != Z && $st != X ]]
}

# _vnet_track PID LABEL: remember a background process started by this shell.
_vnet_track() {
	_vnet_pids+=("$1")
	_vnet_pid_label[$1]=$2
}

# _vnet_ours PID: a child of this shell (guards against PID reuse).
_vnet_ours() {
	local ppid
	ppid=$(awk '{print $4}' "/proc/$1/stat" 2>/dev/null) || return 1
	[[ $ppid == "$_vnet_main_pid" ]]
}

# vnet_stop_pid PID [TIMEOUT_S]: SIGTERM, wait, SIGKILL if needed, reap.  Returns its exit status.
vnet_stop_pid() {
	local pid=$1 timeout=${2:-3} i rc=0
	if _vnet_alive "$pid" && _vnet_ours "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		# A test may have left it stopped (SIGSTOP): it acts on SIGTERM only when continued.
		kill -CONT "$pid" 2>/dev/null || true
		for ((i = 0; i < timeout * 20; i++)); do
			_vnet_alive "$pid" || break
			sleep 0.05
		done
		if _vnet_alive "$pid"; then
			printf '# %s (pid %s) ignored SIGTERM for %ss: SIGKILL\n' "${_vnet_pid_label[$pid]:-process}" "$pid" "$timeout"
			kill -KILL "$pid" 2>/dev/null || true
			_vnet_killed+=("$pid")
		fi
	fi
	wait "$pid" 2>/dev/null || rc=$?
	return "$rc"
}

# ---------------------------------------------------------------- sanitizers

# An agent built with --enable-sanitizers (ASan+UBSan) reports into $T/san:
# ASan's and LeakSanitizer's reports to asan.<exe>.<pid> (the runtime creates
# the file only to write a report).  GCC's UBSan, linked with ASan, ignores
# log_path and writes to stderr, so the agent's stderr is searched too.
# UBSan stops at the first error (the build has -fno-sanitize-recover).
# Options set by the caller come after the defaults here and so override
# them, except log_path: reports must land where _vnet_san_check looks.
_vnet_killed=()            # processes that needed SIGKILL at the end
_vnet_san_checked=0
_vnet_san_setup() {
	mkdir -p "$T/san"
	# World-writable, sticky: tests run the agent as nobody too ($T is 755).
	chmod 1777 "$T/san"
	ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:log_exe_name=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}:log_path=$T/san/asan"
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_exe_name=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}:log_path=$T/san/ubsan"
	export ASAN_OPTIONS UBSAN_OPTIONS
}

# _vnet_stop_all: stop every process this run started, newest first (the agent
# before snmpd), each waited for: an agent's exit is when LeakSanitizer
# checks it.  An agent that needs SIGKILL is a failure: it broke the 1 s
# SIGTERM contract tenfold, and its leak check never ran.
_vnet_stop_all() {
	local i pid label
	for ((i = ${#_vnet_pids[@]} - 1; i >= 0; i--)); do
		pid=${_vnet_pids[i]}
		label=${_vnet_pid_label[$pid]:-process}
		if [[ $label == vnet-agentx* ]]; then
			_vnet_killed=()
			vnet_stop_pid "$pid" 10 >/dev/null 2>&1 || true
			if ((${#_vnet_killed[@]})) && ((_vnet_summary)); then
				vnet_fail "$label (pid $pid) exits on SIGTERM at the end of the test" \
					"it was still running 10 s after SIGTERM: SIGKILLed, so no exit-time leak check"
			fi
		else
			vnet_stop_pid "$pid" 3 >/dev/null 2>&1 || true
		fi
	done
	_vnet_pids=()
}

# _vnet_san_check: one failure per sanitizer report in $T/san, and one per file
# under $T holding sanitizer text (a runtime that ignored log_path, or an agent
# started without our environment: its stderr).  Once per run.
_vnet_san_check() {
	local f hits
	local -a lines
	((_vnet_san_checked == 0)) && [[ -n $T && -d $T ]] || return 0
	_vnet_san_checked=1
	for f in "$T"/san/*; do
		[[ -f $f ]] || continue
		mapfile -t lines < <(grep -v -e '^=*$' -e '^$' "$f" | head -n 40)
		vnet_fail "sanitizer report ${f#"$T"/}" "${lines[@]}"
	done
	hits=$(grep -r -l -I -E --exclude-dir=san \
		-e '==ERROR: (Address|Leak|UndefinedBehavior)Sanitizer' \
		-e '^SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer' \
		-e ':[0-9]+(:[0-9]+)?: runtime error: ' "$T" 2>/dev/null || true)
	while IFS= read -r f; do
		[[ -n $f ]] || continue
		mapfile -t lines < <(grep -E -A12 -e 'Sanitizer' -e 'runtime error: ' "$f" | head -n 40)
		vnet_fail "sanitizer text in ${f#"$T"/}" "${lines[@]}"
	done <<<"$hits"
}

_vnet_netns_kill_all() { # NS: end every process left in a namespace we created
	local ns=$1 pids i
	pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ') || true
	[[ -n ${pids// /} ]] || return 0
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null || true
	for ((i = 0; i < 40; i++)); do
		pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ') || true
		[[ -n ${pids// /} ]] || return 0
		sleep 0.05
	done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null || true
	sleep 0.1
}

# vnet_cleanup: stop everything this run started and remove what it created.  Idempotent.
vnet_cleanup() {
	local i ns
	# processes, newest first (the agent before snmpd)
	_vnet_stop_all
	# namespaces, newest first (hosts before the switch)
	for ((i = ${#_vnet_netns[@]} - 1; i >= 0; i--)); do
		ns=${_vnet_netns[i]}
		[[ -e /run/netns/$ns ]] || continue
		_vnet_netns_kill_all "$ns"
		ip netns del "$ns" 2>/dev/null || printf '# warning: could not delete namespace %s\n' "$ns" >&2
	done
	_vnet_netns=()
	if [[ -n $T && -d $T ]]; then
		if [[ ${VNET_KEEP_TMP:-0} == 1 ]]; then
			printf '# kept %s\n' "$T"
		else
			rm -rf -- "${T:?}"
		fi
	fi
}

_vnet_print_summary() {
	((_vnet_summary_done == 0)) || return 0
	_vnet_summary_done=1
	printf '%s: %d passed, %d failed\n' "$VNET_TEST_NAME" "$VNET_PASS" "$VNET_FAIL"
}

_vnet_on_exit() {
	local rc=$?
	[[ $BASHPID == "$_vnet_main_pid" ]] || return "$rc"
	set +eE
	trap - ERR INT TERM HUP
	if ((rc != 0 && rc != 77)) && ((_vnet_summary)) && ((_vnet_summary_done == 0)) && ((VNET_FAIL == 0)); then
		printf 'not ok - %s aborted (exit status %d)\n' "$VNET_TEST_NAME" "$rc"
		VNET_FAIL=1
	fi
	if ((rc != 0 && rc != 77 && !_vnet_signalled)) && [[ -n $T && -d $T ]]; then
		_vnet_dump_logs
	fi
	if ((_vnet_summary && _vnet_summary_done == 0 && !_vnet_signalled)); then
		_vnet_stop_all
		_vnet_san_check
	fi
	vnet_cleanup
	if ((_vnet_summary)); then
		_vnet_print_summary
		((VNET_FAIL == 0)) || { ((rc != 0)) || rc=1; }
	fi
	exit "$rc"
}

# vnet_finish: stop everything (the agent's exit-time leak check), check for
# sanitizer reports, print the summary and exit 0 only if nothing failed.
vnet_finish() {
	_vnet_stop_all
	_vnet_san_check
	_vnet_print_summary
	((VNET_FAIL == 0)) || exit 1
	exit 0
}

_vnet_dump_file() {
	local f=$1 n=${2:-60}
	[[ -s $f ]] || return 0
	printf -- '----- %s (last %d lines) -----\n' "${f#"$T"/}" "$n"
	tail -n "$n" "$f" | grep -v -e '^Cannot find module' -e '^MIB search path' || true
}

_vnet_dump_logs() {
	_vnet_dump_file "$T/agent.log" 80
	_vnet_dump_file "$T/agent.stderr" 40
	_vnet_dump_file "$T/snmpd.log" 30
}

# ---------------------------------------------------------------- assertions

vnet_pass() {
	VNET_PASS=$((VNET_PASS + 1))
	VNET_CHECKNO=$((VNET_CHECKNO + 1))
	printf 'ok %d - %s\n' "$VNET_CHECKNO" "$1"
}

# vnet_fail DESC [DETAIL...]
vnet_fail() {
	local d
	VNET_FAIL=$((VNET_FAIL + 1))
	VNET_CHECKNO=$((VNET_CHECKNO + 1))
	printf 'not ok %d - %s\n' "$VNET_CHECKNO" "$1"
	shift
	for d in "$@"; do printf '#   %s\n' "$d"; done
}

# vnet_check DESC CMD...: pass if CMD succeeds.
vnet_check() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if ((rc == 0)); then vnet_pass "$desc"; else vnet_fail "$desc" "command: $*" "status: $rc" "output: ${out:0:2000}"; fi
}

vnet_assert_eq() { # DESC EXPECTED ACTUAL
	if [[ $2 == "$3" ]]; then vnet_pass "$1"; else vnet_fail "$1" "expected: '$2'" "actual:   '$3'"; fi
}

vnet_assert_ne() { # DESC UNEXPECTED ACTUAL
	if [[ $2 != "$3" ]]; then vnet_pass "$1"; else vnet_fail "$1" "expected anything but: '$2'"; fi
}

vnet_assert_match() { # DESC ERE ACTUAL
	if [[ $3 =~ $2 ]]; then vnet_pass "$1"; else vnet_fail "$1" "expected to match: /$2/" "actual: '${3:0:2000}'"; fi
}

vnet_assert_contains() { # DESC NEEDLE HAYSTACK
	if [[ $3 == *"$2"* ]]; then vnet_pass "$1"; else vnet_fail "$1" "expected to contain: '$2'" "actual: '${3:0:2000}'"; fi
}

_vnet_is_uint() { [[ $1 =~ ^[0-9]+$ ]] && ((${#1} <= 18)); }

# vnet_assert_cmp DESC A OP B: integer comparison, OP one of -eq -ne -lt -le -gt -ge.
vnet_assert_cmp() {
	local desc=$1 a=$2 op=$3 b=$4 ok=1
	if ! _vnet_is_uint "$a" || ! _vnet_is_uint "$b"; then
		vnet_fail "$desc" "not comparable as integers: '$a' $op '$b'"
		return 0
	fi
	case $op in
	-eq) ((a == b)) || ok=0 ;; -ne) ((a != b)) || ok=0 ;;
	-lt) ((a < b)) || ok=0 ;; -le) ((a <= b)) || ok=0 ;;
	-gt) ((a > b)) || ok=0 ;; -ge) ((a >= b)) || ok=0 ;;
	*) vnet_die "vnet_assert_cmp: bad operator $op" ;;
	esac
	if ((ok)); then vnet_pass "$desc"; else vnet_fail "$desc" "expected: $a $op $b"; fi
}

# vnet_wait_until TIMEOUT_S CMD...: poll CMD every 0.2 s until it succeeds; 1 on timeout.
vnet_wait_until() {
	local timeout=$1 deadline
	shift
	deadline=$(($(_vnet_elapsed_ms) + timeout * 1000))
	while :; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		(($(_vnet_elapsed_ms) < deadline)) || return 1
		sleep 0.2
	done
}

# ---------------------------------------------------------------- SNMP clients (numeric)

# All client calls: v2c, numeric OIDs (-On), numeric enums (-Oe), no MIB loaded
# (SNMPCONFPATH has "mibs :" and MIBS/MIBDIRS are dropped), bounded in time.
_vnet_snmp() { # TOOL COMMUNITY ARGS...
	local tool=$1 community=$2
	shift 2
	env -u MIBS -u MIBDIRS timeout 60 "$tool" -v2c -c "$community" -On -Oe -t 3 -r 2 "$@"
}

# _vnet_parse: snmp output -> "OID<TAB>TYPE<TAB>VALUE" lines (OID without the
# leading dot, STRING unquoted, Hex-STRING as contiguous upper-case hex, exceptions
# as TYPE noSuchInstance / noSuchObject / endOfMibView with an empty VALUE).
_vnet_parse() {
	awk '
	function flush() { if (have) printf "%s\t%s\t%s\n", oid, type, val; have = 0 }
	/^\.?[0-9]+(\.[0-9]+)* = / {
		flush()
		oid = $1; sub(/^\./, "", oid)
		rest = substr($0, index($0, " = ") + 3)
		have = 1
		if (rest ~ /^No Such Instance/) { type = "noSuchInstance"; val = "" }
		else if (rest ~ /^No Such Object/) { type = "noSuchObject"; val = "" }
		else if (rest ~ /^No more variables left/) { type = "endOfMibView"; val = "" }
		else if (rest == "\"\"") { type = "STRING"; val = "" }
		else if (match(rest, /^[A-Za-z0-9-]+:( |$)/)) {
			type = substr(rest, 1, index(rest, ":") - 1)
			val = substr(rest, RLENGTH + 1)
			if (type == "STRING") { sub(/^"/, "", val); sub(/"$/, "", val) }
			else if (type == "Hex-STRING") { gsub(/[ \t]/, "", val); val = toupper(val) }
		} else { type = "?"; val = rest }
		next
	}
	have && type == "Hex-STRING" { line = $0; gsub(/[ \t]/, "", line); val = val toupper(line); next }
	have && type == "STRING" { val = val "\\n" $0; next }
	END { flush() }'
}

# vget [OPTS] OID...: one GET PDU; prints parsed lines.  Fails if snmpget fails.
vget() {
	local out err rc=0
	local -a opts=()
	while (($#)) && [[ $1 == -* ]]; do opts+=("$1"); shift; done
	err=$T/.vget.err
	out=$(_vnet_snmp snmpget public "${opts[@]}" "unix:$T/snmp.sock" "$@" 2>"$err") || rc=$?
	if ((rc != 0)); then
		printf 'vget %s: snmpget failed (status %d): %s\n' "$*" "$rc" "$(head -c 1000 "$err")" >&2
		return "$rc"
	fi
	printf '%s\n' "$out" | _vnet_parse
}

# vval OID: the value of one instance; fails on an exception (noSuch*) or an error.
vval() {
	local line oid type val
	line=$(vget "$1") || return 1
	IFS=$'\t' read -r oid type val <<<"$line" || true
	case $type in noSuch* | endOfMibView | "") return 1 ;; esac
	printf '%s\n' "$val"
}

# vwalk [OPTS] OID: snmpbulkwalk (which itself checks increasing order); prints
# parsed lines.  Fails if the walk failed or printed anything on stderr.
vwalk() {
	local out err rc=0
	local -a opts=()
	while (($#)) && [[ $1 == -* ]]; do opts+=("$1"); shift; done
	err=$T/.vwalk.err
	out=$(_vnet_snmp snmpbulkwalk public -Cr50 "${opts[@]}" "unix:$T/snmp.sock" "$@" 2>"$err") || rc=$?
	if ((rc != 0)) || [[ -s $err ]]; then
		printf 'vwalk %s: snmpbulkwalk failed (status %d): %s\n' "$*" "$rc" "$(head -c 1000 "$err")" >&2
		printf '%s\n' "$out" | _vnet_parse
		return 1
	fi
	printf '%s\n' "$out" | _vnet_parse
}

# vset OID TYPE VALUE...: snmpset with the read-write community; prints stdout+stderr.
vset() {
	local -a opts=()
	while (($#)) && [[ $1 == -* ]]; do opts+=("$1"); shift; done
	_vnet_snmp snmpset private "${opts[@]}" "unix:$T/snmp.sock" "$@" 2>&1
}

# vnet_oid_sorted FILE: the parsed walk in FILE is in strictly increasing OID order.
# Prints the first offending pair on failure.
vnet_oid_sorted() {
	awk -F'\t' '
	function cmp(a, b,   na, nb, x, y, i) {
		na = split(a, x, "."); nb = split(b, y, ".")
		for (i = 1; i <= na && i <= nb; i++) {
			if (x[i] + 0 < y[i] + 0) return -1
			if (x[i] + 0 > y[i] + 0) return 1
		}
		return (na < nb) ? -1 : (na > nb) ? 1 : 0
	}
	NR > 1 && cmp(prev, $1) >= 0 { printf "not increasing: %s then %s\n", prev, $1; bad = 1; exit 1 }
	{ prev = $1 }
	END { exit bad }' "$1"
}

# ---------------------------------------------------------------- DateAndTime

# vnet_dat_to_ds HEX: DateAndTime (8 or 11 octets, hex) -> deciseconds since the epoch (UTC).
vnet_dat_to_ds() {
	local h=$1 y mo d hh mi ss ds off=0 era yoe doy doe days yy
	[[ $h =~ ^[0-9A-Fa-f]{16}([0-9A-Fa-f]{6})?$ ]] || return 1
	y=$((16#${h:0:4})) mo=$((16#${h:4:2})) d=$((16#${h:6:2}))
	hh=$((16#${h:8:2})) mi=$((16#${h:10:2})) ss=$((16#${h:12:2})) ds=$((16#${h:14:2}))
	((mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && hh <= 23 && mi <= 59 && ss <= 60 && ds <= 9)) || return 1
	if ((${#h} == 22)); then
		case ${h:16:2} in
		2B | 2b) off=$((16#${h:18:2} * 3600 + 16#${h:20:2} * 60)) ;;
		2D | 2d) off=$((-(16#${h:18:2} * 3600 + 16#${h:20:2} * 60))) ;;
		*) return 1 ;;
		esac
	fi
	yy=$((mo <= 2 ? y - 1 : y))
	era=$((yy / 400)) yoe=$((yy - yy / 400 * 400))
	doy=$(((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1))
	doe=$((yoe * 365 + yoe / 4 - yoe / 100 + doy))
	days=$((era * 146097 + doe - 719468))
	printf '%s\n' "$(((days * 86400 + hh * 3600 + mi * 60 + ss - off) * 10 + ds))"
}

# vnet_dat_fmt HEX: DateAndTime -> "YYYY-MM-DD HH:MM:SS.d" (as encoded, offset appended if any).
vnet_dat_fmt() {
	local h=$1 s
	[[ $h =~ ^[0-9A-Fa-f]{16}([0-9A-Fa-f]{6})?$ ]] || { printf '%s\n' "$h"; return 0; }
	s=$(printf '%04d-%02d-%02d %02d:%02d:%02d.%d' $((16#${h:0:4})) $((16#${h:4:2})) $((16#${h:6:2})) \
		$((16#${h:8:2})) $((16#${h:10:2})) $((16#${h:12:2})) $((16#${h:14:2})))
	if ((${#h} == 22)); then
		s+=$(printf ' %b%02d%02d' "\\x${h:16:2}" $((16#${h:18:2})) $((16#${h:20:2})))
	fi
	printf '%s\n' "$s"
}

# ---------------------------------------------------------------- MIB by name

# vnet_mib_setup DIR comes from tests/mibpath.sh (exports MIBDIRS/SMIPATH with the
# SMI base modules copied from erlang-snmp).  If that file is absent, a fallback
# with the same interface is defined here.
if [[ -r $VNET_SRCDIR/tests/mibpath.sh ]]; then
	# shellcheck source=/dev/null
	. "$VNET_SRCDIR/tests/mibpath.sh"
fi
if ! declare -F vnet_mib_setup >/dev/null; then
	vnet_mib_setup() {
		local dir=$1 m f
		mkdir -p "$dir"
		for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF; do
			f=""
			for f in /usr/lib/erlang/lib/snmp-*/mibs/"$m".mib; do :; done
			[[ -n $f && -r $f ]] || return 1
			cp "$f" "$dir/$m.txt"
		done
		MIBDIRS="$dir:$VNET_SRCDIR/mibs:/usr/share/snmp/mibs"
		SMIPATH=$MIBDIRS
		export MIBDIRS SMIPATH
	}
fi

VNET_MIB_OK=0
# vnet_mib_try: set up the base MIBs in $T/mibs; VNET_MIB_OK=1 if VNET-MIB loads by name.
vnet_mib_try() {
	local got
	VNET_MIB_OK=0
	vnet_mib_setup "$T/mibs" >/dev/null 2>&1 || return 0
	got=$(snmptranslate -M "${MIBDIRS:-}:$VNET_SRCDIR/mibs:/usr/share/snmp/mibs" -m VNET-MIB -On \
		VNET-MIB::vnetTable 2>/dev/null) || return 0
	[[ $got == ".$VNET_OID_TABLE" ]] && VNET_MIB_OK=1
	return 0
}

# vtable: render vnetTable (snmptable by name when the MIB loads, else numerically).
vtable() {
	local width=${COLUMNS:-160}
	if ((VNET_MIB_OK)); then
		timeout 60 snmptable -v2c -c public -t 2 -r 1 -M "${MIBDIRS:-}:$VNET_SRCDIR/mibs:/usr/share/snmp/mibs" \
			-m VNET-MIB -Cb -Cw "$width" "$@" "unix:$T/snmp.sock" VNET-MIB::vnetTable
	else
		vnet_render_table "$VNET_OID_ENTRY" "${VNET_TABLE_HEADERS[@]}"
	fi
}

VNET_TABLE_HEADERS=(index Name IfIndex Type Ports BytesSent BytesRecv PktsSent PktsRecv PktsDrop
	SentMax SentAvg RecvMax RecvAvg SentTotal RecvTotal Discontinuity)

# vnet_render_table ENTRY_OID [HEADER...]: walk a table and print it as aligned
# columns, one row per index (numeric rendering, no MIB needed).
vnet_render_table() {
	local entry=$1
	shift
	vwalk "$entry" | awk -F'\t' -v entry="$entry" -v hdr="$*" '
	BEGIN { nh = split(hdr, H, " ") }
	index($1, entry ".") == 1 {
		rest = substr($1, length(entry) + 2)
		col = rest; sub(/\..*/, "", col); idx = substr(rest, length(col) + 2)
		if (!(idx in seen)) { seen[idx] = 1; rows[++nr] = idx }
		if (!(col in cseen)) { cseen[col] = 1; cols[++nc] = col + 0 }
		v = $3; if ($2 == "Hex-STRING" && length(v) >= 16) v = sprintf("%d-%02d-%02d,%02d:%02d:%02d", \
			hex(substr(v,1,4)), hex(substr(v,5,2)), hex(substr(v,7,2)), hex(substr(v,9,2)), hex(substr(v,11,2)), hex(substr(v,13,2)))
		cell[idx, col + 0] = v
	}
	function hex(s,   i, n, c) { n = 0; s = toupper(s); for (i = 1; i <= length(s); i++) { c = index("0123456789ABCDEF", substr(s, i, 1)) - 1; n = n * 16 + c } return n }
	END {
		for (i = 1; i <= nc; i++) for (j = i + 1; j <= nc; j++) if (cols[j] < cols[i]) { t = cols[i]; cols[i] = cols[j]; cols[j] = t }
		ilabel = (nh >= 1) ? H[1] : "index"
		w[0] = length(ilabel)
		for (r = 1; r <= nr; r++) if (length(rows[r]) > w[0]) w[0] = length(rows[r])
		for (i = 1; i <= nc; i++) {
			c = cols[i]; name = (c > 1 && c <= nh) ? H[c] : "col" c; head[c] = name; w[c] = length(name)
			for (r = 1; r <= nr; r++) if (length(cell[rows[r], c]) > w[c]) w[c] = length(cell[rows[r], c])
		}
		line = sprintf("%-*s", w[0], ilabel)
		for (i = 1; i <= nc; i++) { c = cols[i]; line = line "  " sprintf("%-*s", w[c], head[c]) }
		print line
		for (r = 1; r <= nr; r++) {
			line = sprintf("%-*s", w[0], rows[r])
			for (i = 1; i <= nc; i++) { c = cols[i]; line = line "  " sprintf("%-*s", w[c], cell[rows[r], c]) }
			print line
		}
	}'
}

# ---------------------------------------------------------------- private snmpd

# vnet_snmpd_start [-x SOCKET] [-p PERMS] [-a ADDRESSES] [LINE...]: a private
# master agent on unix sockets in $T, never a port unless ADDRESSES names one.
# AgentX at SOCKET (default $T/agentx.sock) with "agentXPerms PERMS" (default
# 0777 0755); SNMP at ADDRESSES (agentAddress; default unix:$T/snmp.sock, which
# must stay among them: the tests' clients use it), where community "public"
# reads everything and "private" (v2c) writes; then each LINE, as is.
vnet_snmpd_start() {
	local sock=$T/agentx.sock perms="0777 0755" addrs=unix:$T/snmp.sock i opt OPTIND=1
	while getopts x:p:a: opt; do
		case $opt in
		x) sock=$OPTARG ;;
		p) perms=$OPTARG ;;
		a) addrs=$OPTARG ;;
		*) vnet_die "vnet_snmpd_start: bad option" ;;
		esac
	done
	shift $((OPTIND - 1))
	command -v snmpd >/dev/null 2>&1 || vnet_skip "snmpd not installed (run tools/install-deps)"
	{
		cat <<EOF
# private master for vnet-agentx tests (tests/lib.sh)
[snmp] persistentDir $T/persist
master agentx
agentXSocket unix:$sock
agentXPerms $perms
agentAddress $addrs
smuxsocket 1.0.0.0
dontLogTCPWrappersConnects yes
com2secunix vnetro default public
com2secunix vnetrw default private
group vnetrogroup v1 vnetro
group vnetrogroup v2c vnetro
group vnetrwgroup v2c vnetrw
view vnetall included .1
access vnetrogroup "" any noauth exact vnetall none none
access vnetrwgroup "" any noauth exact vnetall vnetall none
EOF
		if (($#)); then printf '%s\n' "$@"; fi
	} >"$T/snmpd.conf"
	snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" -p "$T/snmpd.pid" -M /dev/null </dev/null >/dev/null 2>&1 &
	VNET_SNMPD_PID=$!
	_vnet_track "$VNET_SNMPD_PID" snmpd
	for ((i = 0; i < 100; i++)); do
		[[ -S $T/snmp.sock && -S $sock ]] && break
		_vnet_alive "$VNET_SNMPD_PID" || break
		sleep 0.1
	done
	if ! [[ -S $T/snmp.sock && -S $sock ]]; then
		_vnet_dump_file "$T/snmpd.log" 40
		vnet_die "private snmpd did not create its sockets within 10 s"
	fi
	if ! vnet_wait_until 10 vval "$VNET_OID_SYSDESCR"; then
		_vnet_dump_file "$T/snmpd.log" 40
		vnet_die "private snmpd does not answer sysDescr.0 on unix:$T/snmp.sock"
	fi
	vnet_log "snmpd (pid $VNET_SNMPD_PID) answers on $addrs, agentx at unix:$sock"
}

# ---------------------------------------------------------------- namespaces

# vnet_netns_add VAR SUFFIX: create namespace vnt-<pid>-SUFFIX (no IPv6, lo up),
# removed at cleanup; its name in VAR.
vnet_netns_add() {
	local __var=$1 name="vnt-$$-$2"
	[[ ! -e /run/netns/$name ]] || vnet_die "namespace $name already exists"
	ip netns add "$name" || vnet_die "ip netns add $name failed"
	_vnet_netns+=("$name")
	# No IPv6 at all (no link-local addresses, no autoconf noise): only 192.0.2.0/24 is used.
	ip netns exec "$name" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
	ip -n "$name" link set lo up
	printf -v "$__var" '%s' "$name"
}

# vnet_netns_create: the switch namespace, in VNET_SW.
vnet_netns_create() {
	command -v ip >/dev/null 2>&1 || vnet_skip "ip (iproute2) not installed"
	vnet_netns_add VNET_SW sw
	vnet_log "switch namespace $VNET_SW"
}

# vnet_host_add BRIDGE: a new host namespace with one veth whose other end is a
# port of BRIDGE; address 192.0.2.K/24.  The host's name is in VNET_LAST_HOST.
VNET_LAST_HOST=""
vnet_host_add() {
	local br=$1 h k port nports
	_vnet_host_count=$((_vnet_host_count + 1))
	k=$_vnet_host_count
	((k <= 254)) || vnet_die "too many hosts"
	vnet_netns_add h "h$k"
	nports=$(($(wc -w <<<"${VNET_BR_HOSTS[$br]:-}") + 1))
	port="${br:0:9}-p$nports"
	ip -n "$VNET_SW" link add "$port" type veth peer name eth0 netns "$h"
	ip -n "$VNET_SW" link set "$port" master "$br"
	ip -n "$VNET_SW" link set "$port" up
	ip -n "$h" addr add "192.0.2.$k/24" dev eth0
	ip -n "$h" link set eth0 up
	VNET_HOST_ADDR[$h]=192.0.2.$k
	VNET_BR_HOSTS[$br]="${VNET_BR_HOSTS[$br]:-} $h"
	VNET_BR_HOSTS[$br]=${VNET_BR_HOSTS[$br]# }
	VNET_LAST_HOST=$h
}

# vnet_bridge_add BRIDGE NPORTS: a bridge in the switch namespace, up, with NPORTS
# ports each leading to a new host namespace.
vnet_bridge_add() {
	local br=$1 n=${2:-0} i
	[[ -n $VNET_SW ]] || vnet_die "vnet_bridge_add: call vnet_netns_create first"
	ip -n "$VNET_SW" link add "$br" type bridge
	ip -n "$VNET_SW" link set "$br" up
	VNET_BR_HOSTS[$br]=""
	for ((i = 0; i < n; i++)); do vnet_host_add "$br"; done
}

# vnet_bridge_del BRIDGE
vnet_bridge_del() {
	ip -n "$VNET_SW" link del "$1"
	unset "VNET_BR_HOSTS[$1]"
}

# vnet_plain_link NAME: a veth pair NAME/NAMEx in the switch namespace, up, in no bridge.
vnet_plain_link() {
	ip -n "$VNET_SW" link add "$1" type veth peer name "${1:0:14}x"
	ip -n "$VNET_SW" link set "$1" up
	ip -n "$VNET_SW" link set "${1:0:14}x" up
}

# vnet_ifindex NAME: the ifindex of a link in the switch namespace.
vnet_ifindex() {
	ip -n "$VNET_SW" -o link show dev "$1" | awk -F': ' '{print $1; exit}'
}

# vnet_host_of BRIDGE N: the N-th (1-based) host namespace on BRIDGE.
vnet_host_of() {
	local -a hs
	read -r -a hs <<<"${VNET_BR_HOSTS[$1]:-}"
	[[ -n ${hs[$2 - 1]:-} ]] || vnet_die "bridge $1 has no host $2"
	printf '%s\n' "${hs[$2 - 1]}"
}

# ---------------------------------------------------------------- traffic

_vnet_rx_bytes() { ip netns exec "$1" cat /sys/class/net/eth0/statistics/rx_bytes; }

_vnet_rx_grows() { # NS: rx_bytes of its eth0 grows within 0.5 s
	local a b
	a=$(_vnet_rx_bytes "$1") || return 1
	sleep 0.5
	b=$(_vnet_rx_bytes "$1") || return 1
	((b > a + 10000))
}

_vnet_listening() { # NS PORT
	[[ -n $(ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null) ]]
}

# vnet_traffic_start FROM_HOST TO_HOST [RATE]: steady UDP from FROM to TO (iperf3,
# default 2M bit/s) until vnet_traffic_stop or cleanup.
vnet_traffic_start() {
	local from=$1 to=$2 rate=${3:-2M} addr pid
	command -v iperf3 >/dev/null 2>&1 || vnet_skip "iperf3 not installed (run tools/install-deps)"
	addr=${VNET_HOST_ADDR[$to]:?unknown host namespace $to}
	if [[ -z ${_vnet_iperf_server[$to]:-} ]]; then
		ip netns exec "$to" iperf3 -s -B "$addr" -p 5201 </dev/null >"$T/iperf-server-$to.log" 2>&1 &
		pid=$!
		_vnet_track "$pid" "iperf3 server in $to"
		_vnet_iperf_server[$to]=$pid
		_vnet_traffic_pids+=("$pid")
		vnet_wait_until 10 _vnet_listening "$to" 5201 || vnet_die "iperf3 server in $to not listening"
	fi
	ip netns exec "$from" iperf3 -u -b "$rate" -t 3600 -c "$addr" -p 5201 </dev/null \
		>"$T/iperf-client-$from.log" 2>&1 &
	pid=$!
	_vnet_track "$pid" "iperf3 client in $from"
	_vnet_traffic_pids+=("$pid")
	if ! vnet_wait_until 10 _vnet_rx_grows "$to"; then
		tail -n 20 "$T/iperf-client-$from.log" 2>/dev/null || true
		vnet_die "no traffic reaches $to ($addr) from $from"
	fi
	vnet_log "traffic: $from (${VNET_HOST_ADDR[$from]}) -> $to ($addr), UDP $rate bit/s"
}

# vnet_traffic_stop: stop every traffic generator.
vnet_traffic_stop() {
	local i
	for ((i = ${#_vnet_traffic_pids[@]} - 1; i >= 0; i--)); do
		vnet_stop_pid "${_vnet_traffic_pids[i]}" 3 || true
	done
	_vnet_traffic_pids=()
	_vnet_iperf_server=()
}

# ---------------------------------------------------------------- the agent

# vnet_agent_conf [LINE...]: write $T/vnet.conf (vnetStateDir $T/state + LINEs).
vnet_agent_conf() {
	{
		printf '# vnet-agentx test configuration\n'
		printf 'vnetStateDir %s\n' "$T/state"
		if (($#)); then printf '%s\n' "$@"; fi
	} >"$T/vnet.conf"
}

# vnet_agent_start [CONFIG-LINE...]: start the agent (in the switch namespace if
# there is one) attached to the private master; wait until vnetHistorySize.0 answers.
vnet_agent_start() {
	local -a cmd=()
	vnet_need_agent
	vnet_agent_conf "$@"
	# The agent appends "SAMPLE K LATE_NS WORK_NS" per tick to this file: how
	# late the sampler woke and how long the tick took (see src/sampler.c).
	cmd=(env "VNET_AGENTX_TICKLOG=$T/agent-ticks.log")
	[[ -z $VNET_SW ]] || cmd+=(ip netns exec "$VNET_SW")
	cmd+=("$VNET_AGENTX" -f -C -c "$T/vnet.conf" -x "unix:$T/agentx.sock" -Lf "$T/agent.log")
	[[ -z ${VNET_AGENT_DEBUG:-} ]] || cmd+=(-D "$VNET_AGENT_DEBUG")
	vnet_log "starting: ${cmd[*]}"
	"${cmd[@]}" </dev/null >"$T/agent.stderr" 2>&1 &
	VNET_AGENT_PID=$!
	_vnet_track "$VNET_AGENT_PID" vnet-agentx
	if ! vnet_wait_until 10 _vnet_agent_ready; then
		if ! _vnet_alive "$VNET_AGENT_PID"; then
			local rc=0
			wait "$VNET_AGENT_PID" 2>/dev/null || rc=$?
			vnet_log "the agent exited with status $rc"
		fi
		_vnet_dump_logs
		vnet_die "the agent did not answer vnetHistorySize.0 within 10 s"
	fi
	vnet_log "agent (pid $VNET_AGENT_PID) is serving"
}

_vnet_agent_ready() {
	_vnet_alive "$VNET_AGENT_PID" || return 2
	vval "$VNET_OID_HISTSIZE" >/dev/null
}

# vnet_agent_stop [TIMEOUT_S]: SIGTERM the agent; VNET_AGENT_RC = exit status,
# VNET_AGENT_STOP_MS = how long it took.  Returns 1 if it had to be killed.
VNET_AGENT_RC="" VNET_AGENT_STOP_MS=""
vnet_agent_stop() {
	local timeout=${1:-5} t0 i killed=0 rc=0
	[[ -n $VNET_AGENT_PID ]] || return 0
	t0=$(_vnet_elapsed_ms)
	kill -TERM "$VNET_AGENT_PID" 2>/dev/null || true
	for ((i = 0; i < timeout * 100; i++)); do
		_vnet_alive "$VNET_AGENT_PID" || break
		sleep 0.01
	done
	VNET_AGENT_STOP_MS=$(($(_vnet_elapsed_ms) - t0))
	if _vnet_alive "$VNET_AGENT_PID"; then
		kill -KILL "$VNET_AGENT_PID" 2>/dev/null || true
		killed=1
	fi
	wait "$VNET_AGENT_PID" 2>/dev/null || rc=$?
	VNET_AGENT_RC=$rc
	VNET_AGENT_PID=""
	return "$killed"
}

# ---------------------------------------------------------------- stall watchdog

# The contract marks a history row interpolated(2) when the sampler could not
# take it on time: the process or the machine stalled, or the kernel did not
# answer (an RTM_GETSTATS dump waits for the RTNL lock, which namespace
# teardown elsewhere on the machine can hold for seconds).  To tell such a
# stall apart from an agent bug, a watchdog loop does what the sampler does,
# ten times a second: an RTM_GETSTATS dump of the switch namespace
# (`ip stats show`), logging "BEFORE AFTER" wall-clock times.
#   cpu stall:  the loop itself ran >= 0.9 s late (BEFORE - previous AFTER)
#   rtnl stall: one dump took >= 0.9 s (AFTER - BEFORE)

# vnet_watchdog_start: start the watchdog (stopped by cleanup); call it after
# vnet_netns_create.
vnet_watchdog_start() {
	local ns=$VNET_SW
	(
		trap 'exit 0' TERM
		while :; do
			t0=$EPOCHREALTIME
			if [[ -n $ns ]]; then ip -n "$ns" stats show group link >/dev/null 2>&1 || true; fi
			printf '%s %s\n' "$t0" "$EPOCHREALTIME"
			sleep 0.1
		done
	) >"$T/watchdog.log" 2>/dev/null &
	_vnet_track "$!" watchdog
}

# vnet_stalls [MIN_S]: "KIND START END SECONDS" (KIND cpu or rtnl, epoch
# seconds) for every watchdog stall of at least MIN_S (0.9) seconds.
vnet_stalls() {
	[[ -s $T/watchdog.log ]] || return 0
	awk -v min="${1:-0.9}" '
		NF == 2 && NR > 1 && $1 - prev >= min { printf "cpu %.3f %.3f %.3f\n", prev, $1, $1 - prev }
		NF == 2 && $2 - $1 >= min { printf "rtnl %.3f %.3f %.3f\n", $1, $2, $2 - $1 }
		NF == 2 { prev = $2 }' "$T/watchdog.log"
}

# _vnet_in_stall DS STALLS [KIND] [BEFORE_S] [AFTER_S]: the time DS (deciseconds
# since the epoch) lies within [start - BEFORE_S, end + AFTER_S] (1.5 s each by
# default) of one of STALLS (vnet_stalls output), of KIND if given.
_vnet_in_stall() {
	[[ -n $2 ]] || return 1
	awk -v t="$1" -v k="${3:-}" -v b="${4:-1.5}" -v a="${5:-1.5}" '
		(k == "" || $1 == k) && t / 10 >= $2 - b && t / 10 <= $3 + a { found = 1 }
		END { exit !found }' <<<"$2"
}

# vnet_check_status NET IDX WALKFILE: every history row of network IDX in the
# parsed walk WALKFILE (columns 2, 3 and 4) is valid(1); an interpolated(2)
# row passes only if a watchdog stall explains it (its time within 1.5 s of
# one) and, where the agent's tick log shows its group, the group's amounts
# are shared evenly (differ by at most 1).
vnet_check_status() {
	local net=$1 idx=$2 file=$3 smp st v t ok stalls unexplained="" uneven="" explained=0 valid=0
	local s k j lo hi
	local -A bytes=() times=()
	stalls=$(vnet_stalls 0.9)
	while IFS=$'\t' read -r smp v; do bytes[$smp]=$v; done < <(vnet_history_rows "$idx" 4 "$file")
	while IFS=$'\t' read -r smp v; do times[$smp]=$v; done < <(vnet_history_rows "$idx" 2 "$file")
	while IFS=$'\t' read -r smp st; do
		if [[ $st == 1 ]]; then
			valid=$((valid + 1))
			continue
		fi
		ok=0
		if [[ $st == 2 ]] && t=$(vnet_dat_to_ds "${times[$smp]:-}") && _vnet_in_stall "$t" "$stalls"; then
			ok=1
		fi
		if ((ok)); then
			explained=$((explained + 1))
		else
			unexplained+=" $smp(status $st, $(vnet_dat_fmt "${times[$smp]:-?}"))"
		fi
	done < <(vnet_history_rows "$idx" 3 "$file")
	# Evenly shared: per group of k rows from the tick log ("SAMPLE K LATE WORK").
	if ((explained)) && [[ -s $T/agent-ticks.log ]]; then
		while read -r s k _; do
			((k > 1)) || continue
			lo="" hi=""
			for ((j = s - k + 1; j <= s; j++)); do
				v=${bytes[$j]:-}
				[[ -n $v ]] || continue
				if [[ -z $lo ]]; then
					lo=$v hi=$v
				elif ((v < lo)); then
					lo=$v
				elif ((v > hi)); then
					hi=$v
				fi
			done
			if [[ -n $lo ]] && ((hi - lo > 1)); then uneven+=" samples $((s - k + 1))..$s: $lo..$hi;"; fi
		done <"$T/agent-ticks.log"
	fi
	if [[ -n $unexplained ]]; then
		vnet_fail "$net: vnetHistoryStatus valid(1) (interpolated only when the machine stalled)" \
			"rows not valid(1) with no stall to explain them:$unexplained" \
			"watchdog stalls >= 0.9 s: ${stalls:-none}" \
			"agent tick log (SAMPLE K LATE_NS WORK_NS), k > 1 or slow: $(awk '$2 > 1 || $4 > 200000000' "$T/agent-ticks.log" 2>/dev/null | head -5 | tr '\n' ';')"
	elif [[ -n $uneven ]]; then
		vnet_fail "$net: interpolated rows share the amount evenly" "$uneven"
	elif ((explained)); then
		vnet_pass "$net: vnetHistoryStatus: $valid valid(1), $explained interpolated(2) during a stall the watchdog saw too ($(tr '\n' ' ' <<<"$stalls"))"
	else
		vnet_pass "$net: vnetHistoryStatus of all $valid rows is valid(1)"
	fi
}

# vnet_check_steady NET IDX WALKFILE: for a network carrying steady traffic
# (a fixed-rate iperf3 stream), every history row holds about one second of
# it: between 0.25 and 2.5 times the median of vnetHistoryBytesSent over the
# valid(1) rows.  A row
# that holds many seconds (counters read late but booked to one valid row) or
# almost none fails, except next to a cpu stall (the traffic generator itself
# paused, then caught up).  An rtnl stall excuses nothing here: the agent must
# spread what the counters moved over the seconds it covers.
vnet_check_steady() {
	local net=$1 idx=$2 file=$3 med stalls smp v t bad=""
	local -A times=()
	while IFS=$'\t' read -r smp v; do times[$smp]=$v; done < <(vnet_history_rows "$idx" 2 "$file")
	# the median of the valid(1) rows (of all rows if none is valid)
	med=$(join -t $'\t' <(vnet_history_rows "$idx" 4 "$file" | sort -t $'\t' -k1,1) \
		<(vnet_history_rows "$idx" 3 "$file" | sort -t $'\t' -k1,1) |
		awk -F'\t' '{ all[++n] = $2 } $3 == 1 { v[++m] = $2 }
			END { if (!m) { m = n; for (i = 1; i <= n; i++) v[i] = all[i] }
			      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
			      if (m) print v[int((m + 1) / 2)] }')
	if [[ -z $med ]] || ((med < 10000)); then
		vnet_fail "$net: steady traffic shows in the history" "median vnetHistoryBytesSent: '${med:-none}'"
		return 0
	fi
	stalls=$(vnet_stalls 0.9)
	while IFS=$'\t' read -r smp v; do
		if ((v * 4 >= med && v * 2 <= med * 5)); then continue; fi
		if t=$(vnet_dat_to_ds "${times[$smp]:-}") && _vnet_in_stall "$t" "$stalls" cpu 1.5 3; then continue; fi
		bad+=" sample $smp: $v;"
	done < <(vnet_history_rows "$idx" 4 "$file")
	if [[ -z $bad ]]; then
		vnet_pass "$net: every history row holds about one second of the steady traffic (median $med B)"
	else
		vnet_fail "$net: every history row holds about one second of the steady traffic" \
			"median $med B; rows outside 0.25..2.5 x median:$bad" \
			"watchdog stalls >= 0.9 s: $(tr '\n' ';' <<<"${stalls:-none}")" \
			"agent tick log (SAMPLE K LATE_NS WORK_NS), k > 1 or slow: $(awk '$2 > 1 || $4 > 200000000' "$T/agent-ticks.log" 2>/dev/null | head -5 | tr '\n' ';')"
	fi
}

# ---------------------------------------------------------------- table helpers

_vnet_number_is() { [[ $(vval "$VNET_OID_NUMBER") == "$1" ]]; }

# vnet_wait_networks N [TIMEOUT_S]: wait until vnetNumber.0 = N (a network shows
# one second after the agent first sees it).
vnet_wait_networks() {
	vnet_wait_until "${2:-10}" _vnet_number_is "$1" ||
		vnet_die "vnetNumber.0 did not become $1 within ${2:-10} s (it is $(vval "$VNET_OID_NUMBER" || echo '?'))"
}

# vnet_load_walk FILE ARRAY: read a parsed walk into associative arrays
# ARRAY[oid]=value and ARRAY_type[oid]=type (both must be declared -A by the caller).
vnet_load_walk() {
	local file=$1 arr=$2 oid type val
	local -n __vals=$arr
	local -n __types=${arr}_type
	while IFS=$'\t' read -r oid type val; do
		[[ -n $oid ]] || continue
		# shellcheck disable=SC2004  # associative arrays, through namerefs
		__vals[$oid]=$val
		# shellcheck disable=SC2004
		__types[$oid]=$type
	done <"$file"
}

# vnet_index_of NAME: the vnetIndex of the network called NAME (walks vnetName); empty if none.
vnet_index_of() {
	vwalk "$VNET_OID_ENTRY.$VNET_COL_NAME" | awk -F'\t' -v name="$1" -v pfx="$VNET_OID_ENTRY.$VNET_COL_NAME." '
		index($1, pfx) == 1 && $3 == name { print substr($1, length(pfx) + 1); exit }'
}

# vnet_names: "index<TAB>name" for every row of vnetTable.
vnet_names() {
	vwalk "$VNET_OID_ENTRY.$VNET_COL_NAME" | awk -F'\t' -v pfx="$VNET_OID_ENTRY.$VNET_COL_NAME." '
		index($1, pfx) == 1 { printf "%s\t%s\n", substr($1, length(pfx) + 1), $3 }'
}

# vnet_history_rows IDX COL [WALKFILE]: "sample<TAB>value" for one network and one
# history column (from WALKFILE, a parsed walk, or a fresh walk).
vnet_history_rows() {
	local idx=$1 col=$2 file=${3:-}
	local pfx="$VNET_OID_HENTRY.$col.$idx."
	if [[ -n $file ]]; then
		awk -F'\t' -v pfx="$pfx" 'index($1, pfx) == 1 { printf "%s\t%s\n", substr($1, length(pfx) + 1), $3 }' "$file"
	else
		vwalk -Ox "$VNET_OID_HENTRY.$col.$idx" | awk -F'\t' -v pfx="$pfx" \
			'index($1, pfx) == 1 { printf "%s\t%s\n", substr($1, length(pfx) + 1), $3 }'
	fi
}
