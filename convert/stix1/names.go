package stix1

import "strings"

// The namespaces of STIX 1.1.1 and 1.2 (they share their URIs), of the data
// marking extensions and of CybOX 2.1. Elements are matched by namespace
// URI, never by the prefix a document happens to use.
const (
	nsStix        = "http://stix.mitre.org/stix-1"
	nsCommon      = "http://stix.mitre.org/common-1"
	nsIndicator   = "http://stix.mitre.org/Indicator-2"
	nsTTP         = "http://stix.mitre.org/TTP-1"
	nsThreatActor = "http://stix.mitre.org/ThreatActor-1"
	nsCampaign    = "http://stix.mitre.org/Campaign-1"
	nsIncident    = "http://stix.mitre.org/Incident-1"
	nsET          = "http://stix.mitre.org/ExploitTarget-1"
	nsCOA         = "http://stix.mitre.org/CourseOfAction-1"
	nsReport      = "http://stix.mitre.org/Report-1"
	nsVocabs      = "http://stix.mitre.org/default_vocabularies-1"
	nsMarking     = "http://data-marking.mitre.org/Marking-1"
	nsTLP         = "http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1"
	nsSimple      = "http://data-marking.mitre.org/extensions/MarkingStructure#Simple-1"
	nsTOU         = "http://data-marking.mitre.org/extensions/MarkingStructure#Terms_Of_Use-1"
	nsCIQ         = "http://stix.mitre.org/extensions/Identity#CIQIdentity3.0-1"
	nsXPIL        = "urn:oasis:names:tc:ciq:xpil:3"
	nsXNL         = "urn:oasis:names:tc:ciq:xnl:3"
	nsCybox       = "http://cybox.mitre.org/cybox-2"
	nsCyboxCommon = "http://cybox.mitre.org/common-2"
	nsCyboxVocabs = "http://cybox.mitre.org/default_vocabularies-2"
	nsXSI         = "http://www.w3.org/2001/XMLSchema-instance"
	nsXMLNS       = "xmlns"

	// cyboxObjects starts the namespace of every CybOX object schema,
	// for example http://cybox.mitre.org/objects#AddressObject-2.
	cyboxObjects = "http://cybox.mitre.org/objects#"
)

// prefixes are the prefixes paths in the report use, whatever the input
// document declared.
var prefixes = map[string]string{
	nsStix:        "stix",
	nsCommon:      "stixCommon",
	nsIndicator:   "indicator",
	nsTTP:         "ttp",
	nsThreatActor: "ta",
	nsCampaign:    "campaign",
	nsIncident:    "incident",
	nsET:          "et",
	nsCOA:         "coa",
	nsReport:      "report",
	nsVocabs:      "stixVocabs",
	nsMarking:     "marking",
	nsTLP:         "tlpMarking",
	nsSimple:      "simpleMarking",
	nsTOU:         "TOUMarking",
	nsCIQ:         "stix-ciqidentity",
	nsXPIL:        "xpil",
	nsXNL:         "xnl",
	nsCybox:       "cybox",
	nsCyboxCommon: "cyboxCommon",
	nsCyboxVocabs: "cyboxVocabs",
	nsXSI:         "xsi",
}

// family reports whether uri is one of the STIX 1.x, data marking or CybOX
// namespaces, whose children this package reads by local name.
func family(uri string) bool {
	if _, ok := prefixes[uri]; ok {
		return true
	}
	return strings.HasPrefix(uri, cyboxObjects)
}

// cyboxObjectName returns the name of the CybOX object schema a namespace
// belongs to ("AddressObject" for http://cybox.mitre.org/objects#AddressObject-2),
// whatever its version, or "".
func cyboxObjectName(uri string) string {
	rest, ok := strings.CutPrefix(uri, cyboxObjects)
	if !ok {
		return ""
	}
	if i := strings.LastIndexByte(rest, '-'); i > 0 {
		rest = rest[:i]
	}
	return rest
}

// qname writes a name for the report: the conventional prefix of a known
// namespace, the CybOX object prefix ("AddressObj"), or XPath 3.0's
// Q{uri}local for an unknown one.
func qname(space, local string) string {
	if space == "" {
		return local
	}
	if p, ok := prefixes[space]; ok {
		return p + ":" + local
	}
	if name := cyboxObjectName(space); name != "" {
		return strings.TrimSuffix(name, "ect") + ":" + local
	}
	return "Q{" + space + "}" + local
}
