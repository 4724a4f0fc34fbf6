package stix1

import (
	"slices"
	"strconv"
	"strings"
)

// term is a STIX 2.1 open-vocabulary value that a STIX 1.x vocabulary
// value maps to; exact is false when the 2.1 value says less or other.
type term struct {
	v     string
	exact bool
}

type vocab map[string]term

// The mappings of the STIX 1.2 default vocabularies (stixVocabs) to the
// STIX 2.1 open vocabularies of section 10. Values not listed are reported
// as not converted.
var (
	// IndicatorTypeVocab-1.1 to indicator-type-ov (10.12). The watchlist
	// types say what the pattern lists, not what it indicates.
	indicatorTypes = vocab{
		"anonymization":               {"anonymization", true},
		"malware artifacts":           {"malicious-activity", false},
		"malicious e-mail":            {"malicious-activity", false},
		"c2":                          {"malicious-activity", false},
		"exfiltration":                {"malicious-activity", false},
		"compromised pki certificate": {"compromised", false},
		"login name":                  {"compromised", false},
		"ip watchlist":                {"unknown", false},
		"domain watchlist":            {"unknown", false},
		"url watchlist":               {"unknown", false},
		"file hash watchlist":         {"unknown", false},
		"imei watchlist":              {"unknown", false},
		"imsi watchlist":              {"unknown", false},
		"host characteristics":        {"unknown", false},
	}
	// MalwareTypeVocab-1.0 to malware-type-ov (10.15).
	malwareTypes = vocab{
		"adware":                     {"adware", true},
		"bot":                        {"bot", true},
		"bot - credential theft":     {"bot", false},
		"bot - ddos":                 {"bot", false},
		"bot - loader":               {"bot", false},
		"bot - spam":                 {"bot", false},
		"dos / ddos":                 {"ddos", true},
		"dos / ddos - participatory": {"ddos", false},
		"dos / ddos - script":        {"ddos", false},
		"exploit kits":               {"exploit-kit", true},
		"ransomware":                 {"ransomware", true},
		"remote access trojan":       {"remote-access-trojan", true},
		"rogue antivirus":            {"rogue-security-software", true},
		"rootkit":                    {"rootkit", true},
		"dialer":                     {"spyware", false},
	}
	// ThreatActorTypeVocab-1.0 to threat-actor-type-ov (10.23).
	actorTypes = vocab{
		"cyber espionage operations": {"spy", false},
		"hacker":                     {"hacker", true},
		"hacker - white hat":         {"hacker", false},
		"hacker - gray hat":          {"hacker", false},
		"hacker - black hat":         {"hacker", false},
		"hacktivist":                 {"activist", true},
		"state actor / agency":       {"nation-state", true},
		"ecrime actor - credential theft botnet operator": {"criminal", false},
		"ecrime actor - credential theft botnet service":  {"criminal", false},
		"ecrime actor - malware developer":                {"criminal", false},
		"ecrime actor - money laundering network":         {"crime-syndicate", false},
		"ecrime actor - organized crime actor":            {"crime-syndicate", false},
		"ecrime actor - spam service":                     {"criminal", false},
		"ecrime actor - traffic service":                  {"criminal", false},
		"ecrime actor - underground call service":         {"criminal", false},
	}
	// MotivationVocab-1.1 to attack-motivation-ov (10.3).
	motivations = vocab{
		"ideological":                        {"ideology", true},
		"ideological - anti-corruption":      {"ideology", false},
		"ideological - anti-establishment":   {"ideology", false},
		"ideological - environmental":        {"ideology", false},
		"ideological - ethnic / nationalist": {"ideology", false},
		"ideological - information freedom":  {"ideology", false},
		"ideological - religious":            {"ideology", false},
		"ideological - security awareness":   {"ideology", false},
		"ideological - human rights":         {"ideology", false},
		"ego":                                {"personal-satisfaction", false},
		"financial or economic":              {"personal-gain", false},
		"political":                          {"ideology", false},
		"opportunistic":                      {"unpredictable", false},
		"military":                           {"organizational-gain", false},
	}
	// ThreatActorSophisticationVocab-1.0 to threat-actor-sophistication-ov (10.25).
	sophistications = vocab{
		"innovator":    {"innovator", true},
		"expert":       {"expert", true},
		"practitioner": {"intermediate", false},
		"novice":       {"minimal", false},
		"aspirant":     {"none", false},
	}
	// AttackerToolTypeVocab-1.0 (CybOX) to tool-type-ov (10.27).
	toolTypes = vocab{
		"vulnerability scanner": {"vulnerability-scanning", true},
		"application scanner":   {"vulnerability-scanning", false},
		"port scanner":          {"information-gathering", false},
		"traffic scanner":       {"network-capture", false},
		"password cracking":     {"credential-exploitation", true},
		"penetration testing":   {"exploitation", false},
	}
	// AttackerInfrastructureTypeVocab-1.0 to infrastructure-type-ov (10.13).
	infraTypes = vocab{
		"anonymization":                      {"anonymization", true},
		"anonymization - proxy":              {"anonymization", false},
		"anonymization - tor network":        {"anonymization", false},
		"anonymization - vpn":                {"anonymization", false},
		"hosting - fast flux botnet hosting": {"botnet", false},
	}
	// PackageIntentVocab-1.0 and ReportIntentVocab-1.0 to report-type-ov (10.21).
	reportTypes = vocab{
		"attack pattern characterization":       {"attack-pattern", true},
		"campaign characterization":             {"campaign", true},
		"collective threat intelligence":        {"threat-report", false},
		"exploit characterization":              {"vulnerability", false},
		"indicators":                            {"indicator", true},
		"indicators - phishing":                 {"indicator", false},
		"indicators - watchlist":                {"indicator", false},
		"indicators - malware artifacts":        {"indicator", false},
		"indicators - network activity":         {"indicator", false},
		"indicators - endpoint characteristics": {"indicator", false},
		"malware characterization":              {"malware", true},
		"malware samples":                       {"malware", false},
		"observations":                          {"observed-data", true},
		"observations - email":                  {"observed-data", false},
		"threat actor characterization":         {"threat-actor", true},
		"threat report":                         {"threat-report", true},
		"ttp - tools":                           {"tool", false},
	}
)

