package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

// runAdminTokenAdd implements "isachub admin token add": it prints the new
// token once; only its SHA-256 hash is stored.
func runAdminTokenAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin token add", "--username U [--name N] [--anonymous] [--client-cert-fingerprint SHA256]")
	username := a.fs.String("username", "", "the user the token acts as")
	name := a.fs.String("name", "", "what the token is for, for example \"SIEM feed\"")
	anonymous := a.fs.Bool("anonymous", false, "publish every submission made with the token anonymously, under the community's identity")
	certFP := a.fs.String("client-cert-fingerprint", "", "make a certificate token: the TLS client certificate with this SHA-256 fingerprint (openssl x509 -noout -fingerprint -sha256) authenticates as the user, with no secret (serve --tls-client-auth request|verify)")
	return a.run(ctx, args, []string{"username"}, func(store isachub.Store) error {
		var secret string
		var hash []byte
		var err error
		if *certFP != "" {
			fp, err := server.ParseFingerprint(*certFP)
			if err != nil {
				return isachub.Errorf(isachub.EINVALID, "--client-cert-fingerprint: %v", err)
			}
			hash = server.ClientCertHash(fp)
		} else if secret, hash, err = server.NewToken(); err != nil {
			return err
		}
		u, err := store.User(ctx, *username)
		if err != nil {
			return err
		}
		t := &isachub.Token{UserID: u.ID, Name: *name, Hash: hash, Anonymous: *anonymous}
		if err := store.CreateToken(ctx, t); err != nil {
			return err
		}
		kind := "Token"
		if t.Anonymous {
			kind = "Anonymous token"
		}
		if secret == "" {
			fmt.Fprintln(env.Stdout, t.ID)
			fmt.Fprintf(env.Stderr, "%s %d for %s created: the client certificate authenticates as %s when serve asks for client certificates (--tls-client-auth).\n", kind, t.ID, u.Username, u.Username)
			return nil
		}
		fmt.Fprintln(env.Stdout, secret)
		fmt.Fprintf(env.Stderr, "%s %d for %s created. It is shown only this once.\n", kind, t.ID, u.Username)
		return nil
	})
}

// runAdminTokenList implements "isachub admin token list".
func runAdminTokenList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin token list", "--username U")
	username := a.fs.String("username", "", "the user whose tokens to list")
	return a.run(ctx, args, []string{"username"}, func(store isachub.Store) error {
		u, err := store.User(ctx, *username)
		if err != nil {
			return err
		}
		toks, err := store.Tokens(ctx, u.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tANONYMOUS\tCREATED\tLAST USED")
		for _, t := range toks {
			last := "never"
			if !t.LastUsedAt.IsZero() {
				last = t.LastUsedAt.UTC().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, yesNo(t.Anonymous), t.CreatedAt.UTC().Format("2006-01-02 15:04"), last)
		}
		return tw.Flush()
	})
}

// runAdminTokenRemove implements "isachub admin token remove".
func runAdminTokenRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin token remove", "--id N")
	id := a.fs.String("id", "", "the token's id, as token list shows it")
	return a.run(ctx, args, []string{"id"}, func(store isachub.Store) error {
		n, err := strconv.ParseInt(*id, 10, 64)
		if err != nil {
			return isachub.Errorf(isachub.EINVALID, "--id %q is not a token id", *id)
		}
		return store.DeleteToken(ctx, n)
	})
}
