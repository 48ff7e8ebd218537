# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/mibpath.sh - make VNET-MIB loadable by smilint and net-snmp tools.
#
# Sourced, not run. Defines one function:
#
#   vnet_mib_setup DIR
#
# DIR is a directory the caller owns (typically under a `mktemp -d` it
# removes on exit); it is created if needed. The function fills it with
# the three SMIv2 base modules VNET-MIB imports from, named the way both
# libsmi and net-snmp look for them (SNMPv2-SMI.txt, SNMPv2-TC.txt,
# SNMPv2-CONF.txt), then exports and prints (as shell-quoted assignments,
# so `eval "$(vnet_mib_setup "$T")"` works as well as a plain call):
#
#   SMIPATH   for libsmi (smilint, smidump):  <srcdir>/mibs:DIR:<net-snmp mibdir>
#   MIBDIRS   for net-snmp (snmptranslate, snmpwalk, ...):
#                                              DIR:<net-snmp mibdir>:<srcdir>/mibs
#   VNET_MIB_FILE       the VNET-MIB.txt of this source tree
#   VNET_NETSNMP_MIBDIR the net-snmp MIB directory used (NET-SNMP-MIB.txt)
#
# The order differs on purpose: when two directories hold the same module,
# libsmi takes it from the first and net-snmp from the last. Both orders
# make this source tree's VNET-MIB win over an installed (older) copy in
# the net-snmp MIB directory. Callers still pass -m VNET-MIB / -m +VNET-MIB
# to net-snmp tools themselves; nothing here sets MIBS.
#
# net-snmp tools write index caches under SNMP_PERSISTENT_DIR (default
# /var/lib/snmp when root); callers that care point it at their temp dir.
#
# Why this exists: Debian ships no IETF MIB text (snmp-mibs-downloader is
# non-free), so SNMPv2-SMI/TC/CONF are missing and neither
# `snmptranslate -m +VNET-MIB` nor smilint can load VNET-MIB on a stock
# machine. The modules are taken, in this order, from:
#   1. $VNET_SMI_BASE_DIR, if set (any directory holding the three modules
#      as NAME.txt, NAME.mib, NAME.my or NAME; e.g. the lib/mibs directory
#      of the npm package net-snmp);
#   2. the net-snmp MIB directory itself, if it has them (upstream builds,
#      Fedora, ... ship them there);
#   3. Debian's erlang-snmp package, which installs the RFC 2578/2579/2580
#      text as /usr/lib/erlang/lib/snmp-*/mibs/SNMPv2-{SMI,TC,CONF}.mib;
#   4. as root with apt-get available (and VNET_NO_APT unset): after
#      `apt-get install -y erlang-snmp`, place 3 again.
# They are symlinked into DIR, never copied into the source tree.
#
# net-snmp 5.9 and libsmi 0.4.8 both read the erlang-snmp copies as they
# are: no rewriting is needed. (libsmi reports errors in the erlang
# SNMPv2-SMI, e.g. the Counter64 range, but only with smilint -r, which
# lints imported modules too; net-snmp's -PW detailed warnings note that
# the RowStatus DESCRIPTION exceeds its 4096-character string limit, as it
# does for the IETF original. Neither affects VNET-MIB.)
#
# Returns 0 on success, 1 (with a message on stderr) when the base modules
# or NET-SNMP-MIB cannot be found.

# Where this file lives, resolved when it is sourced.
_vnet_mibpath_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# _vnet_mib_find DIR NAME: print the path of module NAME in DIR, if any.
_vnet_mib_find() {
	local d=$1 n=$2 f
	for f in "$d/$n.txt" "$d/$n.mib" "$d/$n.my" "$d/$n"; do
		if [ -f "$f" ] && [ -r "$f" ]; then
			printf '%s\n' "$f"
			return 0
		fi
	done
	return 1
}

# _vnet_mib_has_base DIR: DIR holds all three base modules.
_vnet_mib_has_base() {
	local n
	[ -n "$1" ] && [ -d "$1" ] || return 1
	for n in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF; do
		_vnet_mib_find "$1" "$n" >/dev/null || return 1
	done
	return 0
}

