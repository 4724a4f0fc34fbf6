package demo

// The vocabulary the generator draws from. All names are invented; IP
// addresses are from the documentation ranges of RFC 5737 and domains use
// reserved names (RFC 2606), so no demo indicator points at a real host.

var testNets = []string{"192.0.2", "198.51.100", "203.0.113"}

var domainWords = []string{"crew", "pilot", "fleet", "mro", "booking", "cargo", "skyportal", "atc", "flightplan", "rostering", "gatehub", "baggage", "loyalty"}

var domainSuffixes = []string{"-login", "-update", "-secure", "-portal", "-sync", "-notice", "-verify"}

var domainTLDs = []string{"example", "example.com", "example.net", "example.org", "test"}

var urlPaths = []string{"wp-content", "bulletin", "docs", "auth", "sso", "download"}

var threatActors = []struct {
	name, description, sophistication, resource, motivation string
	types, aliases                                          []string
}{
	{"Crosswind Spider", "Financially motivated group selling access to airline networks.", "expert", "organization", "personal-gain", []string{"crime-syndicate"}, []string{"TA-CW1"}},
	{"Jetstream Panda", "State-aligned espionage group interested in aircraft engineering data.", "strategic", "government", "organizational-gain", []string{"nation-state", "spy"}, []string{"JSP", "Group 77"}},
	{"Tailwind Collective", "Hacktivists who deface airport websites during labour disputes.", "intermediate", "club", "ideology", []string{"activist"}, []string{"TWC"}},
	{"Holding Pattern", "Ransomware affiliate targeting maintenance, repair and overhaul providers.", "advanced", "organization", "personal-gain", []string{"crime-syndicate"}, []string{"HP-Ransom"}},
	{"Contrail Bear", "Espionage group that targets air-traffic management suppliers.", "expert", "government", "organizational-gain", []string{"nation-state"}, []string{"Vapour Trail"}},
	{"Red Eye Kitten", "Group running loyalty-programme fraud with stolen credentials.", "intermediate", "team", "personal-gain", []string{"criminal"}, []string{"REK"}},
	{"Ground Stop", "Insider-assisted group disrupting ground handling systems.", "minimal", "individual", "dominance", []string{"insider-disgruntled"}, []string{"GS"}},
	{"Glide Slope", "Access broker selling VPN credentials of airport operators.", "advanced", "organization", "personal-gain", []string{"crime-syndicate"}, []string{"GSB"}},
}

var malwareFamilies = []struct {
	name, description string
	types             []string
}{
	{"Turbofan", "Modular backdoor with plugins for credential theft.", []string{"backdoor", "remote-access-trojan"}},
	{"Layover", "Loader delivered by macro documents posing as crew rosters.", []string{"dropper"}},
	{"Redeye", "Ransomware that encrypts maintenance-planning file shares.", []string{"ransomware"}},
	{"Manifest", "Stealer that exfiltrates passenger-name records.", []string{"spyware"}},
	{"Squawk", "Bot that floods booking systems with fake reservations.", []string{"bot", "ddos"}},
	{"Aileron", "Keylogger used against travel-agency front ends.", []string{"keylogger"}},
	{"Runway", "Web shell dropped on airport Internet-facing servers.", []string{"webshell"}},
	{"Gatecrash", "Exploit kit redirecting airline web visitors.", []string{"exploit-kit"}},
	{"Holdover", "Rootkit persisting on ground-handling terminals.", []string{"rootkit"}},
	{"Crosscheck", "Credential-stuffing toolkit aimed at loyalty programmes.", []string{"resource-exploitation"}},
	{"Deadhead", "Wiper used in a destructive attack on a regional carrier.", []string{"wiper"}},
	{"Pushback", "Downloader that fetches stages from cloud storage.", []string{"downloader"}},
	{"Jetlag", "Screen-capture spyware for remote maintenance laptops.", []string{"screen-capture", "spyware"}},
	{"Wingtip", "Worm spreading over shared engineering drives.", []string{"worm"}},
	{"Chock", "Adware bundled with fake in-flight entertainment apps.", []string{"adware"}},
	{"Transponder", "Remote-access trojan controlled over DNS tunnelling.", []string{"remote-access-trojan"}},
	{"Airbridge", "Backdoor for VPN appliances used by airport operators.", []string{"backdoor"}},
	{"Stall", "Denial-of-service tool rented to hacktivists.", []string{"ddos"}},
	{"Flaps", "Information stealer spread by fake flight-booking sites.", []string{"spyware"}},
	{"Vortex", "Ransomware aimed at cargo-handling systems.", []string{"ransomware"}},
}

