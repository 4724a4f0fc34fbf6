package stix1

import (
	"strings"
)

// emailHeaders are the EmailMessage header fields that STIX 2.1 keeps in
// additional_header_fields, by their header names.
var emailHeaders = []struct{ elem, header string }{
	{"Reply_To", "Reply-To"}, {"In_Reply_To", "In-Reply-To"}, {"Errors_To", "Errors-To"},
	{"MIME_Version", "MIME-Version"}, {"Precedence", "Precedence"}, {"User_Agent", "User-Agent"},
	{"X_Mailer", "X-Mailer"}, {"X_Originating_IP", "X-Originating-IP"}, {"X_Priority", "X-Priority"},
}

// mapEmail reads an EmailMessage object: email-message with its
// addresses (email-addr), subject, date, headers, body and attachments
// (body_multipart with a file as body_raw_ref, from the Related_Object an
// attachment's object_reference names).
func mapEmail(w *ow, p *node) {
	w.setType("email-message")
	if h := p.kid("Header"); h != nil {
		emailAddr(w, "from_ref", h.kid("From"))
		emailAddr(w, "sender_ref", h.kid("Sender"))
		for _, f := range []struct{ elem, key string }{{"To", "to_refs"}, {"CC", "cc_refs"}, {"BCC", "bcc_refs"}} {
			list := h.kid(f.elem)
			for _, r := range list.all("Recipient") {
				v := r.kid("Address_Value")
				if v == nil {
					continue
				}
				w.refs(f.key, "email-addr", r).val("value", kStr, v)
				w.rest(r)
			}
			w.rest(list)
		}
		w.val("subject", kStr, h.kid("Subject"))
		w.val("date", kTime, h.kid("Date"))
		w.val("message_id", kStr, h.kid("Message_ID"))
		w.val("content_type", kStr, h.kid("Content_Type"))
		var fields *ow
		for _, f := range emailHeaders {
			n := h.kid(f.elem)
			if n == nil {
				continue
			}
			vn := textNode(n)
			if vn == nil {
				w.rest(n)
				continue
			}
			n.useAll()
			if fields == nil {
				fields = w.dict("additional_header_fields")
			}
			fields.val(f.header, kStr, vn)
		}
		w.rest(h)
	}
	w.val("body", kStr, p.kid("Raw_Body"))
	attached := false
	if at := p.kid("Attachments"); at != nil {
		for _, f := range at.all("File") {
			ref := f.attr("object_reference")
			r := w.o.relatedObject(ref)
			props := r.kid("Properties")
			if _, local, _ := props.xsiType(); r == nil || mappers[local] == nil || !strings.HasSuffix(local, "FileObjectType") {
				f.useAll()
				w.c.skip(f.path(), w.o.construct, "the attachment's object_reference "+quoteText(ref)+" names no File among the object's Related_Objects; not converted")
				continue
			}
			attached = true
			part := w.elem("body_multipart", f)
			if w.o.inst {
				part.m.set("content_disposition", "attachment")
			}
			fw := part.ref("body_raw_ref", "file", props)
			mapFile(fw, props)
			w.c.rest(props, w.o.construct)
			w.rest(f)
		}
		w.rest(at)
	}
	if links := p.kid("Links"); links != nil {
		links.useAll()
		w.c.skip(links.path(), w.o.construct, "STIX 2.1 email-message has no links; not converted")
	}
	if w.o.inst {
		w.m.set("is_multipart", attached)
		if attached {
			if b := w.m.get("body"); b != nil {
				w.m.del("body")
				w.c.approx(p.path(), w.o.construct, "a multipart email-message has no body: the Raw_Body is dropped")
			}
		}
	}
}

// emailAddr writes an AddressObjectType element as an email-addr that key
// refers to.
func emailAddr(w *ow, key string, n *node) {
	if n == nil {
		return
	}
	v := n.kid("Address_Value")
	if v == nil {
		w.rest(n)
		return
	}
	w.ref(key, "email-addr", n).val("value", kStr, v)
	w.rest(n)
}
