package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

// minPasswordLength is the shortest password the hub accepts, from the
// command line as from the web UI.
const minPasswordLength = server.MinPasswordLength

// readPassword returns the password for a command: the --password value
// (with a warning: argv shows in ps and in shell history), else a prompt
// without echo when standard input is a terminal, else the first line of
// standard input. It refuses one shorter than minPasswordLength.
func readPassword(env *Env, cmd, flagValue string) (string, error) {
	pw := flagValue
	if pw != "" {
		fmt.Fprintf(env.Stderr, "isachub %s: warning: a password in --password shows in ps and in shell history; leave it out to be asked for it, or pipe it on standard input\n", cmd)
	} else if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", isachub.Errorf(isachub.EINVALID, "reading the password: %v", err)
		}
		pw = string(b)
	} else {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", isachub.Errorf(isachub.EINVALID, "no password: give it on standard input (one line) or at the prompt")
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if n := len([]rune(pw)); n < minPasswordLength {
		return "", isachub.Errorf(isachub.EINVALID, "the password has %d characters; it needs at least %d", n, minPasswordLength)
	}
	return pw, nil
}
