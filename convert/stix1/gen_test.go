package stix1_test

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
)

// genPackage is an io.Reader of a generated STIX 1.2 package: a header
// with a TLP marking and a source, then indicators of a realistic mix of
// address, domain, URL and file hash observables (each with a title, a
// type, a confidence and an indicated TTP), until limit indicators or
// size bytes, then the TTPs they indicate. It holds one indicator at a
// time, so a test can stream any size.
type genPackage struct {
	limit int   // indicators, or 0
	size  int64 // bytes, or 0
	// exact leaves out the Type and Confidence, whose STIX 2.1 values are
	// approximations the report lists one by one.
	exact bool
	n     int
	out   int64
	buf   []byte
	stage int
}

func (g *genPackage) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		switch g.stage {
		case 0:
			g.buf = []byte(genHead)
			g.stage = 1
		case 1:
			if (g.limit > 0 && g.n >= g.limit) || (g.size > 0 && g.out >= g.size) {
				g.buf = []byte(genTail)
				g.stage = 2
				continue
			}
			g.buf = genIndicator(g.n, g.exact)
			g.n++
		default:
			return 0, io.EOF
		}
	}
	k := copy(p, g.buf)
	g.buf = g.buf[k:]
	g.out += int64(k)
	return k, nil
}

const genHead = `<?xml version="1.0" encoding="UTF-8"?>
<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:stixCommon="http://stix.mitre.org/common-1"
  xmlns:stixVocabs="http://stix.mitre.org/default_vocabularies-1" xmlns:indicator="http://stix.mitre.org/Indicator-2"
  xmlns:ttp="http://stix.mitre.org/TTP-1" xmlns:marking="http://data-marking.mitre.org/Marking-1"
  xmlns:tlpMarking="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1" xmlns:cybox="http://cybox.mitre.org/cybox-2"
  xmlns:cyboxCommon="http://cybox.mitre.org/common-2" xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2"
  xmlns:DomainNameObj="http://cybox.mitre.org/objects#DomainNameObject-1" xmlns:URIObj="http://cybox.mitre.org/objects#URIObject-2"
  xmlns:FileObj="http://cybox.mitre.org/objects#FileObject-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:gen="http://gen.example" id="gen:Package-1" version="1.2" timestamp="2020-02-02T02:02:02Z">
  <stix:STIX_Header>
    <stix:Title>Generated feed</stix:Title>
    <stix:Handling><marking:Marking><marking:Controlled_Structure>//node() | //@*</marking:Controlled_Structure>
      <marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="AMBER"/></marking:Marking></stix:Handling>
    <stix:Information_Source><stixCommon:Identity><stixCommon:Name>Generator</stixCommon:Name></stixCommon:Identity></stix:Information_Source>
  </stix:STIX_Header>
  <stix:Indicators>
`

const genTail = `  </stix:Indicators>
  <stix:TTPs>
    <stix:TTP id="gen:ttp-0" xsi:type="ttp:TTPType"><ttp:Title>Command and control</ttp:Title></stix:TTP>
    <stix:TTP id="gen:ttp-1" xsi:type="ttp:TTPType"><ttp:Behavior><ttp:Malware><ttp:Malware_Instance><ttp:Name>GenRAT</ttp:Name></ttp:Malware_Instance></ttp:Malware></ttp:Behavior></stix:TTP>
    <stix:TTP id="gen:ttp-2" xsi:type="ttp:TTPType"><ttp:Behavior><ttp:Attack_Patterns><ttp:Attack_Pattern capec_id="CAPEC-98"><ttp:Title>Phishing</ttp:Title></ttp:Attack_Pattern></ttp:Attack_Patterns></ttp:Behavior></stix:TTP>
  </stix:TTPs>
</stix:STIX_Package>
`

// genIndicator writes indicator i: an IPv4 address, a domain, a URL or a
// file with MD5 and SHA-256 hashes, in turn.
func genIndicator(i int, exact bool) []byte {
	var obs, typ string
	switch i % 4 {
	case 0:
		typ = "IP Watchlist"
		obs = fmt.Sprintf(`<cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr">
            <AddressObj:Address_Value condition="Equals">10.%d.%d.%d</AddressObj:Address_Value>
          </cybox:Properties>`, i>>16&255, i>>8&255, i&255)
	case 1:
		typ = "Domain Watchlist"
		obs = fmt.Sprintf(`<cybox:Properties xsi:type="DomainNameObj:DomainNameObjectType" type="FQDN">
            <DomainNameObj:Value condition="Equals">host%d.bad.example</DomainNameObj:Value>
          </cybox:Properties>`, i)
	case 2:
		typ = "URL Watchlist"
		obs = fmt.Sprintf(`<cybox:Properties xsi:type="URIObj:URIObjectType" type="URL">
            <URIObj:Value condition="Equals">http://host%d.bad.example/gate.php?id=%d</URIObj:Value>
          </cybox:Properties>`, i, i)
	default:
		typ = "File Hash Watchlist"
		s := strconv.Itoa(i)
		m, h := md5.Sum([]byte(s)), sha256.Sum256([]byte(s))
		obs = fmt.Sprintf(`<cybox:Properties xsi:type="FileObj:FileObjectType">
            <FileObj:File_Name condition="Equals">sample%d.exe</FileObj:File_Name>
            <FileObj:Hashes>
              <cyboxCommon:Hash><cyboxCommon:Type>MD5</cyboxCommon:Type><cyboxCommon:Simple_Hash_Value condition="Equals">%s</cyboxCommon:Simple_Hash_Value></cyboxCommon:Hash>
              <cyboxCommon:Hash><cyboxCommon:Type>SHA256</cyboxCommon:Type><cyboxCommon:Simple_Hash_Value condition="Equals">%s</cyboxCommon:Simple_Hash_Value></cyboxCommon:Hash>
            </FileObj:Hashes>
          </cybox:Properties>`, i, hex.EncodeToString(m[:]), hex.EncodeToString(h[:]))
	}
	meta := `
      <indicator:Confidence><stixCommon:Value xsi:type="stixVocabs:HighMediumLowVocab-1.0">Medium</stixCommon:Value></indicator:Confidence>`
	typ = `
      <indicator:Type xsi:type="stixVocabs:IndicatorTypeVocab-1.1">` + typ + `</indicator:Type>`
	if exact {
		meta, typ = "", ""
	}
	return fmt.Appendf(nil, `    <stix:Indicator id="gen:indicator-%d" timestamp="2020-02-02T02:02:02Z" xsi:type="indicator:IndicatorType">
      <indicator:Title>Generated indicator %d</indicator:Title>%s
      <indicator:Observable id="gen:Observable-%d">
        <cybox:Object id="gen:Object-%d">
          %s
        </cybox:Object>
      </indicator:Observable>
      <indicator:Indicated_TTP><stixCommon:TTP idref="gen:ttp-%d"/></indicator:Indicated_TTP>%s
    </stix:Indicator>
`, i, i, typ, i, i, obs, i%3, meta)
}
