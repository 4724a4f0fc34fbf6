package stix1

// SetLimits lowers the limits of a conversion for a test and returns a
// function that puts them back.
func SetLimits(input, construct int64, depth, nodes int) (restore func()) {
	old := limits
	limits.input, limits.construct, limits.depth, limits.nodes = input, construct, depth, nodes
	return func() { limits = old }
}
