// Package formats names the converters of package convert, so that the
// command line (isachub convert, isachub publish --from) and the import
// endpoint (POST {api-root}/collections/{id}/import?format=...) accept the
// same formats under the same names.
package formats

import (
	"io"
	"strings"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/misp"
	"github.com/isachub/isachub/convert/stix1"
)

// Func is a converter: it reads one input of its format, named input in
// the report, and sends each STIX 2.1 object it makes to sink. A
// *convert.FormatError says the input is not of the format at all.
type Func func(r io.Reader, input string, opts convert.Options, sink convert.Sink) (*convert.Report, error)

// A Format is one input format.
type Format struct {
	// Name is what --from and ?format= take.
	Name string
	// Title says what it reads, for usage lines.
	Title string
	// MediaType is the type of its documents, for the command line's
	// uploads.
	MediaType string
	Convert   Func
}

// All are the formats, in the order usage lines list them.
var All = []Format{
	{Name: "stix1", Title: "STIX 1.1.1/1.2 XML with CybOX 2.1", MediaType: "application/xml", Convert: stix1.Convert},
	{Name: "misp", Title: "MISP JSON events", MediaType: "application/json", Convert: misp.Convert},
}

// Lookup returns the format of name.
func Lookup(name string) (Format, bool) {
	for _, f := range All {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Names returns the formats' names joined by sep ("stix1|misp").
func Names(sep string) string {
	names := make([]string, len(All))
	for i, f := range All {
		names[i] = f.Name
	}
	return strings.Join(names, sep)
}
