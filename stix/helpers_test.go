package stix_test

import "fmt"

var fmtSscanf = fmt.Sscanf
