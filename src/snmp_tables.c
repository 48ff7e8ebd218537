/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stub: not written yet */
#include <config.h>
#include "snmp_tables.h"