# _vnet_mib_erlang_dir: print the newest erlang-snmp mibs directory.
_vnet_mib_erlang_dir() {
	local d found=''
	# Version-sorted, so the newest snmp-X.Y.Z comes last. A pattern
	# that matches nothing stays literal and fails the test below.
	while IFS= read -r d; do
		_vnet_mib_has_base "$d" && found=$d
	done < <(printf '%s\n' /usr/lib/erlang/lib/snmp-*/mibs \
		/usr/lib64/erlang/lib/snmp-*/mibs \
		/usr/local/lib/erlang/lib/snmp-*/mibs | sort -V)
	[ -n "$found" ] || return 1
	printf '%s\n' "$found"
}

# _vnet_mib_netsnmp_dir: print the net-snmp MIB directory (NET-SNMP-MIB).
_vnet_mib_netsnmp_dir() {
	local d dirs=() extra=()
	[ -n "${VNET_NETSNMP_MIBDIR:-}" ] && dirs+=("$VNET_NETSNMP_MIBDIR")
	if command -v net-snmp-config >/dev/null 2>&1; then
		IFS=: read -r -a extra \
			< <(net-snmp-config --default-mibdirs 2>/dev/null)
		dirs+=("${extra[@]}")
	fi
	dirs+=(/usr/share/snmp/mibs /usr/local/share/snmp/mibs)
	for d in "${dirs[@]}"; do
		if [ -n "$d" ] && _vnet_mib_find "$d" NET-SNMP-MIB >/dev/null; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	return 1
}

vnet_mib_setup() {
	local dir=${1:-} srcdir netsnmp base='' n f
	if [ -z "$dir" ]; then
		echo "vnet_mib_setup: usage: vnet_mib_setup DIR" >&2
		return 1
	fi
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd) || return 1

	srcdir=${VNET_SRCDIR:-$(cd "$_vnet_mibpath_here/.." && pwd)}
	if [ ! -f "$srcdir/mibs/VNET-MIB.txt" ]; then
		echo "vnet_mib_setup: no $srcdir/mibs/VNET-MIB.txt" >&2
		return 1
	fi

	if ! netsnmp=$(_vnet_mib_netsnmp_dir); then
		echo "vnet_mib_setup: NET-SNMP-MIB not found (install net-snmp's MIB files, e.g. Debian libsnmp-base, or set VNET_NETSNMP_MIBDIR)" >&2
		return 1
	fi

	if [ -n "${VNET_SMI_BASE_DIR:-}" ]; then
		if _vnet_mib_has_base "$VNET_SMI_BASE_DIR"; then
			base=$VNET_SMI_BASE_DIR
		else
			echo "vnet_mib_setup: VNET_SMI_BASE_DIR=$VNET_SMI_BASE_DIR lacks SNMPv2-SMI/TC/CONF" >&2
			return 1
		fi
	elif _vnet_mib_has_base "$netsnmp"; then
		base=$netsnmp
	elif base=$(_vnet_mib_erlang_dir); then
		:
	elif [ "$(id -u)" = 0 ] && [ -z "${VNET_NO_APT:-}" ] &&
		command -v apt-get >/dev/null 2>&1; then
		echo "vnet_mib_setup: SNMPv2-SMI/TC/CONF missing; apt-get install -y erlang-snmp" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q erlang-snmp >&2 ||
			echo "vnet_mib_setup: apt-get install erlang-snmp failed" >&2
		base=$(_vnet_mib_erlang_dir) || base=
	fi
	if [ -z "$base" ]; then
		echo "vnet_mib_setup: SMIv2 base modules SNMPv2-SMI/TC/CONF not found (install erlang-snmp, or set VNET_SMI_BASE_DIR)" >&2
		return 1
	fi

	for n in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF; do
		f=$(_vnet_mib_find "$base" "$n") || return 1
		# The caller's own directory: replace whatever an earlier call left.
		ln -sf "$f" "$dir/$n.txt" || return 1
	done

	export SMIPATH="$srcdir/mibs:$dir:$netsnmp"
	export MIBDIRS="$dir:$netsnmp:$srcdir/mibs"
	export VNET_MIB_FILE="$srcdir/mibs/VNET-MIB.txt"
	export VNET_NETSNMP_MIBDIR="$netsnmp"
	printf 'SMIPATH=%q\n' "$SMIPATH"
	printf 'MIBDIRS=%q\n' "$MIBDIRS"
	printf 'VNET_MIB_FILE=%q\n' "$VNET_MIB_FILE"
	printf 'VNET_NETSNMP_MIBDIR=%q\n' "$VNET_NETSNMP_MIBDIR"
	printf 'export SMIPATH MIBDIRS VNET_MIB_FILE VNET_NETSNMP_MIBDIR\n'
	return 0
}
