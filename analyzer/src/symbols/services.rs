//! Service names nft accepts for `inet_service` values.
//!
//! nft resolves a port name with `getaddrinfo`, which reads `/etc/services` and, without hints,
//! looks the name up for tcp first and then udp; names listed only for other protocols (sctp,
//! ddp) do not resolve. Resolving on the host at lint time would make results depend on the
//! machine, so this table fixes the answer: it lists the Debian netbase 6.4 service names and
//! aliases that resolve that way, with the port nft would use. `SERVICES` was generated
//! from that `/etc/services` and checked against nft 1.0.6; when updating it, rebuild it from a
//! newer netbase rather than editing rows by hand.

/// Whether `/etc/services` lists a name for tcp, udp or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transports {
    Tcp,
    Udp,
    TcpUdp,
}

/// A transport protocol that service names are listed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
}

impl Transports {
    /// Whether the name is listed for `transport`.
    pub fn has(self, transport: Transport) -> bool {
        matches!(
            (self, transport),
            (Transports::TcpUdp, _)
                | (Transports::Tcp, Transport::Tcp)
                | (Transports::Udp, Transport::Udp)
        )
    }
}

/// The port nft resolves a service name to, whichever transport it is listed for.
pub fn service_port(name: &str) -> Option<u16> {
    find(name).map(|&(_, port, _)| port)
}

/// The port of a service name listed for `transport`, as `getservbyname(name, "tcp"|"udp")`
/// would answer.
pub fn service_port_for(name: &str, transport: Transport) -> Option<u16> {
    find(name)
        .filter(|&&(_, _, transports)| transports.has(transport))
        .map(|&(_, port, _)| port)
}

fn find(name: &str) -> Option<&'static (&'static str, u16, Transports)> {
    SERVICES
        .binary_search_by(|&(probe, _, _)| probe.cmp(name))
        .ok()
        .map(|index| &SERVICES[index])
}

