package server

import (
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
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"title":"Internal server error","http_status":"500"}`)
	}
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
