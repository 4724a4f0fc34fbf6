package postgres

import (
	"encoding/binary"
	"time"
)

// copyRows builds the data of a COPY ... FROM STDIN (FORMAT binary)
// (PostgreSQL documentation, COPY, "Binary Format") for the few column types
// that AddObjects writes. Encoding rows here, instead of through pgx's
// generic per-value encoder, takes a third of the client's CPU off bulk
// ingest. Every row must add exactly the columns of the COPY, in order.
type copyRows struct {
	b []byte
}

// pgEpoch is the origin of PostgreSQL's binary timestamps, in
// microseconds since the Unix epoch.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

// newCopyRows starts the data with the binary COPY header; size is a
// capacity hint in bytes.
func newCopyRows(size int) *copyRows {
	c := &copyRows{b: make([]byte, 0, size)}
	c.b = append(c.b, "PGCOPY\n\xff\r\n\x00"...)
	c.b = binary.BigEndian.AppendUint32(c.b, 0) // flags: no OIDs
	c.b = binary.BigEndian.AppendUint32(c.b, 0) // no header extension
	return c
}

// row starts a row of n columns.
func (c *copyRows) row(n int) { c.b = binary.BigEndian.AppendUint16(c.b, uint16(n)) }

// text adds a text column (s is valid UTF-8 without NUL: prepare checks).
func (c *copyRows) text(s string) {
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(len(s)))
	c.b = append(c.b, s...)
}

// bytea adds a bytea column.
func (c *copyRows) bytea(p []byte) {
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(len(p)))
	c.b = append(c.b, p...)
}

// int8 adds a bigint column.
func (c *copyRows) int8(v int64) {
	c.b = binary.BigEndian.AppendUint32(c.b, 8)
	c.b = binary.BigEndian.AppendUint64(c.b, uint64(v))
}

// int2 adds a smallint column.
func (c *copyRows) int2(v int16) {
	c.b = binary.BigEndian.AppendUint32(c.b, 2)
	c.b = binary.BigEndian.AppendUint16(c.b, uint16(v))
}

// bool adds a boolean column.
func (c *copyRows) bool(v bool) {
	c.b = binary.BigEndian.AppendUint32(c.b, 1)
	if v {
		c.b = append(c.b, 1)
	} else {
		c.b = append(c.b, 0)
	}
}

// timestamptz adds a timestamptz column: microseconds since pgEpoch.
func (c *copyRows) timestamptz(t time.Time) {
	c.b = binary.BigEndian.AppendUint32(c.b, 8)
	c.b = binary.BigEndian.AppendUint64(c.b, uint64(t.UnixMicro()-pgEpoch)) // no overflow for years 1-9999
}

// textArray adds a one-dimensional text[] column without NULLs (an empty
// list is the empty array).
func (c *copyRows) textArray(ss []string) {
	const textOID = 25
	size := 12
	if len(ss) > 0 {
		size += 8
	}
	for _, s := range ss {
		size += 4 + len(s)
	}
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(size))
	if len(ss) == 0 {
		c.b = binary.BigEndian.AppendUint32(c.b, 0) // dimensions
		c.b = binary.BigEndian.AppendUint32(c.b, 0) // no NULLs
		c.b = binary.BigEndian.AppendUint32(c.b, textOID)
		return
	}
	c.b = binary.BigEndian.AppendUint32(c.b, 1)
	c.b = binary.BigEndian.AppendUint32(c.b, 0)
	c.b = binary.BigEndian.AppendUint32(c.b, textOID)
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(len(ss))) // length
	c.b = binary.BigEndian.AppendUint32(c.b, 1)               // lower bound
	for _, s := range ss {
		c.text(s)
	}
}

// end adds the trailer and returns the data.
func (c *copyRows) end() []byte {
	return binary.BigEndian.AppendUint16(c.b, 0xffff)
}
