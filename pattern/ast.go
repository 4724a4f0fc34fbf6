package pattern

import "time"

// Node is any node of a pattern's syntax tree: an ObservationExpr, a
// ComparisonExpr, or the Pattern itself. Walk visits nodes.
type Node interface {
	node()
}

// Pattern is a parsed STIX pattern (STIX 2.1 section 9): one observation
// expression, possibly combining several with AND, OR and FOLLOWEDBY.
type Pattern struct {
	Root ObservationExpr

	prog *compiled // set by Parse; built on demand for hand-made trees
}

// ObservationExpr is an observation expression: an *ObservationSimple (one
// bracketed comparison expression) or an *ObservationCompound (AND, OR or
// FOLLOWEDBY over two or more observation expressions).
type ObservationExpr interface {
	Node
	// Quals returns the qualifiers applied to the expression, in source
	// order: the first applies to the expression itself, each later one to
	// the result of the earlier ones.
	Quals() []Qualifier
}

// ObservationSimple is "[ comparison-expression ]" followed by zero or more
// qualifiers. It matches one observed-data.
type ObservationSimple struct {
	Expr       ComparisonExpr
	Qualifiers []Qualifier
}

// ObservationCompound combines two or more observation expressions with one
// observation operator. Parentheses in the source that change nothing are
// not kept; a parenthesised group with qualifiers becomes a compound with
// Qualifiers set (or a simple expression with one more qualifier).
type ObservationCompound struct {
	Op         Logic // And, Or or FollowedBy
	Operands   []ObservationExpr
	Qualifiers []Qualifier
}

// Logic is a Boolean or temporal operator joining expressions.
type Logic int

// The operators that join observation expressions (all three) and
// comparison expressions (And and Or). FollowedBy binds loosest, then Or,
// then And.
const (
	And Logic = iota + 1
	Or
	FollowedBy
)

// String returns the operator's keyword.
func (l Logic) String() string {
	switch l {
	case And:
		return "AND"
	case Or:
		return "OR"
	case FollowedBy:
		return "FOLLOWEDBY"
	}
	return "?"
}

// QualifierKind says which qualifier a Qualifier is.
type QualifierKind int

// The qualifiers of section 9.6.
const (
	QualWithin    QualifierKind = iota + 1 // WITHIN n SECONDS
	QualRepeats                            // REPEATS n TIMES
	QualStartStop                          // START t'..' STOP t'..'
)

// String returns the qualifier's leading keyword.
func (k QualifierKind) String() string {
	switch k {
	case QualWithin:
		return "WITHIN"
	case QualRepeats:
		return "REPEATS"
	case QualStartStop:
		return "START"
	}
	return "?"
}

// Qualifier is one observation-expression qualifier. Which fields are set
// depends on Kind: Seconds for WITHIN (positive, may have a fraction),
// Times for REPEATS (positive), Start and Stop for START/STOP (in UTC,
// Start before Stop).
type Qualifier struct {
	Kind    QualifierKind
	Seconds float64
	Times   int
	Start   time.Time
	Stop    time.Time
}

// ComparisonExpr is a comparison expression inside brackets: a *Comparison,
// or a *ComparisonCompound joining two or more with And or Or.
type ComparisonExpr interface {
	Node
	comparisonExpr()
}

// ComparisonCompound joins two or more comparison expressions with And or
// Or. Parentheses in the source are not kept: the tree says the grouping.
type ComparisonCompound struct {
	Op       Logic // And or Or
	Operands []ComparisonExpr
}

// Comparison is one comparison: "Path Op Value", "Path NOT Op Value" or
// "[NOT] EXISTS Path". For IN, Set holds the literals and Value is unused;
// for EXISTS neither is used.
type Comparison struct {
	Path    ObjectPath
	Op      Operator
	Negated bool
	Value   Literal
	Set     []Literal
}

// Operator is a comparison operator (section 9.5).
type Operator int

// The comparison operators. Each may be preceded by NOT.
const (
	OpEqual        Operator = iota + 1 // =
	OpNotEqual                         // !=
	OpLess                             // <
	OpLessEqual                        // <=
	OpGreater                          // >
	OpGreaterEqual                     // >=
	OpIn                               // IN
	OpLike                             // LIKE
	OpMatches                          // MATCHES
	OpIsSubset                         // ISSUBSET
	OpIsSuperset                       // ISSUPERSET
	OpExists                           // EXISTS
)

