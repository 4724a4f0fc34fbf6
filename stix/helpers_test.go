package stix_test

import (
	"errors"
	"fmt"

	"github.com/isachub/isachub/stix"
)

var fmtSscanf = fmt.Sscanf

func asPathError(err error, target **stix.PathError) bool { return errors.As(err, target) }
