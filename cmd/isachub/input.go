package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// maxInputSize bounds what one input file or stdin may hold, so that
// hostile input cannot exhaust memory.
const maxInputSize = 512 << 20

// readInput reads a whole file, or standard input for "-", refusing more
// than maxInputSize bytes. Errors name the input.
func readInput(env *Env, name string) ([]byte, error) {
	var r io.Reader = env.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("cannot read %s: %v", name, pe.Err)
			}
			return nil, fmt.Errorf("cannot read %s: %v", name, err)
		}
		defer f.Close()
		r = f
	} else {
		name = "standard input"
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInputSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", name, err)
	}
	if len(data) > maxInputSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", name, maxInputSize>>20)
	}
	return data, nil
}
