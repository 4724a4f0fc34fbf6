package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/isachub/isachub"
)

// adminCmd is the common frame of the "isachub admin ..." subcommands: a
// flag set with --db, and a run function over an open store.
type adminCmd struct {
	name   string // for example "admin org add"
	usage  string // the flags, for the usage line
	fs     *flag.FlagSet
	db     *string
	create *bool
	env    *Env
}

func newAdminCmd(env *Env, name, usage string) *adminCmd {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	a := &adminCmd{name: name, usage: usage, fs: fs, env: env}
	a.db = dbFlag(fs)
	a.create = createFlag(fs)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: isachub %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return a
}

// alias makes --old another name of the flag --name, kept for one release
// so that scripts written for the old name go on working: one name per
// concept (--community, --org, --group) across every command.
func (a *adminCmd) alias(name, old string) {
	a.fs.Var(a.fs.Lookup(name).Value, old, "deprecated: the same as --"+name)
}

// run parses args, checks that every flag in required is set, opens the
// store and runs fn. Errors are printed with the command's name.
func (a *adminCmd) run(ctx context.Context, args []string, required []string, fn func(isachub.Store) error) int {
	if code, ok := parseFlags(a.fs, args); !ok {
		return code
	}
	if a.fs.NArg() > 0 {
		fmt.Fprintf(a.env.Stderr, "isachub %s: unexpected argument %q\n", a.name, a.fs.Arg(0))
		return exitUsage
	}
	for _, name := range required {
		if f := a.fs.Lookup(name); f == nil || f.Value.String() == "" {
			fmt.Fprintf(a.env.Stderr, "isachub %s: --%s is required\n", a.name, name)
			a.fs.Usage()
			return exitUsage
		}
	}
	store, err := openStore(ctx, resolveDSN(a.env, *a.db), *a.create)
	if err != nil {
		fmt.Fprintf(a.env.Stderr, "isachub %s: %s\n", a.name, describeErr(err))
		return failureCode(err)
	}
	defer store.Close()
	if err := fn(store); err != nil {
		fmt.Fprintf(a.env.Stderr, "isachub %s: %s\n", a.name, isachub.ErrorMessage(err))
		if isachub.ErrorCode(err) == isachub.EINTERNAL {
			fmt.Fprintf(a.env.Stderr, "  detail: %v\n", err)
		}
		return failureCode(err)
	}
	return exitOK
}

// findOrg resolves an organisation given as "COMMUNITY/ORG" or as a bare
// organisation slug that must be unique across the hub.
func findOrg(ctx context.Context, store isachub.Store, spec string) (*isachub.Org, error) {
	if comm, org, ok := strings.Cut(spec, "/"); ok {
		c, err := store.Community(ctx, comm)
		if err != nil {
			return nil, err
		}
		return store.Org(ctx, c.ID, org)
	}
	comms, err := store.Communities(ctx)
	if err != nil {
		return nil, err
	}
	var found []*isachub.Org
	var where []string
	for _, c := range comms {
		o, err := store.Org(ctx, c.ID, spec)
		if isachub.ErrorCode(err) == isachub.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		found = append(found, o)
		where = append(where, c.Slug+"/"+spec)
	}
	switch len(found) {
	case 0:
		return nil, isachub.Errorf(isachub.ENOTFOUND, "no organisation %q in any community", spec)
	case 1:
		return found[0], nil
	}
	return nil, isachub.Errorf(isachub.EINVALID, "organisation %q is in several communities; name one of %s", spec, strings.Join(where, ", "))
}

// orgList resolves "all" or a comma-separated list of organisation slugs of
// a community.
func orgList(ctx context.Context, store isachub.Store, communityID int64, flagName, spec string) (all bool, ids []int64, err error) {
	if spec == "all" {
		return true, nil, nil
	}
	for _, slug := range strings.Split(spec, ",") {
		slug = strings.TrimSpace(slug)
		if slug == "" {
			continue
		}
		o, err := store.Org(ctx, communityID, slug)
		if err != nil {
			return false, nil, isachub.Errorf(isachub.ErrorCode(err), "--%s: %s", flagName, isachub.ErrorMessage(err))
		}
		ids = append(ids, o.ID)
	}
	return false, ids, nil
}

// orgSlugNames returns a function that writes organisation ids of the
// community as their slugs, separated by commas, for listings.
func orgSlugNames(ctx context.Context, store isachub.Store, communityID int64) (func(ids []int64) string, error) {
	orgs, err := store.Orgs(ctx, communityID)
	if err != nil {
		return nil, err
	}
	slugs := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		slugs[o.ID] = o.Slug
	}
	return func(ids []int64) string {
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = slugs[id]
		}
		return strings.Join(names, ",")
	}, nil
}

// yesNo writes a flag in listings.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// given reports whether the flag was set on the command line, so that a
// "set" command changes only what it was told to.
func (a *adminCmd) given(name string) bool {
	found := false
	a.fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			found = true
		}
	})
	return found
}
