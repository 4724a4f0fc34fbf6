package stix1

import (
	"strings"

	"github.com/isachub/isachub/stix"
)

// File-like objects of CybOX 2.1: File (and WindowsFile,
// WindowsExecutableFile, whose extra properties are reported), Artifact
// and X509Certificate, and the cyboxCommon:Hashes they carry.

// mapFile reads a File object: name, the directory of its path, size,
// magic number, times and hashes.
func mapFile(w *ow, p *node) {
	w.setType("file")
	nameNode := p.kid("File_Name")
	w.val("name", kStr, nameNode)
	name := ""
	if nameNode != nil && plain(nameNode) {
		name = nameNode.str()
	}
	fp, full := p.kid("File_Path"), p.kid("Full_Path")
	switch {
	case fp != nil:
		filePath(w, fp, name, nameNode == nil)
		if full != nil {
			full.useAll()
			w.c.skip(full.path(), w.o.construct, "the File_Path is converted; the Full_Path beside it is not")
		}
	case full != nil:
		filePath(w, full, name, nameNode == nil)
	}
	if ext := p.kid("File_Extension"); ext != nil {
		switch {
		case w.o.inst:
			ext.useAll()
			w.c.skip(ext.path(), w.o.construct, "STIX 2.1 file has no extension property; not converted")
		case !plain(ext):
			ext.useAll()
			w.c.skip(ext.path(), w.o.construct, "a File_Extension with a condition or a list has no faithful STIX 2.1 test; not converted")
		default:
			w.add("name", test{kind: kStr, val: "." + strings.TrimPrefix(ext.str(), "."), n: ext, cond: "EndsWith"})
		}
	}
	w.val("size", kInt, p.kid("Size_In_Bytes"))
	w.val("magic_number_hex", kHex, p.kid("Magic_Number"))
	w.val("ctime", kTime, p.kid("Created_Time"))
	w.val("mtime", kTime, p.kid("Modified_Time"))
	w.val("atime", kTime, p.kid("Accessed_Time"))
	hashes(w, p.kid("Hashes"))
}

// plain reports whether a property states one value with Equals.
func plain(n *node) bool {
	cond, _, delim, _ := test{n: n}.attrs()
	return cond == "Equals" && !strings.Contains(n.text, delim)
}

// filePath writes a File_Path or Full_Path as the path of the file's
// parent directory. CybOX leaves it to the producer whether the path ends
// with the file name: it is taken to when it ends with File_Name, or when
// it is fully qualified and there is no File_Name (whose test it then
// gives).
func filePath(w *ow, fp *node, name string, noName bool) {
	raw := fp.str()
	fq := fp.attr("fully_qualified") == "true" || fp.local == "Full_Path"
	if !plain(fp) {
		d := w.ref("parent_directory_ref", "directory", fp)
		d.val("path", kStr, fp)
		w.c.approx(fp.path(), w.o.construct, "a path with a condition is tested against the directory path, which may not hold the file name")
		return
	}
	dir := raw
	i := strings.LastIndexAny(raw, `\/`)
	switch {
	case name != "" && i >= 0 && raw[i+1:] == name:
		dir = raw[:i]
	case noName && fq && i >= 0:
		dir = raw[:i]
		if base := raw[i+1:]; base != "" {
			w.add("name", test{kind: kStr, val: base})
		}
	case noName:
		w.c.approx(fp.path(), w.o.construct, "a path that is not fully qualified is read as the directory of the file")
	}
	if dir == "" && i >= 0 {
		dir = raw[:i+1]
	}
	fp.useAll()
	if dir == "" {
		return
	}
	d := w.ref("parent_directory_ref", "directory", fp)
	d.add("path", test{kind: kStr, val: dir, n: fp})
}

// hashNames maps CybOX HashNameVocab-1.0 to STIX 2.1 hash-algorithm-ov.
var hashNames = map[string]string{
	"MD5": "MD5", "SHA1": "SHA-1", "SHA256": "SHA-256", "SHA512": "SHA-512",
	"SSDEEP": "SSDEEP", "TLSH": "TLSH", "SHA3256": "SHA3-256", "SHA3512": "SHA3-512",
}

