package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// writeTAXII marshals v and writes it as application/taxii+json;version=2.1,
// the media type of every TAXII 2.1 resource (section 1.6.8). Marshalling
// comes first so that a failure can still become a clean 500.
func writeTAXII(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "<token>" stays readable; the media type is not HTML
	err := enc.Encode(v)
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"title":"Internal server error","http_status":"500"}`)
	}
	writeTAXIIBytes(w, status, body)
}

// writeTAXIIBytes writes an already marshalled TAXII resource.
func writeTAXIIBytes(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", taxii.MediaTypeTAXII21)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body)
}

// setDateAddedHeaders sets X-TAXII-Date-Added-First and -Last (section
// 3.3.1) from the first and last object version of a page.
func setDateAddedHeaders(w http.ResponseWriter, objs []*isachub.ObjectVersion) {
	if len(objs) == 0 {
		return
	}
	w.Header().Set("X-TAXII-Date-Added-First", taxii.FormatTimestamp(objs[0].DateAdded))
	w.Header().Set("X-TAXII-Date-Added-Last", taxii.FormatTimestamp(objs[len(objs)-1].DateAdded))
}

// marshalEnvelope encodes a page as an envelope (TAXII 2.1 section 3.7). The
// objects are written as stored, byte for byte: they were checked to be JSON
// objects when they were received, and json.Marshal would re-validate and
// re-compact every one of them.
func marshalEnvelope(p *isachub.ObjectPage) ([]byte, error) {
	n := 32 + len(p.Next)
	for _, o := range p.Objects {
		n += len(o.Raw) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	if p.More {
		next, err := json.Marshal(p.Next)
		if err != nil {
			return nil, err
		}
		b = append(b, `"more":true,"next":`...)
		b = append(b, next...)
		b = append(b, ',')
	}
	b = append(b, `"objects":[`...)
	for i, o := range p.Objects {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, o.Raw...)
	}
	return append(b, "]}"...), nil
}
