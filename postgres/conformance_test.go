package postgres_test

import (
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/storetest"
)

// TestPostgresConformance runs the shared store conformance suite, each
// subtest on a store in a fresh schema. .ci/run checks that it passed.
func TestPostgresConformance(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) isachub.Store { return openDB(t) })
}
