package misp

import "strings"

// countryNames maps the ISO 3166-1 alpha-2 codes to English short names,
// for country galaxy tags that carry only a name (the MISP country galaxy's
// clusters carry the code in their meta ISO).
var countryNames = map[string]string{}

// countryAliases are other names MISP's country galaxy and its users write.
var countryAliases = map[string]string{
	"russia": "RU", "iran": "IR", "north korea": "KP", "south korea": "KR", "korea": "KR", "syria": "SY",
	"vietnam": "VN", "viet nam": "VN", "laos": "LA", "uk": "GB", "great britain": "GB", "england": "GB",
	"usa": "US", "united states of america": "US", "america": "US", "taiwan": "TW", "moldova": "MD",
	"bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "czech republic": "CZ", "czechia": "CZ",
	"ivory coast": "CI", "cote d'ivoire": "CI", "macedonia": "MK", "palestine": "PS", "vatican": "VA",
	"brunei": "BN", "micronesia": "FM", "burma": "MM", "swaziland": "SZ", "cape verde": "CV",
	"east timor": "TL", "congo": "CG", "dr congo": "CD", "democratic republic of the congo": "CD",
	"republic of the congo": "CG", "turkey": "TR", "the netherlands": "NL", "holland": "NL",
	"hong kong": "HK", "macau": "MO", "uae": "AE",
}