/// `(name, port, transports)`, sorted by name (byte order) for binary search. Aliases have rows of
/// their own. Where a name is listed twice for one protocol the first line wins, as in
/// `getservbyname`.
pub static SERVICES: &[(&str, u16, Transports)] = &[
    ("Clearcase", 371, Transports::Udp),
    ("acr-nema", 104, Transports::Tcp),
    ("afpovertcp", 548, Transports::Tcp),
    ("afs3-bos", 7007, Transports::Udp),
    ("afs3-callback", 7001, Transports::Udp),
    ("afs3-fileserver", 7000, Transports::Udp),
    ("afs3-kaserver", 7004, Transports::Udp),
    ("afs3-prserver", 7002, Transports::Udp),
    ("afs3-rmtsys", 7009, Transports::Udp),
    ("afs3-update", 7008, Transports::Udp),
    ("afs3-vlserver", 7003, Transports::Udp),
    ("afs3-volser", 7005, Transports::Udp),
    ("amanda", 10080, Transports::Tcp),
    ("amandaidx", 10082, Transports::Tcp),
    ("amidxtape", 10083, Transports::Tcp),
    ("amqp", 5672, Transports::Tcp),
    ("amqps", 5671, Transports::Tcp),
    ("asf-rmcp", 623, Transports::Udp),
    ("asp", 27374, Transports::TcpUdp),
    ("auth", 113, Transports::Tcp),
    ("authentication", 113, Transports::Tcp),
    ("babel", 6696, Transports::Udp),
    ("bacula-dir", 9101, Transports::Tcp),
    ("bacula-fd", 9102, Transports::Tcp),
    ("bacula-sd", 9103, Transports::Tcp),
    ("bbs", 7000, Transports::Tcp),
    ("bgp", 179, Transports::Tcp),
    ("bgpd", 2605, Transports::Tcp),
    ("biff", 512, Transports::Udp),
    ("binkp", 24554, Transports::Tcp),
    ("bootpc", 68, Transports::Udp),
    ("bootps", 67, Transports::Udp),
    ("canna", 5680, Transports::Tcp),
    ("cfengine", 5308, Transports::Tcp),
    ("chargen", 19, Transports::TcpUdp),
    ("cisco-sccp", 2000, Transports::Tcp),
    ("clc-build-daemon", 8990, Transports::Tcp),
    ("clearcase", 371, Transports::Udp),
    ("cmd", 514, Transports::Tcp),
    ("cmip-agent", 164, Transports::TcpUdp),
    ("cmip-man", 163, Transports::TcpUdp),
    ("codaauth2", 370, Transports::TcpUdp),
    ("codasrv", 2432, Transports::TcpUdp),
    ("codasrv-se", 2433, Transports::TcpUdp),
    ("comsat", 512, Transports::Udp),
    ("csync2", 30865, Transports::Tcp),
    ("cvspserver", 2401, Transports::Tcp),
    ("daap", 3689, Transports::Tcp),
    ("datametrics", 1645, Transports::TcpUdp),
    ("daytime", 13, Transports::TcpUdp),
    ("db-lsp", 17500, Transports::Tcp),
    ("dcap", 22125, Transports::Tcp),
    ("dhcpv6-client", 546, Transports::Udp),
    ("dhcpv6-server", 547, Transports::Udp),
    ("dicom", 104, Transports::Tcp),
    ("dict", 2628, Transports::Tcp),
    ("dircproxy", 57000, Transports::Tcp),
    ("discard", 9, Transports::TcpUdp),
    ("distcc", 3632, Transports::Tcp),
    ("domain", 53, Transports::TcpUdp),
    ("domain-s", 853, Transports::TcpUdp),
    ("echo", 7, Transports::TcpUdp),
    ("epmap", 135, Transports::Tcp),
    ("epmd", 4369, Transports::Tcp),
    ("exec", 512, Transports::Tcp),
    ("f5-globalsite", 2792, Transports::Tcp),
    ("f5-iquery", 4353, Transports::Tcp),
    ("fax", 4557, Transports::Tcp),
    ("fido", 60179, Transports::Tcp),
    ("finger", 79, Transports::Tcp),
    ("font-service", 7100, Transports::Tcp),
    ("freeciv", 5556, Transports::Tcp),
    ("fsp", 21, Transports::Udp),
    ("fspd", 21, Transports::Udp),
    ("ftp", 21, Transports::Tcp),
    ("ftp-data", 20, Transports::Tcp),
    ("ftps", 990, Transports::Tcp),
    ("ftps-data", 989, Transports::Tcp),
    ("gdomap", 538, Transports::TcpUdp),
    ("gds-db", 3050, Transports::Tcp),
    ("gds_db", 3050, Transports::Tcp),
    ("git", 9418, Transports::Tcp),
    ("gnunet", 2086, Transports::TcpUdp),
    ("gnutella-rtr", 6347, Transports::TcpUdp),
    ("gnutella-svc", 6346, Transports::TcpUdp),
    ("gopher", 70, Transports::Tcp),
    ("gpsd", 2947, Transports::Tcp),
    ("gris", 2135, Transports::Tcp),
    ("groupwise", 1677, Transports::Tcp),
    ("gsidcap", 22128, Transports::Tcp),
    ("gsiftp", 2811, Transports::Tcp),
    ("gsigatekeeper", 2119, Transports::Tcp),
    ("hkp", 11371, Transports::Tcp),
    ("hprop", 754, Transports::Tcp),
    ("http", 80, Transports::Tcp),
    ("http-alt", 8080, Transports::Tcp),
    ("https", 443, Transports::TcpUdp),
    ("hylafax", 4559, Transports::Tcp),
    ("iax", 4569, Transports::Udp),
    ("icp", 3130, Transports::Udp),
    ("icpv2", 3130, Transports::Udp),
    ("ident", 113, Transports::Tcp),
    ("imap", 143, Transports::Tcp),
    ("imap2", 143, Transports::Tcp),
    ("imaps", 993, Transports::Tcp),
    ("ingreslock", 1524, Transports::Tcp),
    ("ipp", 631, Transports::Tcp),
    ("iprop", 2121, Transports::Tcp),
    ("ipsec-nat-t", 4500, Transports::Udp),
    ("ipx", 213, Transports::Udp),
    ("ircd", 6667, Transports::Tcp),
    ("ircs-u", 6697, Transports::Tcp),
    ("isakmp", 500, Transports::Udp),
    ("iscsi-target", 3260, Transports::Tcp),
    ("isisd", 2608, Transports::Tcp),
    ("isns", 3205, Transports::TcpUdp),
    ("iso-tsap", 102, Transports::Tcp),
    ("jabber-client", 5222, Transports::Tcp),
    ("jabber-server", 5269, Transports::Tcp),
    ("kamanda", 10081, Transports::Tcp),
    ("kdc", 750, Transports::TcpUdp),
    ("kerberos", 88, Transports::TcpUdp),
    ("kerberos-adm", 749, Transports::Tcp),
    ("kerberos-iv", 750, Transports::TcpUdp),
    ("kerberos-master", 751, Transports::TcpUdp),
    ("kerberos-sec", 88, Transports::TcpUdp),
    ("kerberos4", 750, Transports::TcpUdp),
    ("kerberos5", 88, Transports::TcpUdp),
    ("kerberos_master", 751, Transports::Udp),
    ("kermit", 1649, Transports::Tcp),
    ("klogin", 543, Transports::Tcp),
    ("kpasswd", 464, Transports::TcpUdp),
    ("krb-prop", 754, Transports::Tcp),
    ("krb5", 88, Transports::TcpUdp),
    ("krb5_prop", 754, Transports::Tcp),
    ("krb_prop", 754, Transports::Tcp),
    ("krcmd", 544, Transports::Tcp),
    ("kshell", 544, Transports::Tcp),
    ("l2f", 1701, Transports::Udp),
    ("l2tp", 1701, Transports::Udp),
    ("ldap", 389, Transports::TcpUdp),
    ("ldaps", 636, Transports::TcpUdp),
    ("ldp", 646, Transports::TcpUdp),
    ("loc-srv", 135, Transports::Tcp),
    ("login", 513, Transports::Tcp),
    ("lotusnote", 1352, Transports::Tcp),
    ("lotusnotes", 1352, Transports::Tcp),
    ("lrrd", 4949, Transports::Tcp),
    ("mail", 25, Transports::Tcp),
    ("mailq", 174, Transports::Tcp),
    ("mdns", 5353, Transports::Udp),
    ("microsoft-ds", 445, Transports::Tcp),
    ("moira-db", 775, Transports::Tcp),
    ("moira-update", 777, Transports::Tcp),
    ("moira-ureg", 779, Transports::Udp),
    ("moira_db", 775, Transports::Tcp),
    ("moira_update", 777, Transports::Tcp),
    ("moira_ureg", 779, Transports::Udp),
    ("mon", 2583, Transports::TcpUdp),
    ("ms-sql-m", 1434, Transports::Udp),
    ("ms-sql-s", 1433, Transports::Tcp),
    ("ms-wbt-server", 3389, Transports::Tcp),
    ("mtn", 4691, Transports::Tcp),
    ("munin", 4949, Transports::Tcp),
    ("mysql", 3306, Transports::Tcp),
    ("mysql-proxy", 6446, Transports::Tcp),
    ("nbd", 10809, Transports::Tcp),
    ("netbios-dgm", 138, Transports::Udp),
    ("netbios-ns", 137, Transports::Udp),
    ("netbios-ssn", 139, Transports::Tcp),
    ("netstat", 15, Transports::Tcp),
    ("nfs", 2049, Transports::TcpUdp),
    ("nicname", 43, Transports::Tcp),
    ("nntp", 119, Transports::Tcp),
    ("nntps", 563, Transports::Tcp),
    ("nqs", 607, Transports::Tcp),
    ("nrpe", 5666, Transports::Tcp),
    ("nsca", 5667, Transports::Tcp),
    ("ntalk", 518, Transports::Udp),
    ("ntp", 123, Transports::Udp),
    ("ntske", 4460, Transports::Tcp),
    ("null", 9, Transports::TcpUdp),
    ("nut", 3493, Transports::TcpUdp),
    ("old-radacct", 1646, Transports::TcpUdp),
    ("old-radius", 1645, Transports::TcpUdp),
    ("omniorb", 8088, Transports::Tcp),
    ("openvpn", 1194, Transports::TcpUdp),
    ("ospf6d", 2606, Transports::Tcp),
    ("ospfapi", 2607, Transports::Tcp),
    ("ospfd", 2604, Transports::Tcp),
    ("passwd-server", 752, Transports::Udp),
    ("passwd_server", 752, Transports::Udp),
    ("pawserv", 345, Transports::Tcp),
    ("pop-3", 110, Transports::Tcp),
    ("pop3", 110, Transports::Tcp),
    ("pop3s", 995, Transports::Tcp),
    ("poppassd", 106, Transports::Tcp),
    ("portmapper", 111, Transports::TcpUdp),
    ("postgres", 5432, Transports::Tcp),
    ("postgresql", 5432, Transports::Tcp),
    ("predict", 1210, Transports::Udp),
    ("printer", 515, Transports::Tcp),
    ("proofd", 1093, Transports::Tcp),
    ("ptp-event", 319, Transports::Udp),
    ("ptp-general", 320, Transports::Udp),
    ("puppet", 8140, Transports::Tcp),
    ("qmqp", 628, Transports::Tcp),
    ("qmtp", 209, Transports::Tcp),
    ("qotd", 17, Transports::Tcp),
    ("quote", 17, Transports::Tcp),
    ("radacct", 1813, Transports::TcpUdp),
    ("radius", 1812, Transports::TcpUdp),
    ("radius-acct", 1813, Transports::TcpUdp),
    ("radmin-port", 4899, Transports::Tcp),
    ("readnews", 119, Transports::Tcp),
    ("redis", 6379, Transports::Tcp),
    ("remctl", 4373, Transports::Tcp),
    ("ripd", 2602, Transports::Tcp),
    ("ripngd", 2603, Transports::Tcp),
    ("rmiregistry", 1099, Transports::Tcp),
    ("rmtcfg", 1236, Transports::Tcp),
    ("rootd", 1094, Transports::Tcp),
    ("route", 520, Transports::Udp),
    ("routed", 520, Transports::Udp),
    ("router", 520, Transports::Udp),
    ("rpc2portmap", 369, Transports::TcpUdp),
    ("rplay", 5555, Transports::Udp),
    ("rptp", 5556, Transports::Tcp),
    ("rsync", 873, Transports::Tcp),
    ("rtcm-sc104", 2101, Transports::TcpUdp),
    ("rtsp", 554, Transports::TcpUdp),
    ("sa-msg-port", 1646, Transports::TcpUdp),
    ("saft", 487, Transports::Tcp),
    ("sane", 6566, Transports::Tcp),
    ("sane-port", 6566, Transports::Tcp),
    ("saned", 6566, Transports::Tcp),
    ("sge-execd", 6445, Transports::Tcp),
    ("sge-qmaster", 6444, Transports::Tcp),
    ("sge_execd", 6445, Transports::Tcp),
    ("sge_qmaster", 6444, Transports::Tcp),
    ("sgi-cad", 17004, Transports::Tcp),
    ("sgi-cmsd", 17001, Transports::Udp),
    ("sgi-crsd", 17002, Transports::Udp),
    ("sgi-gcd", 17003, Transports::Udp),
    ("shell", 514, Transports::Tcp),
    ("sieve", 4190, Transports::Tcp),
    ("silc", 706, Transports::Tcp),
    ("sink", 9, Transports::TcpUdp),
    ("sip", 5060, Transports::TcpUdp),
    ("sip-tls", 5061, Transports::TcpUdp),
    ("skkserv", 1178, Transports::Tcp),
    ("smtp", 25, Transports::Tcp),
    ("smtps", 465, Transports::Tcp),
    ("smux", 199, Transports::Tcp),
    ("snmp", 161, Transports::TcpUdp),
    ("snmp-trap", 162, Transports::TcpUdp),
    ("snmptrap", 162, Transports::TcpUdp),
    ("snntp", 563, Transports::Tcp),
    ("snpp", 444, Transports::Tcp),
    ("socks", 1080, Transports::Tcp),
    ("source", 19, Transports::TcpUdp),
    ("spamd", 783, Transports::Tcp),
    ("spooler", 515, Transports::Tcp),
    ("ssh", 22, Transports::Tcp),
    ("ssmtp", 465, Transports::Tcp),
    ("submission", 587, Transports::Tcp),
    ("submissions", 465, Transports::Tcp),
    ("subversion", 3690, Transports::Tcp),
    ("sunrpc", 111, Transports::TcpUdp),
    ("supfiledbg", 1127, Transports::Tcp),
    ("supfilesrv", 871, Transports::Tcp),
    ("suucp", 4031, Transports::Tcp),
    ("svn", 3690, Transports::Tcp),
    ("svrloc", 427, Transports::TcpUdp),
    ("syslog", 514, Transports::TcpUdp),
    ("syslog-tls", 6514, Transports::Tcp),
    ("sysrqd", 4094, Transports::Tcp),
    ("systat", 11, Transports::Tcp),
    ("tacacs", 49, Transports::TcpUdp),
    ("talk", 517, Transports::Udp),
    ("tap", 113, Transports::Tcp),
    ("tcpmux", 1, Transports::Tcp),
    ("telnet", 23, Transports::Tcp),
    ("telnets", 992, Transports::Tcp),
    ("tfido", 60177, Transports::Tcp),
    ("tftp", 69, Transports::Udp),
    ("time", 37, Transports::TcpUdp),
    ("timserver", 37, Transports::TcpUdp),
    ("tinc", 655, Transports::TcpUdp),
    ("tproxy", 8081, Transports::Tcp),
    ("tsap", 102, Transports::Tcp),
    ("ttytst", 19, Transports::TcpUdp),
    ("untp", 119, Transports::Tcp),
    ("urd", 465, Transports::Tcp),
    ("users", 11, Transports::Tcp),
    ("uucp", 540, Transports::Tcp),
    ("uucpd", 540, Transports::Tcp),
    ("venus", 2430, Transports::TcpUdp),
    ("venus-se", 2431, Transports::TcpUdp),
    ("wais", 210, Transports::Tcp),
    ("webcache", 8080, Transports::Tcp),
    ("webmin", 10000, Transports::Tcp),
    ("who", 513, Transports::Udp),
    ("whod", 513, Transports::Udp),
    ("whois", 43, Transports::Tcp),
    ("wnn6", 22273, Transports::Tcp),
    ("www", 80, Transports::Tcp),
    ("x11", 6000, Transports::Tcp),
    ("x11-0", 6000, Transports::Tcp),
    ("x11-1", 6001, Transports::Tcp),
    ("x11-2", 6002, Transports::Tcp),
    ("x11-3", 6003, Transports::Tcp),
    ("x11-4", 6004, Transports::Tcp),
    ("x11-5", 6005, Transports::Tcp),
    ("x11-6", 6006, Transports::Tcp),
    ("x11-7", 6007, Transports::Tcp),
    ("xdmcp", 177, Transports::Udp),
    ("xfs", 7100, Transports::Tcp),
    ("xinetd", 9098, Transports::Tcp),
    ("xmms2", 9667, Transports::Tcp),
    ("xmpp-client", 5222, Transports::Tcp),
    ("xmpp-server", 5269, Transports::Tcp),
    ("xtel", 1313, Transports::Tcp),
    ("xtelw", 1314, Transports::Tcp),
    ("z3950", 210, Transports::Tcp),
    ("zabbix-agent", 10050, Transports::Tcp),
    ("zabbix-trapper", 10051, Transports::Tcp),
    ("zebra", 2601, Transports::Tcp),
    ("zebrasrv", 2600, Transports::Tcp),
    ("zephyr-clt", 2103, Transports::Udp),
    ("zephyr-hm", 2104, Transports::Udp),
    ("zephyr-srv", 2102, Transports::Udp),
    ("zope", 9673, Transports::Tcp),
    ("zope-ftp", 8021, Transports::Tcp),
    ("zserv", 346, Transports::Tcp),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        for pair in SERVICES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn known_ports() {
        assert_eq!(service_port("ssh"), Some(22));
        assert_eq!(service_port("http"), Some(80));
        assert_eq!(service_port("www"), Some(80));
        assert_eq!(service_port("https"), Some(443));
        assert_eq!(service_port("http-alt"), Some(8080));
        assert_eq!(service_port("webcache"), Some(8080));
        assert_eq!(service_port("domain"), Some(53));
        assert_eq!(service_port("bootpc"), Some(68));
        assert_eq!(service_port("ntp"), Some(123));
        // Listed for ddp or sctp only: getaddrinfo does not resolve these without hints.
        assert_eq!(service_port("rtmp"), None);
        assert_eq!(service_port("SSH"), None);
        assert_eq!(service_port("22"), None);
    }

    #[test]
    fn per_transport() {
        assert_eq!(service_port_for("ntp", Transport::Udp), Some(123));
        assert_eq!(service_port_for("ntp", Transport::Tcp), None);
        assert_eq!(service_port_for("ssh", Transport::Tcp), Some(22));
        assert_eq!(service_port_for("domain", Transport::Tcp), Some(53));
        assert_eq!(service_port_for("domain", Transport::Udp), Some(53));
        assert!(Transports::TcpUdp.has(Transport::Udp));
        assert!(!Transports::Tcp.has(Transport::Udp));
    }
}