// hashes writes cyboxCommon:Hashes as the hashes dictionary. A value
// that does not fit its algorithm is reported, not converted.
func hashes(w *ow, hs *node) {
	if hs == nil {
		return
	}
	h := w.dict("hashes")
	for _, hn := range hs.all("Hash") {
		typ := vocabText(hn.kid("Type"))
		alg := hashNames[strings.ToUpper(strings.NewReplacer("-", "", "_", "", " ", "").Replace(typ))]
		vn := hn.kid("Simple_Hash_Value")
		if vn == nil {
			vn = hn.kid("Fuzzy_Hash_Value")
		}
		switch {
		case alg == "":
			hn.useAll()
			w.c.skip(hn.path(), w.o.construct, "the hash type "+quoteText(typ)+" has no STIX 2.1 hash algorithm; not converted")
			continue
		case vn == nil:
			w.rest(hn)
			continue
		}
		_, _, delim, _ := test{n: vn}.attrs()
		bad := ""
		for _, v := range (test{val: vn.text}).values(delim) {
			if msg := stix.CheckHash(alg, v); msg != "" {
				bad = quoteText(v) + " is not a valid hash: " + msg
				break
			}
		}
		if bad != "" {
			vn.used = true
			w.c.skip(vn.path(), w.o.construct, bad+"; not converted")
		} else {
			h.val(alg, kStr, vn)
		}
		w.rest(hn)
	}
	w.rest(hs)
}

// mapArtifact reads an Artifact object: payload_bin (Raw_Artifact, base64)
// or url (Raw_Artifact_Reference), mime_type and hashes.
func mapArtifact(w *ow, p *node) {
	w.setType("artifact")
	if ct := p.attr("content_type"); ct != "" {
		w.add("mime_type", test{kind: kStr, val: ct})
	}
	if t := p.attr("type"); t != "" {
		w.c.approx(p.path()+"/@type", w.o.construct, "the artifact type "+quoteText(t)+" has no STIX 2.1 equivalent; not kept")
	}
	w.val("payload_bin", kBin, p.kid("Raw_Artifact"))
	w.val("url", kStr, p.kid("Raw_Artifact_Reference"))
	hashes(w, p.kid("Hashes"))
	if pk := p.kid("Packaging"); pk != nil {
		pk.useAll()
		if pk.kid("Compression") != nil || pk.kid("Encryption") != nil {
			w.c.approx(pk.path(), w.o.construct, "the artifact is compressed or encrypted as packaged; payload_bin holds the packaged bytes and the packaging is not kept")
		}
	}
}

// x509Extensions are the STIX 2.1 x509_v3_extensions (section 6.18.2),
// named as CybOX names them, lower-cased.
var x509Extensions = map[string]bool{
	"basic_constraints": true, "name_constraints": true, "policy_constraints": true, "key_usage": true,
	"extended_key_usage": true, "subject_key_identifier": true, "authority_key_identifier": true,
	"subject_alternative_name": true, "issuer_alternative_name": true, "subject_directory_attributes": true,
	"crl_distribution_points": true, "inhibit_any_policy": true, "certificate_policies": true, "policy_mappings": true,
}

// mapX509 reads an X509Certificate object: x509-certificate.
func mapX509(w *ow, p *node) {
	w.setType("x509-certificate")
	cert := p.kid("Certificate")
	if cert == nil {
		return
	}
	w.val("version", kStr, cert.kid("Version"))
	w.val("serial_number", kStr, cert.kid("Serial_Number"))
	w.val("signature_algorithm", kStr, cert.kid("Signature_Algorithm"))
	w.val("issuer", kStr, cert.kid("Issuer"))
	if v := cert.kid("Validity"); v != nil {
		w.val("validity_not_before", kTime, v.kid("Not_Before"))
		w.val("validity_not_after", kTime, v.kid("Not_After"))
		w.rest(v)
	}
	w.val("subject", kStr, cert.kid("Subject"))
	if pk := cert.kid("Subject_Public_Key"); pk != nil {
		w.val("subject_public_key_algorithm", kStr, pk.kid("Public_Key_Algorithm"))
		if rsa := pk.kid("RSA_Public_Key"); rsa != nil {
			w.val("subject_public_key_modulus", kStr, rsa.kid("Modulus"))
			w.val("subject_public_key_exponent", kInt, rsa.kid("Exponent"))
			w.rest(rsa)
		}
		w.rest(pk)
	}
	if se := cert.kid("Standard_Extensions"); se != nil {
		ext := w.dict("x509_v3_extensions")
		for _, k := range se.kids {
			name := strings.ToLower(k.local)
			switch {
			case !family(k.space):
			case name == "private_key_usage_period":
				k.used = true
				ext.val("private_key_usage_period_not_before", kTime, k.kid("Not_Before"))
				ext.val("private_key_usage_period_not_after", kTime, k.kid("Not_After"))
				w.rest(k)
			case x509Extensions[name]:
				ext.val(name, kStr, k)
			}
		}
		w.rest(se)
	}
	w.rest(cert)
}