const iso3166 = `AD Andorra|AE United Arab Emirates|AF Afghanistan|AG Antigua and Barbuda|AI Anguilla|AL Albania|` +
	`AM Armenia|AO Angola|AQ Antarctica|AR Argentina|AS American Samoa|AT Austria|AU Australia|AW Aruba|` +
	`AX Aland Islands|AZ Azerbaijan|BA Bosnia and Herzegovina|BB Barbados|BD Bangladesh|BE Belgium|` +
	`BF Burkina Faso|BG Bulgaria|BH Bahrain|BI Burundi|BJ Benin|BL Saint Barthelemy|BM Bermuda|BN Brunei Darussalam|` +
	`BO Bolivia, Plurinational State of|BQ Bonaire, Sint Eustatius and Saba|BR Brazil|BS Bahamas|BT Bhutan|` +
	`BV Bouvet Island|BW Botswana|BY Belarus|BZ Belize|CA Canada|CC Cocos (Keeling) Islands|` +
	`CD Congo, the Democratic Republic of the|CF Central African Republic|CG Congo|CH Switzerland|` +
	`CI Cote d'Ivoire|CK Cook Islands|CL Chile|CM Cameroon|CN China|CO Colombia|CR Costa Rica|CU Cuba|` +
	`CV Cabo Verde|CW Curacao|CX Christmas Island|CY Cyprus|CZ Czechia|DE Germany|DJ Djibouti|DK Denmark|` +
	`DM Dominica|DO Dominican Republic|DZ Algeria|EC Ecuador|EE Estonia|EG Egypt|EH Western Sahara|ER Eritrea|` +
	`ES Spain|ET Ethiopia|FI Finland|FJ Fiji|FK Falkland Islands (Malvinas)|FM Micronesia, Federated States of|` +
	`FO Faroe Islands|FR France|GA Gabon|GB United Kingdom|GD Grenada|GE Georgia|GF French Guiana|GG Guernsey|` +
	`GH Ghana|GI Gibraltar|GL Greenland|GM Gambia|GN Guinea|GP Guadeloupe|GQ Equatorial Guinea|GR Greece|` +
	`GS South Georgia and the South Sandwich Islands|GT Guatemala|GU Guam|GW Guinea-Bissau|GY Guyana|` +
	`HK Hong Kong|HM Heard Island and McDonald Islands|HN Honduras|HR Croatia|HT Haiti|HU Hungary|ID Indonesia|` +
	`IE Ireland|IL Israel|IM Isle of Man|IN India|IO British Indian Ocean Territory|IQ Iraq|` +
	`IR Iran, Islamic Republic of|IS Iceland|IT Italy|JE Jersey|JM Jamaica|JO Jordan|JP Japan|KE Kenya|` +
	`KG Kyrgyzstan|KH Cambodia|KI Kiribati|KM Comoros|KN Saint Kitts and Nevis|` +
	`KP Korea, Democratic People's Republic of|KR Korea, Republic of|KW Kuwait|KY Cayman Islands|KZ Kazakhstan|` +
	`LA Lao People's Democratic Republic|LB Lebanon|LC Saint Lucia|LI Liechtenstein|LK Sri Lanka|LR Liberia|` +
	`LS Lesotho|LT Lithuania|LU Luxembourg|LV Latvia|LY Libya|MA Morocco|MC Monaco|MD Moldova, Republic of|` +
	`ME Montenegro|MF Saint Martin (French part)|MG Madagascar|MH Marshall Islands|MK North Macedonia|ML Mali|` +
	`MM Myanmar|MN Mongolia|MO Macao|MP Northern Mariana Islands|MQ Martinique|MR Mauritania|MS Montserrat|` +
	`MT Malta|MU Mauritius|MV Maldives|MW Malawi|MX Mexico|MY Malaysia|MZ Mozambique|NA Namibia|NC New Caledonia|` +
	`NE Niger|NF Norfolk Island|NG Nigeria|NI Nicaragua|NL Netherlands|NO Norway|NP Nepal|NR Nauru|NU Niue|` +
	`NZ New Zealand|OM Oman|PA Panama|PE Peru|PF French Polynesia|PG Papua New Guinea|PH Philippines|PK Pakistan|` +
	`PL Poland|PM Saint Pierre and Miquelon|PN Pitcairn|PR Puerto Rico|PS Palestine, State of|PT Portugal|` +
	`PW Palau|PY Paraguay|QA Qatar|RE Reunion|RO Romania|RS Serbia|RU Russian Federation|RW Rwanda|` +
	`SA Saudi Arabia|SB Solomon Islands|SC Seychelles|SD Sudan|SE Sweden|SG Singapore|` +
	`SH Saint Helena, Ascension and Tristan da Cunha|SI Slovenia|SJ Svalbard and Jan Mayen|SK Slovakia|` +
	`SL Sierra Leone|SM San Marino|SN Senegal|SO Somalia|SR Suriname|SS South Sudan|ST Sao Tome and Principe|` +
	`SV El Salvador|SX Sint Maarten (Dutch part)|SY Syrian Arab Republic|SZ Eswatini|TC Turks and Caicos Islands|` +
	`TD Chad|TF French Southern Territories|TG Togo|TH Thailand|TJ Tajikistan|TK Tokelau|TL Timor-Leste|` +
	`TM Turkmenistan|TN Tunisia|TO Tonga|TR Turkiye|TT Trinidad and Tobago|TV Tuvalu|TW Taiwan, Province of China|` +
	`TZ Tanzania, United Republic of|UA Ukraine|UG Uganda|UM United States Minor Outlying Islands|US United States|` +
	`UY Uruguay|UZ Uzbekistan|VA Holy See (Vatican City State)|VC Saint Vincent and the Grenadines|` +
	`VE Venezuela, Bolivarian Republic of|VG Virgin Islands, British|VI Virgin Islands, U.S.|VN Viet Nam|` +
	`VU Vanuatu|WF Wallis and Futuna|WS Samoa|YE Yemen|YT Mayotte|ZA South Africa|ZM Zambia|ZW Zimbabwe`

// countryByName maps lower-case names to codes.
var countryByName = map[string]string{}

func init() {
	for _, e := range strings.Split(iso3166, "|") {
		code, name, _ := strings.Cut(e, " ")
		countryNames[code] = name
		countryByName[strings.ToLower(name)] = code
	}
	for name, code := range countryAliases {
		countryByName[name] = code
	}
}

// isoCode returns the ISO 3166-1 alpha-2 code of a country name or code,
// or "".
func isoCode(v string) string {
	v = strings.TrimSpace(v)
	if c := strings.ToUpper(v); len(c) == 2 && countryNames[c] != "" {
		return c
	}
	return countryByName[strings.ToLower(v)]
}
