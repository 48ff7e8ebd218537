/* snmp_config.h */
