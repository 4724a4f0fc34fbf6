package warninglist

// Service addresses that every network talks to: the public DNS
// resolvers (malware checks connectivity against them; benign software
// is configured with them) and the instance-metadata endpoints of cloud
// providers (reachable from inside a virtual machine only). Each entry
// cites the operator's documentation; only the published service
// addresses are listed, never the operator's whole network.
func serviceLists() []*List {
	const (
		google     = "https://developers.google.com/speed/public-dns/docs/using"
		google64   = "https://developers.google.com/speed/public-dns/docs/dns64"
		cloudflare = "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"
		quad9      = "https://docs.quad9.net/services/"
		opendns    = "https://support.umbrella.com/hc/en-us/articles/230901268 (Umbrella resolvers, IPv4 and IPv6); OpenDNS FamilyShield setup guide"
		adguard    = "https://adguard-dns.io/kb/general/dns-providers/ (AdGuard DNS, Default)"
		aws        = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html"
	)
	return []*List{
		shipped("google-public-dns",
			"Google Public DNS resolver addresses.",
			google,
			spec{"8.8.8.8", google},
			spec{"8.8.4.4", google},
			spec{"2001:4860:4860::8888", google},
			spec{"2001:4860:4860::8844", google},
			spec{"2001:4860:4860::6464", google64 + " (DNS64)"},
			spec{"2001:4860:4860::64", google64 + " (DNS64)"}),
		shipped("cloudflare-dns",
			"Cloudflare 1.1.1.1 and 1.1.1.1 for Families resolver addresses.",
			cloudflare,
			spec{"1.1.1.1", cloudflare + " (1.1.1.1)"},
			spec{"1.0.0.1", cloudflare + " (1.1.1.1)"},
			spec{"2606:4700:4700::1111", cloudflare + " (1.1.1.1)"},
			spec{"2606:4700:4700::1001", cloudflare + " (1.1.1.1)"},
			spec{"1.1.1.2", cloudflare + " (for Families: block malware)"},
			spec{"1.0.0.2", cloudflare + " (for Families: block malware)"},
			spec{"2606:4700:4700::1112", cloudflare + " (for Families: block malware)"},
			spec{"2606:4700:4700::1002", cloudflare + " (for Families: block malware)"},
			spec{"1.1.1.3", cloudflare + " (for Families: block malware and adult content)"},
			spec{"1.0.0.3", cloudflare + " (for Families: block malware and adult content)"},
			spec{"2606:4700:4700::1113", cloudflare + " (for Families: block malware and adult content)"},
			spec{"2606:4700:4700::1003", cloudflare + " (for Families: block malware and adult content)"}),
		shipped("quad9-dns",
			"Quad9 resolver addresses, all four services.",
			quad9,
			spec{"9.9.9.9", quad9 + " (9.9.9.9 Secure)"},
			spec{"149.112.112.112", quad9 + " (9.9.9.9 Secure)"},
			spec{"2620:fe::fe", quad9 + " (9.9.9.9 Secure)"},
			spec{"2620:fe::9", quad9 + " (9.9.9.9 Secure)"},
			spec{"9.9.9.10", quad9 + " (9.9.9.10 No Threat Blocking)"},
			spec{"149.112.112.10", quad9 + " (9.9.9.10 No Threat Blocking)"},
			spec{"2620:fe::10", quad9 + " (9.9.9.10 No Threat Blocking)"},
			spec{"2620:fe::fe:10", quad9 + " (9.9.9.10 No Threat Blocking)"},
			spec{"9.9.9.11", quad9 + " (9.9.9.11 Secure + ECS)"},
			spec{"149.112.112.11", quad9 + " (9.9.9.11 Secure + ECS)"},
			spec{"2620:fe::11", quad9 + " (9.9.9.11 Secure + ECS)"},
			spec{"2620:fe::fe:11", quad9 + " (9.9.9.11 Secure + ECS)"},
			spec{"9.9.9.12", quad9 + " (9.9.9.12 No Threat Blocking + ECS)"},
			spec{"149.112.112.12", quad9 + " (9.9.9.12 No Threat Blocking + ECS)"},
			spec{"2620:fe::12", quad9 + " (9.9.9.12 No Threat Blocking + ECS)"},
			spec{"2620:fe::fe:12", quad9 + " (9.9.9.12 No Threat Blocking + ECS)"}),
		shipped("opendns",
			"OpenDNS (Cisco Umbrella) resolver addresses, including FamilyShield.",
			opendns,
			spec{"208.67.222.222", "OpenDNS Home / Umbrella resolver"},
			spec{"208.67.220.220", "OpenDNS Home / Umbrella resolver"},
			spec{"208.67.222.123", "OpenDNS FamilyShield"},
			spec{"208.67.220.123", "OpenDNS FamilyShield"},
			spec{"2620:119:35::35", "Cisco Umbrella IPv6 resolver"},
			spec{"2620:119:53::53", "Cisco Umbrella IPv6 resolver"}),
		shipped("adguard-dns",
			"AdGuard DNS resolver addresses (Default servers).",
			adguard,
			spec{"94.140.14.14", adguard},
			spec{"94.140.15.15", adguard},
			spec{"2a10:50c0::ad1:ff", adguard},
			spec{"2a10:50c0::ad2:ff", adguard}),
		shipped("cloud-metadata",
			"Cloud instance-metadata and other in-VM service endpoints: reachable from inside a virtual machine only, so never a remote attacker's host. "+
				"A URL to them in a report usually describes an SSRF attempt: flag rather than drop when the URL is the point.",
			"each provider's documentation, cited per entry",
			spec{"169.254.169.254", "instance metadata: AWS " + aws +
				"; Google Cloud https://cloud.google.com/compute/docs/metadata/overview" +
				"; Azure https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service" +
				"; Oracle Cloud https://docs.oracle.com/iaas/Content/Compute/Tasks/gettingmetadata.htm"},
			spec{"fd00:ec2::254", "AWS instance metadata over IPv6 (Nitro): " + aws},
			spec{"169.254.170.2", "AWS ECS task metadata and credentials: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v2.html"},
			spec{"169.254.169.253", "Amazon-provided DNS server (Route 53 Resolver): https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html"},
			spec{"fd00:ec2::253", "Amazon-provided DNS server over IPv6: https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html"},
			spec{"169.254.169.123", "Amazon Time Sync Service: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/set-time.html"},
			spec{"fd00:ec2::123", "Amazon Time Sync Service over IPv6: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/set-time.html"},
			spec{"metadata.google.internal", "Google Cloud metadata server name: https://cloud.google.com/compute/docs/metadata/overview"},
			spec{"168.63.129.16", "Azure platform virtual public IP (wire server, DNS, health probes): https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16"},
			spec{"100.100.100.200", "Alibaba Cloud ECS instance metadata: https://www.alibabacloud.com/help/en/ecs/user-guide/overview-of-ecs-instance-metadata"}),
	}
}