// vocabText returns the value of a vocabulary element: its text, or the
// text of its Value (a StatementType, as ThreatActor's Type is).
func vocabText(n *node) string {
	if v := n.kid("Value"); v != nil {
		n.useAll()
		return v.str()
	}
	n.useAll()
	return n.str()
}

// vocabs maps the values of nodes with table, reporting what maps only
// approximately or not at all.
func (c *conv) vocabs(nodes []*node, table vocab, construct, prop string) []string {
	var out []string
	for _, n := range nodes {
		s := vocabText(n)
		if s == "" {
			continue
		}
		t, ok := table[strings.ToLower(s)]
		switch {
		case !ok:
			c.skip(n.path(), construct, quoteText(s)+" has no "+prop+" value in STIX 2.1; not converted")
			continue
		case !t.exact:
			c.approx(n.path(), construct, quoteText(s)+" is read as the "+prop+" value "+t.v+", which says less")
		}
		if !slices.Contains(out, t.v) {
			out = append(out, t.v)
		}
	}
	return out
}

// confidence reads a Confidence: HighMediumLowVocab-1.0 values map to the
// None/Low/Med/High scale of STIX 2.1 Appendix A (None 0, Low 15, Medium
// 50, High 85), an approximation; Unknown means no confidence; a number
// 0-100 is kept.
func (c *conv) confidence(n *node, construct string) (int, bool) {
	if n == nil {
		return 0, false
	}
	v := n.kid("Value")
	n.useAll()
	if v == nil {
		c.skip(n.path(), construct, "a Confidence without a Value is not converted")
		return 0, false
	}
	s := v.str()
	switch strings.ToLower(s) {
	case "high":
		c.approx(v.path(), construct, "confidence High is read as 85 (STIX 2.1 Appendix A, None/Low/Med/High scale)")
		return 85, true
	case "medium":
		c.approx(v.path(), construct, "confidence Medium is read as 50 (STIX 2.1 Appendix A, None/Low/Med/High scale)")
		return 50, true
	case "low":
		c.approx(v.path(), construct, "confidence Low is read as 15 (STIX 2.1 Appendix A, None/Low/Med/High scale)")
		return 15, true
	case "none":
		c.approx(v.path(), construct, "confidence None is read as 0 (STIX 2.1 Appendix A, None/Low/Med/High scale)")
		return 0, true
	case "unknown":
		c.approx(v.path(), construct, "confidence Unknown: STIX 2.1 says so by leaving confidence out")
		return 0, false
	}
	if k, err := strconv.Atoi(s); err == nil && k >= 0 && k <= 100 {
		return k, true
	}
	c.skip(v.path(), construct, "the confidence "+quoteText(s)+" is not High, Medium, Low, None, Unknown or 0-100; not converted")
	return 0, false
}
