// Command isachub is the isachub threat-intelligence sharing hub: one binary
// whose subcommands validate STIX content, match STIX patterns against logs,
// manage the database, serve TAXII 2.1, and, for a member without access to
// the database, preview, publish and withdraw submissions over HTTP; the
// taxii commands are a TAXII 2.1 client of any server.
//
// Run "isachub help" for the list of subcommands. Exit codes: 0 success;
// 1 a negative answer (invalid content, no match, objects refused) or a
// failure while running (database, network, the hub's error); 2 bad usage
// (unknown command or flag, missing argument) or input that cannot be read.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0
	exitNegative = 1 // the command ran and the answer is "no" (invalid, no match)
	exitFailure  = 1 // the command could not do its work: database, network, the hub's error
	exitUsage    = 2 // bad usage, or input that cannot be read
)

// Env is what a subcommand may touch of the process: its standard streams and
// environment. Tests run subcommands with their own Env.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// command is one subcommand; name may have several words ("stix validate").
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) int
}

// commands lists every subcommand. Each lives in a file of its own.
func commands() []command {
	return []command{
		{"stix validate", "validate STIX 2.1 JSON files", runStixValidate},
		{"pattern check", "check a STIX pattern and print its canonical form", runPatternCheck},
		{"pattern match", "match a STIX pattern against observed-data", runPatternMatch},
		{"match", "report which STIX indicators fire on ECS or STIX events", runMatch},
		{"migrate", "apply pending database schema migrations", runMigrate},
		{"backup", "write an online, consistent copy of an SQLite database", runBackup},
		{"serve", "serve TAXII 2.1 (--demo: first create a demo community)", runServe},
		{"admin community add", "add a community (a TAXII API root); prints its id", runAdminCommunityAdd},
		{"admin community set", "change a community's title, description, sector, sighting k or submitter-record policy", runAdminCommunitySet},
		{"admin community list", "list communities", runAdminCommunityList},
		{"admin community remove", "remove a community and everything in it", runAdminCommunityRemove},
		{"admin org add", "add a member organisation; prints its id", runAdminOrgAdd},
		{"admin org set", "change an organisation's name, staff flag or STIX identity", runAdminOrgSet},
		{"admin org redaction", "show, add or clear the redaction rules an organisation declares", runAdminOrgRedaction},
		{"admin org list", "list a community's organisations", runAdminOrgList},
		{"admin org remove", "remove an organisation, its users and tokens", runAdminOrgRemove},
		{"admin user add", "add a user; prints its id", runAdminUserAdd},
		{"admin user set", "change a user's role or operator flag, or reset their password", runAdminUserSet},
		{"admin user list", "list an organisation's users", runAdminUserList},
		{"admin user remove", "remove a user and their tokens", runAdminUserRemove},
		{"admin token add", "add an API token for a user; prints the token once", runAdminTokenAdd},
		{"admin token list", "list a user's API tokens", runAdminTokenList},
		{"admin token remove", "remove an API token", runAdminTokenRemove},
		{"admin collection add", "add a collection with its readers and writers; prints its id", runAdminCollectionAdd},
		{"admin collection list", "list a community's collections", runAdminCollectionList},
		{"admin collection set", "change a collection's title, alias, readers, writers, default TLP or flags", runAdminCollectionSet},
		{"admin collection remove", "remove a collection and its objects", runAdminCollectionRemove},
		{"admin feed add", "add a feed (a saved filter, also a TAXII collection) for an organisation; prints its id", runAdminFeedAdd},
		{"admin feed list", "list a community's feeds", runAdminFeedList},
		{"admin feed remove", "remove a feed and its tokens", runAdminFeedRemove},
		{"admin feed token", "add a token bound to one feed, for use outside the community (TLP:CLEAR only); prints it once", runAdminFeedToken},
		{"admin webhook add", "add a webhook that pushes a feed to an organisation's receiver; prints its id (and its secret, once)", runAdminWebhookAdd},
		{"admin webhook list", "list a community's webhooks, their state and last error", runAdminWebhookList},
		{"admin webhook remove", "remove a webhook and its delivery log", runAdminWebhookRemove},
		{"admin webhook deliveries", "show a webhook's delivery log, newest first", runAdminWebhookDeliveries},
		{"admin webhook revive", "take a dead webhook out of its dead-letter state; it delivers from where it stopped", runAdminWebhookRevive},
		{"admin peer add", "add another TAXII 2.1 server (another hub) as a peer of a community; prints its id", runAdminPeerAdd},
		{"admin peer list", "list a community's peers and their subscriptions: last success, lag, moved, refused, errors", runAdminPeerList},
		{"admin peer remove", "remove a peer and its subscriptions", runAdminPeerRemove},
		{"admin peer subscribe", "pull a peer's collection into a local one, or push a local one to the peer; prints its id", runAdminPeerSubscribe},
		{"admin peer sync", "run a peer's subscriptions once, now, and print what moved", runAdminPeerSync},
		{"admin group add", "add a sharing group of member organisations; prints its id", runAdminGroupAdd},
		{"admin group list", "list a community's sharing groups and their members", runAdminGroupList},
		{"admin group remove", "remove a sharing group, its collections and their objects", runAdminGroupRemove},
		{"admin group member add", "add a member organisation to a sharing group", runAdminGroupMemberAdd},
		{"admin group member remove", "remove a member organisation from a sharing group", runAdminGroupMemberRemove},
		{"admin pending list", "list the submissions waiting in a moderated collection", runAdminPendingList},
		{"admin pending show", "print the objects of a pending submission as a STIX bundle", runAdminPendingShow},
		{"admin pending approve", "publish a pending submission", runAdminPendingApprove},
		{"admin pending reject", "reject a pending submission, with a reason for its submitter", runAdminPendingReject},
		{"admin anonymous reveal", "audited: show who submitted an anonymous object (sealed record)", runAdminAnonymousReveal},
		{"admin audit list", "show the audit log, newest first", runAdminAuditList},
		{"preview", "show what an anonymous submission to a hub would publish", runPreview},
		{"publish", "post STIX content, or STIX 1.x or MISP to convert, to a hub's collection (--anonymous, --from)", runPublish},
		{"export", "download a feed's export (CSV, blocklist, Suricata, Snort, STIX) from a hub", runExport},
		{"withdraw", "withdraw an anonymous submission with its withdrawal handle", runWithdraw},
		{"convert", "convert STIX 1.x XML or MISP JSON to a STIX 2.1 bundle, with a report of what did not convert", runConvert},
		{"bench", "drive a running hub with publishers and polling readers; print throughput and latency", runBench},
		{"taxii discover", "print the discovery resource of any TAXII 2.1 server", runTaxiiDiscover},
		{"taxii collections", "list the collections of a TAXII 2.1 API root that you may see", runTaxiiCollections},
		{"taxii get", "download every object of a TAXII 2.1 collection as one STIX bundle (--manifest: its manifest)", runTaxiiGet},
		{"taxii add", "add STIX content to a TAXII 2.1 collection and wait for its status", runTaxiiAdd},
		{"taxii status", "print a status resource of a TAXII 2.1 API root", runTaxiiStatus},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := Run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// Run finds the subcommand named by the leading words of args and runs it
// with the rest, returning the process exit code. Flags may come before
// the last word of the command's name ("admin --db X community add");
// "help CMD" is "CMD -h"; a command group alone ("admin", "admin group")
// lists its subcommands.
func Run(ctx context.Context, env *Env, args []string) int {
	cmds := commands()
	// Longest name first, so that "admin user add" wins over "admin".
	slices.SortFunc(cmds, func(a, b command) int {
		return len(strings.Fields(b.name)) - len(strings.Fields(a.name))
	})
	if len(args) > 0 && args[0] == "help" {
		if len(args) == 1 {
			usage(env.Stdout, cmds, "")
			return exitOK
		}
		args = append(slices.Clone(args[1:]), "-h")
	}
	if len(args) > 0 && (args[0] == "version" || args[0] == "--version") {
		fmt.Fprintln(env.Stdout, versionString())
		return exitOK
	}
	words, flags := splitCommand(cmds, args)
	for _, c := range cmds {
		name := strings.Fields(c.name)
		if len(words) >= len(name) && slices.Equal(words[:len(name)], name) {
			return c.run(ctx, env, append(flags, words[len(name):]...))
		}
	}
	help := slices.ContainsFunc(flags, func(f string) bool { return f == "-h" || f == "--help" || f == "-help" })
	if len(words) == 0 {
		if len(flags) == 0 || help {
			usage(env.Stdout, cmds, "")
			return exitOK
		}
	} else if group := strings.Join(words, " "); isGroup(cmds, group) {
		if help {
			usage(env.Stdout, cmds, group)
			return exitOK
		}
		fmt.Fprintf(env.Stderr, "isachub %s: name a subcommand\n\n", group)
		usage(env.Stderr, cmds, group)
		return exitUsage
	}
	fmt.Fprintf(env.Stderr, "isachub: unknown command %q\n\n", strings.Join(args, " "))
	usage(env.Stderr, cmds, "")
	return exitUsage
}

// splitCommand separates the words that name a command from the flags
// given among them, and returns the words followed by the rest of args
// untouched once a command is named. A flag without "=" takes the next
// argument as its value unless that argument continues a command name (a
// boolean flag).
func splitCommand(cmds []command, args []string) (words, flags []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			if !isGroup(cmds, strings.Join(append(slices.Clone(words), a), " ")) && !isCommand(cmds, strings.Join(append(slices.Clone(words), a), " ")) {
				return append(words, args[i:]...), flags
			}
			words = append(words, a)
			if isCommand(cmds, strings.Join(words, " ")) && !isGroup(cmds, strings.Join(words, " ")) {
				return append(words, args[i+1:]...), flags
			}
			continue
		}
		flags = append(flags, a)
		if !strings.Contains(a, "=") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") &&
			!isGroup(cmds, strings.Join(append(slices.Clone(words), args[i+1]), " ")) &&
			!isCommand(cmds, strings.Join(append(slices.Clone(words), args[i+1]), " ")) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return words, flags
}

// isCommand reports whether name is a command's whole name.
func isCommand(cmds []command, name string) bool {
	return slices.ContainsFunc(cmds, func(c command) bool { return c.name == name })
}

// isGroup reports whether name is the first words of some longer command
// name ("admin", "admin group", "admin group member").
func isGroup(cmds []command, name string) bool {
	return slices.ContainsFunc(cmds, func(c command) bool { return strings.HasPrefix(c.name, name+" ") })
}

// versionString is the module version and VCS revision the binary was
// built from, as the Go toolchain records them.
func versionString() string {
	v, rev, when, dirty := "(devel)", "", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	out := "isachub " + v
	if rev != "" {
		out += " " + rev[:min(12, len(rev))]
		if dirty {
			out += "+dirty"
		}
		if when != "" {
			out += " " + when
		}
	}
	return out + " " + runtime.Version()
}

// usage lists the commands whose name starts with group ("" for all).
func usage(w io.Writer, cmds []command, group string) {
	cmds = slices.Clone(cmds)
	if group != "" {
		cmds = slices.DeleteFunc(cmds, func(c command) bool { return !strings.HasPrefix(c.name, group+" ") })
	}
	slices.SortFunc(cmds, func(a, b command) int { return strings.Compare(a.name, b.name) })
	if group == "" {
		fmt.Fprintln(w, "Usage: isachub COMMAND [FLAGS] [ARGS]")
	} else {
		fmt.Fprintf(w, "Usage: isachub %s COMMAND [FLAGS] [ARGS]\n", group)
	}
	fmt.Fprintln(w, "\nCommands:")
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.name))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	if group == "" {
		fmt.Fprintf(w, "  %-*s  %s\n", width, "version", "print the version the binary was built from")
	}
	fmt.Fprintln(w, "\nRun 'isachub help COMMAND' or 'isachub COMMAND -h' for the flags of one command.")
	fmt.Fprintln(w, "Exit codes: 0 success; 1 a negative answer (invalid, no match, refused) or a failure while running; 2 bad usage.")
}