// String returns the operator's canonical spelling.
func (o Operator) String() string {
	switch o {
	case OpEqual:
		return "="
	case OpNotEqual:
		return "!="
	case OpLess:
		return "<"
	case OpLessEqual:
		return "<="
	case OpGreater:
		return ">"
	case OpGreaterEqual:
		return ">="
	case OpIn:
		return "IN"
	case OpLike:
		return "LIKE"
	case OpMatches:
		return "MATCHES"
	case OpIsSubset:
		return "ISSUBSET"
	case OpIsSuperset:
		return "ISSUPERSET"
	case OpExists:
		return "EXISTS"
	}
	return "?"
}

// ObjectPath names a property of a cyber-observable object: the object type
// and the steps from the object to the property, for example
// file:hashes.'SHA-256' or network-traffic:extensions.'http-request-ext'.request_header.Host
// or email-message:to_refs[*].value.
type ObjectPath struct {
	ObjectType string
	Steps      []PathStep // at least one; the first is always a StepKey
}

// StepKind says what a PathStep is.
type StepKind int

// The kinds of object-path step.
const (
	StepKey   StepKind = iota + 1 // .name or .'quoted name'
	StepIndex                     // [n]
	StepAny                       // [*]
)

// PathStep is one step of an ObjectPath: a property name (Key), a list
// index (Index; negative values are kept as written), or any list element.
type PathStep struct {
	Kind  StepKind
	Key   string
	Index int
}

// LiteralKind says what a Literal holds.
type LiteralKind int

// The literal kinds of section 9.4.
const (
	KindString    LiteralKind = iota + 1 // 'text'
	KindInt                              // 42, -7
	KindFloat                            // 1.5, -.5
	KindBool                             // true, false
	KindHex                              // h'0aff'
	KindBinary                           // b'AQID' (base64)
	KindTimestamp                        // t'2016-01-01T00:00:00Z'
)

// String names the kind in words used in error messages.
func (k LiteralKind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindInt:
		return "integer"
	case KindFloat:
		return "float"
	case KindBool:
		return "boolean"
	case KindHex:
		return "hex"
	case KindBinary:
		return "binary"
	case KindTimestamp:
		return "timestamp"
	}
	return "?"
}

// Literal is a constant in a comparison. The field that holds the value
// depends on Kind: Str (string), Int, Float, Bool, Bytes (hex and binary,
// decoded) or Time (timestamp, in UTC).
type Literal struct {
	Kind  LiteralKind
	Str   string
	Int   int64
	Float float64
	Bool  bool
	Bytes []byte
	Time  time.Time
}

func (*Pattern) node()             {}
func (*ObservationSimple) node()   {}
func (*ObservationCompound) node() {}
func (*ComparisonCompound) node()  {}
func (*Comparison) node()          {}

func (*ComparisonCompound) comparisonExpr() {}
func (*Comparison) comparisonExpr()         {}

// Quals returns the qualifiers of the simple expression.
func (e *ObservationSimple) Quals() []Qualifier { return e.Qualifiers }

// Quals returns the qualifiers of the compound expression.
func (e *ObservationCompound) Quals() []Qualifier { return e.Qualifiers }

// Walk calls fn for n and, while fn returns true, for each node below n in
// depth-first source order: observation expressions, then the comparison
// expressions inside each bracket, down to every *Comparison.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	switch n := n.(type) {
	case *Pattern:
		Walk(n.Root, fn)
	case *ObservationSimple:
		Walk(n.Expr, fn)
	case *ObservationCompound:
		for _, o := range n.Operands {
			Walk(o, fn)
		}
	case *ComparisonCompound:
		for _, o := range n.Operands {
			Walk(o, fn)
		}
	}
}

// Comparisons returns every comparison of the pattern in source order.
func (p *Pattern) Comparisons() []*Comparison {
	var cs []*Comparison
	Walk(p, func(n Node) bool {
		if c, ok := n.(*Comparison); ok {
			cs = append(cs, c)
		}
		return true
	})
	return cs
}
