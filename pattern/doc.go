// Package pattern implements the STIX Patterning language of STIX 2.1
// section 9: a lexer and recursive-descent parser for the grammar of
// STIXPattern.g4, the semantic checks the section requires, a printer for
// the canonical pattern text, and a matcher that evaluates a pattern against
// observed-data.
package pattern