var attackPatterns = []struct{ id, name, description string }{
	{"T1566", "Phishing", "Adversaries send phishing messages to gain access to victim systems."},
	{"T1190", "Exploit Public-Facing Application", "Adversaries exploit weaknesses in Internet-facing software."},
	{"T1078", "Valid Accounts", "Adversaries use credentials of existing accounts."},
	{"T1133", "External Remote Services", "Adversaries use VPNs and other remote services to get in."},
	{"T1486", "Data Encrypted for Impact", "Adversaries encrypt data to interrupt availability."},
	{"T1041", "Exfiltration Over C2 Channel", "Adversaries steal data over their command-and-control channel."},
	{"T1071", "Application Layer Protocol", "Adversaries communicate using application layer protocols."},
	{"T1059", "Command and Scripting Interpreter", "Adversaries abuse interpreters to run commands."},
	{"T1110", "Brute Force", "Adversaries guess passwords to get into accounts."},
	{"T1498", "Network Denial of Service", "Adversaries exhaust network bandwidth."},
	{"T1105", "Ingress Tool Transfer", "Adversaries transfer tools into a compromised environment."},
	{"T1204", "User Execution", "Adversaries rely on a user running malicious content."},
}

var vulnerabilities = []struct{ cve, description string }{
	{"CVE-2026-10001", "Authentication bypass in a crew-scheduling web portal."},
	{"CVE-2026-10017", "Remote code execution in a baggage reconciliation server."},
	{"CVE-2026-10023", "Path traversal in a maintenance document manager."},
	{"CVE-2026-10042", "SQL injection in an airport parking booking system."},
	{"CVE-2026-10058", "Unauthenticated file upload in a cargo tracking portal."},
	{"CVE-2026-10066", "Hard-coded credentials in a flight-information display controller."},
	{"CVE-2026-10071", "Deserialisation flaw in a loyalty programme API."},
	{"CVE-2026-10089", "Buffer overflow in a VPN appliance used at airports."},
	{"CVE-2026-10093", "Server-side request forgery in an aircraft parts marketplace."},
	{"CVE-2026-10104", "Privilege escalation in a ground-handling terminal agent."},
}

var campaignNames = []string{"Operation Clear Skies", "Operation Red Eye", "Operation Tarmac", "Operation Holding Stack", "Operation Cabin Pressure", "Operation Final Approach"}

// notes are the members' notes on malware families.
var notes = []struct{ abstract, content string }{
	{"Seen again this week", "Our SOC saw two new samples of this family on engineering laptops. Both beaconed within minutes of the first run; the C2 addresses are in this week's summary."},
	{"Detection that works for us", "A rule on the loader's scheduled task name caught every sample so far. Happy to share the rule on request."},
	{"Delivery changed", "The family now arrives as an ISO attachment rather than a macro document. Mail filters that only look at Office files miss it."},
	{"Linked to the crew-portal phishing", "The same infrastructure hosted the look-alike crew portal last month. See https://attack.mitre.org/techniques/T1566/ for the technique."},
}

// explanations are the members' reasons for their opinions.
var explanations = []string{
	"We saw the same address in our proxy logs on the same day.",
	"Matches what our incident response found on two hosts.",
	"Could not confirm: nothing in our logs, but our exposure is small.",
	"The address now belongs to a hosting provider's shared range; expect false positives.",
	"Blocked at the perimeter since it was shared; no hits since.",
}
