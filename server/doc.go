// Package server is all of the hub's HTTP: the TAXII 2.1 API (OASIS TAXII
// Version 2.1, OASIS Standard, 10 June 2021), its authentication (HTTP Basic
// with a password or an API token, and bearer tokens) and its authorisation
// (which community, collection and object a caller may see or write).
//
// Routes are one flat list (routes.go). Handlers return an error, which one
// adapter turns into the TAXII error message resource (section 3.6.1) through
// error.go, the only place that maps isachub error codes to HTTP statuses.
// Responses are marshalled before any header is written (respond.go).
//
// # Confidentiality
//
// access.go is the one place in this package that decides what a caller
// may see and do. It asks the hub's policy in the root package
// (isachub.Reader, policy.go: the TLP 2.0 rules of FIRST, with the markings
// of STIX 2.1 section 7.2, and who may write, read a status or see a
// collection) and hands the store the caller's isachub.Visibility, a
// required argument of every read, so that objects, manifest, object-by-id and
// versions are filtered in the query, before paging: more, next and the
// X-TAXII-Date-Added-First/Last headers say nothing of hidden versions, and
// an object whose every version is hidden is 404 like one that does not
// exist. A TLP:RED object POSTed to a collection open to every member fails
// for that object (isachub.AcceptTLP). A sharing group's collection is 404
// to non-members exactly like a nonexistent one. A status resource is read
// by the submitting organisation only. A DELETE or a POST conflict admits
// that an id exists only to a caller who may see a version of it.
//
// # Anonymous publishing and moderation
//
// Beside TAXII 2.1, isachub serves its own endpoints under each API root,
// with the same media type: GET identity/ (the community's identity and
// its sector identity), POST collections/{id}/preview/ (what an anonymous
// submission would publish), POST withdraw/ (by withdrawal handle, or by
// object id under the sealed record), and, for the ISAC's analysts, GET
// collections/{id}/pending/ and POST collections/{id}/pending/{status
// id}/approve/ or reject/. A POST to objects/ is anonymous when
// isachub.Anonymous says so (the token, the collection, or the header
// X-Isachub-Anonymous): it is re-issued by package anon, stored with
// Store.AddAnonymous, published whole or not at all, answered with a
// withdrawal handle (HeaderWithdrawalHandle) shown once, and its status
// names no organisation. The access log leaves out the user of every
// request that could tie it to an anonymous submission (the POST, the
// preview, polling the status, the withdrawal). A POST to a moderated
// collection is queued (Store.CreatePending) with a pending status until
// isachub.Approve or isachub.Reject.
//
// # Feeds
//
// A feed (isachub.Feed) is listed among its readers' collections and read
// at collections/{feed id}/ like one (sections 5.2 to 5.8, read-only:
// POST and DELETE are 403), through isachub.ReadFeed over the sources the
// policy gives (Reader.FeedSources). GET feeds/{id}/export?format=csv,
// txt&kind=K, suricata, snort or stix answers it as a file, streamed a
// page at a time, with an ETag of what it holds and since= for
// incremental pulls; any Accept header is taken there. A token bound to a
// feed (Token.FeedID) may use only discovery, its API root, the
// collections list and its feed (feedTokenRoutes). GET webhooks/ and
// webhooks/{id}/deliveries/ give the webhooks a caller's organisation
// receives (the staff's: the community's) and each one's delivery log,
// secrets never and URLs masked; another organisation's webhook is 404
// (isachub.MayReadWebhook, webhook.go). docs/FEEDS.md describes them for
// operators.
//
// # Operations
//
// Outside every API root (their names are isachub.ReservedSlugs): GET
// /healthz (200 while serving), GET /readyz (200 when Store.Ready, else
// 503 without the reason) and GET /metrics (the Prometheus text format,
// behind Config.MetricsToken when set; the isachub_federation_* series
// give each subscription's state, labelled with its community and peer).
// Every answer carries X-Request-Id.
// Config.Limits bounds each credential's and each address's rate (429
// with Retry-After, RFC 6585 section 4, in the TAXII error resource of
// section 3.6.1) and the requests answered at once (503).
// docs/DEPLOYMENT.md describes them for operators.
package server
