// Package server is all of the hub's HTTP: the TAXII 2.1 API (OASIS TAXII
// Version 2.1, OASIS Standard, 10 June 2021), its authentication (HTTP Basic
// with a password or an API token, and bearer tokens) and its authorisation
// (which community, collection and object a caller may see or write).
//
// Routes are one flat list (routes.go). Handlers return an error, which one
// adapter turns into the TAXII error message resource (section 3.6.1) through
// error.go, the only place that maps isachub error codes to HTTP statuses.
// Responses are marshalled before any header is written (respond.go).
package server
