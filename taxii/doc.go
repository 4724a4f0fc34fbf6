// Package taxii holds the TAXII 2.1 wire format that the hub's server and
// clients share (OASIS TAXII Version 2.1, OASIS Standard, 10 June 2021): the
// media types and their negotiation (section 1.6.8), the resources as Go
// structs with their exact JSON property names (discovery 4.1.1, API root
// 4.2.1, status 4.3.1, collections 5.1.1, collection 5.2.1, envelope 3.7,
// manifest 5.6.1, versions 5.8.1, error 3.6.1), the timestamp format
// (section 3.2), the URL filter parameters (section 3.4: added_after,
// limit, next and match[id|type|version|spec_version]) and the reading of a
// submitted envelope (section 5.4).
//
// Client is a TAXII 2.1 client of one API root, for federation and the
// command line: every resource above, paging with next and the
// X-TAXII-Date-Added-Last fallback (refusing servers that would page
// forever), adding objects and following their status, retries with
// backoff and jitter on 429, 5xx and network errors (Retry-After honoured),
// bounded answers, and errors (*ClientError) that name the server and the
// step.
//
// It knows nothing of storage or HTTP servers; of this module it imports
// only stix, and convert for the conversion report of the import answer.
package taxii
