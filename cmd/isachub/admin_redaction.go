package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/isachub/isachub"
)

// listFlag is a flag that may be repeated; each use adds one value.
type listFlag []string

// String implements flag.Value.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// runAdminOrgRedaction implements "isachub admin org redaction": the rules
// an organisation declares about itself, removed from the free text of its
// anonymous submissions. Rule flags add to the declared rules, --clear
// first empties them; without either it prints them. The store validates
// them.
func runAdminOrgRedaction(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin org redaction", "--community S --org O [--domain D]... [--email E]... [--ip-range CIDR]... [--pattern RE]... [--clear]")
	comm := a.fs.String("community", "", "slug of the community")
	slug := a.fs.String("org", "", "slug of the organisation")
	var add isachub.Redaction
	a.fs.Var((*listFlag)(&add.Domains), "domain", "a domain of the organisation, redacted with its subdomains (repeatable)")
	a.fs.Var((*listFlag)(&add.Emails), "email", "an email address of the organisation, any case (repeatable)")
	a.fs.Var((*listFlag)(&add.IPRanges), "ip-range", "an IP address or CIDR range of the organisation (repeatable)")
	a.fs.Var((*listFlag)(&add.Patterns), "pattern", "an RE2 regular expression whose matches are redacted (repeatable)")
	clearAll := a.fs.Bool("clear", false, "remove every declared rule before adding the ones given")
	return a.run(ctx, args, []string{"community", "org"}, func(store isachub.Store) error {
		o, err := communityOrg(ctx, store, *comm, *slug)
		if err != nil {
			return err
		}
		if *clearAll || !add.Empty() {
			if *clearAll {
				o.Redaction = isachub.Redaction{}
			}
			r := &o.Redaction
			r.Domains = appendNew(r.Domains, add.Domains)
			r.Emails = appendNew(r.Emails, add.Emails)
			r.IPRanges = appendNew(r.IPRanges, add.IPRanges)
			r.Patterns = appendNew(r.Patterns, add.Patterns)
			if err := store.UpdateOrg(ctx, o); err != nil {
				return err
			}
		}
		return printRedaction(env, o)
	})
}

// appendNew appends the values of add that list does not hold yet.
func appendNew(list, add []string) []string {
	for _, v := range add {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// printRedaction lists the organisation's rules, one a line: its kind and
// its value.
func printRedaction(env *Env, o *isachub.Org) error {
	r := o.Redaction
	if r.Empty() {
		fmt.Fprintf(env.Stderr, "Organisation %s declares no redaction rules.\n", o.Slug)
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tVALUE")
	for _, kind := range []struct {
		name   string
		values []string
	}{{"domain", r.Domains}, {"email", r.Emails}, {"ip-range", r.IPRanges}, {"pattern", r.Patterns}} {
		for _, v := range kind.values {
			fmt.Fprintf(tw, "%s\t%s\n", kind.name, v)
		}
	}
	return tw.Flush()
}
