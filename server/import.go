package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/formats"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// routeImport takes documents of other formats (issue 11): the body is a
// STIX 1.x package or MISP JSON, not TAXII, so any Content-Type and Accept
// are taken. It answers with and without the trailing slash that TAXII
// endpoints have.
const routeImport = "POST /{root}/collections/{id}/import"

// errTooManyConverted stops a conversion that makes more objects than one
// POST may carry.
var errTooManyConverted = errors.New("too many objects")

// handleImport converts the document in the body (?format=stix1 or misp)
// to STIX 2.1 and publishes the objects as a TAXII POST of them would be
// (section 5.4, through publish.Publish): validated, the collection's TLP
// rule applied, anonymous when asked, moderated where the collection is.
// It answers 202 with the status resource and the conversion report. A
// body that is not a document of the format at all is refused with 422,
// naming where reading stopped, and nothing is published.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	requested := time.Now()
	c := callerOf(r)
	comm, coll, err := s.writableCollection(r.Context(), c, r.PathValue("root"), r.PathValue("id"))
	if err != nil {
		return err
	}
	name := r.URL.Query().Get("format")
	f, ok := formats.Lookup(name)
	if !ok {
		return isachub.Errorf(isachub.EINVALID, "The format parameter must be %s, not %q.", formats.Names(" or "), clip(name))
	}
	body, err := readBody(w, r, s.maxContentLength(comm.MaxContentLength))
	if err != nil {
		return err
	}
	anonymous := isachub.Anonymous(c.token, coll, requestedAnonymous(r.Header.Get(HeaderAnonymous)))
	c.anonymous = anonymous
	var items []publish.Item
	report, err := f.Convert(bytes.NewReader(body), "the request body", convert.Options{Anonymous: anonymous, Now: requested},
		func(raw json.RawMessage) error {
			if len(items) == s.cfg.MaxEnvelopeObjects {
				return errTooManyConverted
			}
			item := publish.Item{Path: fmt.Sprintf("converted object %d", len(items)+1)}
			obj, err := stix.ParseObject(raw)
			if err != nil {
				item.Message = fmt.Sprintf("The converter made an object that is not STIX: %v.", err)
			} else {
				item.Object = obj
			}
			items = append(items, item)
			return nil
		})
	var fe *convert.FormatError
	switch {
	case errors.As(err, &fe):
		return isachub.Errorf(eUnprocessable, "The body is %s.", err)
	case errors.Is(err, errTooManyConverted):
		return isachub.Errorf(isachub.ETOOLARGE, "The document converts to more than %d objects, the most one submission may carry; import it in parts.", s.cfg.MaxEnvelopeObjects)
	case err != nil:
		return err
	}
	sub := &publish.Submission{Community: comm, Collection: coll, Org: c.org, Reader: c.reader(), Requested: requested,
		Anonymous: anonymous, Items: items}
	out, err := publish.Publish(r.Context(), s.store, s.log, sub)
	if err != nil {
		return err
	}
	if out.WithdrawalHandle != "" {
		w.Header().Set(HeaderWithdrawalHandle, out.WithdrawalHandle)
	}
	writeTAXII(w, http.StatusAccepted, taxii.ImportStatus{Status: statusResource(out.Status), WithdrawalHandle: out.WithdrawalHandle, Report: report})
	return nil
}
