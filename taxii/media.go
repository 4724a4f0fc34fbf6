package taxii

import (
	"mime"
	"strconv"
	"strings"
)

// Media types of TAXII 2.1 (section 1.6.8).
const (
	// MediaTypeTAXII21 is the media type of every TAXII 2.1 resource,
	// including the envelope of objects.
	MediaTypeTAXII21 = "application/taxii+json;version=2.1"
	// MediaTypeSTIX21 names STIX 2.1 content in collections' media_types and
	// in manifest records.
	MediaTypeSTIX21 = "application/stix+json;version=2.1"
)

const (
	taxiiType = "application/taxii+json"
	stixType  = "application/stix+json"
)

// STIXMediaType returns the STIX media type for a spec_version such as
// "2.1", as used in a manifest record's media_type (section 5.6.1).
func STIXMediaType(specVersion string) string {
	if specVersion == "" {
		specVersion = "2.1"
	}
	return stixType + ";version=" + specVersion
}

// AcceptsTAXII21 reports whether an Accept header value admits a TAXII 2.1
// response (section 1.6.8.1): "application/taxii+json" with version 2.1 or
// without a version, "application/*" or "*/*", each with a q-value above
// zero. An empty header accepts anything (RFC 9110 section 12.5.1).
func AcceptsTAXII21(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, rng := range strings.Split(accept, ",") {
		mt, params, ok := parseMediaRange(rng)
		if !ok || !qPositive(params["q"]) {
			continue
		}
		switch mt {
		case "*/*", "application/*":
			return true
		case taxiiType:
			if v, has := params["version"]; !has || v == "2.1" {
				return true
			}
		}
	}
	return false
}

// IsTAXII21ContentType reports whether a Content-Type header value is the
// TAXII 2.1 media type, "application/taxii+json;version=2.1", which a POST
// to an objects endpoint must carry (section 5.4).
func IsTAXII21ContentType(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == taxiiType && params["version"] == "2.1"
}

// parseMediaRange parses one element of an Accept header, lower-casing the
// type and parameter names. It tolerates wildcards, which mime.ParseMediaType
// handles, and rejects anything that is not type/subtype.
func parseMediaRange(s string) (string, map[string]string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil, false
	}
	mt, params, err := mime.ParseMediaType(s)
	if err != nil || !strings.Contains(mt, "/") {
		return "", nil, false
	}
	return mt, params, true
}

// qPositive reports whether a q parameter value admits the range: absent, or
// a number above zero.
func qPositive(q string) bool {
	if q == "" {
		return true
	}
	f, err := strconv.ParseFloat(q, 64)
	return err == nil && f > 0
}
