/* snmp_tables.h */
