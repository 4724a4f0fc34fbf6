package warninglist

// Builtin returns the lists shipped with the package, newly built on each
// call, so a caller may edit their descriptions: the special-purpose IPv4
// and IPv6 ranges (builtin_ip.go), the special-use domain names
// (builtin_domain.go) and the addresses and names of public DNS
// resolvers and cloud instance-metadata services (builtin_service.go).
//
// It includes rfc7686-onion, which Default leaves out: an onion name is a
// real service, often a real threat's (see the package documentation).
func Builtin() []*List {
	var ls []*List
	for _, group := range [][]*List{ipLists(), domainLists(), serviceLists()} {
		ls = append(ls, group...)
	}
	return ls
}

// notDefault names the shipped lists that Default leaves out.
var notDefault = map[string]bool{"rfc7686-onion": true}

func defaultLists() []*List {
	var ls []*List
	for _, l := range Builtin() {
		if !notDefault[l.Name] {
			ls = append(ls, l)
		}
	}
	return ls
}

// spec is one shipped entry: a value in the file format of Load and the
// reference that defines it.
type spec struct{ value, note string }

// shipped builds a shipped list through the same parser as Load; a bad
// value is a bug that the tests catch, so it panics.
func shipped(name, description, source string, specs ...spec) *List {
	l := &List{Name: name, Description: description, Source: source}
	for _, s := range specs {
		e, err := parseEntry(s.value)
		if err != nil {
			panic("warninglist: shipped list " + name + ": " + err.Error())
		}
		e.Note = s.note
		l.entries = append(l.entries, e)
	}
	return l
}
