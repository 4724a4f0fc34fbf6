package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/taxii"
)

// The federation commands (issue 14's Contract): peers of a community,
// their subscriptions, and a sync run now. Credentials are sealed with the
// key in $ISACHUB_FEDERATION_KEY before they are stored, and never printed.

// federationKey reads the federation key from the environment.
func federationKey(env *Env) ([]byte, error) {
	key, err := federation.ParseKey(env.Getenv(federation.KeyEnv))
	if err != nil {
		return nil, isachub.Errorf(isachub.EINVALID, "%s.", upperFirst(err.Error()))
	}
	return key, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// notSlug is what a peer's name loses to make its organisation's slug.
var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// runAdminPeerAdd implements "isachub admin peer add": it stores the peer
// and its local organisation (whose objects the peer's are) and prints the
// peer's id.
func runAdminPeerAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin peer add", "--community S --name N --url API_ROOT_URL (--user U --password P | --token T) [--trusted]")
	comm := a.fs.String("community", "", "slug of the community")
	name := a.fs.String("name", "", "the peer's name, unique in the community")
	rawURL := a.fs.String("url", "", "the peer's TAXII 2.1 API root URL")
	user := a.fs.String("user", "", "the HTTP Basic user name at the peer")
	password := a.fs.String("password", "", "the HTTP Basic password at the peer (\"-\": read one line from standard input)")
	token := a.fs.String("token", "", "a bearer token of the peer (\"-\": read one line from standard input)")
	trusted := a.fs.Bool("trusted", false, "the peer is part of the same trusted community: TLP:GREEN may go to it")
	return a.run(ctx, args, []string{"community", "name", "url"}, func(store isachub.Store) error {
		key, err := federationKey(env)
		if err != nil {
			return err
		}
		if _, err := taxii.NewClient(*rawURL, taxii.ClientOptions{}); err != nil {
			return isachub.Errorf(isachub.EINVALID, "--url: %v", err)
		}
		var cred string
		switch {
		case *token != "" && (*user != "" || *password != ""):
			return isachub.Errorf(isachub.EINVALID, "give --user and --password, or --token, not both")
		case *token != "":
			cred = *token
		case *user != "" && *password != "":
			cred = *password
		default:
			return isachub.Errorf(isachub.EINVALID, "the peer's credentials are required: --user and --password, or --token")
		}
		if cred == "-" {
			line, err := readSecretLine(env.Stdin)
			if err != nil {
				return err
			}
			cred = line
		}
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		slug := "peer-" + strings.Trim(notSlug.ReplaceAllString(strings.ToLower(*name), "-"), "-")
		org := &isachub.Org{CommunityID: c.ID, Slug: slug, Name: "Peer: " + *name}
		if err := store.CreateOrg(ctx, org); err != nil {
			return err
		}
		p := &isachub.Peer{ID: uuid.NewString(), CommunityID: c.ID, Name: *name, URL: *rawURL, OrgID: org.ID, User: *user, Trusted: *trusted}
		if p.Credential, err = federation.Seal(key, p.ID, cred); err != nil {
			return err
		}
		if err := store.CreatePeer(ctx, p); err != nil {
			store.DeleteOrg(context.WithoutCancel(ctx), c.ID, org.Slug) // nothing half-made stays
			return err
		}
		fmt.Fprintln(env.Stdout, p.ID)
		fmt.Fprintf(env.Stderr, "Peer %q added; what it sends is published by organisation %q. Subscribe with isachub admin peer subscribe --peer %s.\n", p.Name, org.Slug, p.ID)
		return nil
	})
}

// readSecretLine reads one line from r, without its line ending.
func readSecretLine(r io.Reader) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for b.Len() < 4096 {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			break
		}
	}
	s := strings.TrimRight(b.String(), "\r")
	if s == "" {
		return "", isachub.Errorf(isachub.EINVALID, "no credential on standard input")
	}
	return s, nil
}

// runAdminPeerList implements "isachub admin peer list": the community's
// peers and, under each, its subscriptions with their state.
func runAdminPeerList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin peer list", "--community S")
	comm := a.fs.String("community", "", "slug of the community")
	return a.run(ctx, args, []string{"community"}, func(store isachub.Store) error {
		c, err := store.Community(ctx, *comm)
		if err != nil {
			return err
		}
		peers, err := store.Peers(ctx, c.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PEER\tNAME\tURL\tTRUSTED")
		for _, p := range peers {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%t\n", p.ID, p.Name, p.URL, p.Trusted)
		}
		tw.Flush()
		fmt.Fprintln(env.Stdout)
		tw = tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SUBSCRIPTION\tPEER\tDIRECTION\tLOCAL\tREMOTE\tLAST SUCCESS\tLAG\tMOVED\tREFUSED\tLAST ERROR")
		now := time.Now()
		for _, p := range peers {
			subs, err := store.Subscriptions(ctx, p.ID)
			if err != nil {
				return err
			}
			for _, s := range subs {
				last, lag := "never", "-"
				if !s.LastSuccess.IsZero() {
					last, lag = s.LastSuccess.Format(time.RFC3339), now.Sub(s.LastSuccess).Round(time.Second).String()
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", s.ID, p.Name, s.Direction, s.Local, s.Remote,
					last, lag, s.Moved, s.Refused, s.LastError)
			}
		}
		return tw.Flush()
	})
}

// runAdminPeerRemove implements "isachub admin peer remove".
func runAdminPeerRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin peer remove", "--peer ID")
	id := a.fs.String("peer", "", "the peer's id")
	return a.run(ctx, args, []string{"peer"}, func(store isachub.Store) error {
		return store.DeletePeer(ctx, *id)
	})
}

// runAdminPeerSubscribe implements "isachub admin peer subscribe": a pull
// of a remote collection into a local one, or a push of a local collection
// to a remote one; it prints the subscription's id.
func runAdminPeerSubscribe(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin peer subscribe", "--peer ID (--pull REMOTE_COLLECTION_ID --into LOCAL_COLLECTION_ID | --push LOCAL_COLLECTION_ID --to REMOTE_COLLECTION_ID) [--every 5m]")
	id := a.fs.String("peer", "", "the peer's id")
	pull := a.fs.String("pull", "", "the peer's collection to pull from")
	into := a.fs.String("into", "", "the local collection (id or alias) to pull into")
	push := a.fs.String("push", "", "the local collection (id or alias) to push")
	to := a.fs.String("to", "", "the peer's collection to push to")
	every := a.fs.Duration("every", isachub.DefaultSyncInterval, "how often serve runs it")
	return a.run(ctx, args, []string{"peer"}, func(store isachub.Store) error {
		p, err := store.Peer(ctx, *id)
		if err != nil {
			return err
		}
		s := &isachub.Subscription{PeerID: p.ID, Interval: *every}
		var local string
		switch {
		case *pull != "" && *into != "" && *push == "" && *to == "":
			s.Direction, s.Remote, local = isachub.Pull, *pull, *into
		case *push != "" && *to != "" && *pull == "" && *into == "":
			s.Direction, s.Remote, local = isachub.Push, *to, *push
		default:
			return isachub.Errorf(isachub.EINVALID, "give --pull and --into, or --push and --to")
		}
		coll, err := store.Collection(ctx, p.CommunityID, local)
		if err != nil {
			return err
		}
		if s.Direction == isachub.Push {
			if err := isachub.CheckPushable(coll); err != nil {
				return err
			}
		}
		s.Local = coll.ID
		if err := store.CreateSubscription(ctx, s); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, s.ID)
		return nil
	})
}

// runAdminPeerSync implements "isachub admin peer sync": every
// subscription of the peer, once, now; it prints what moved and exits 0
// when all succeeded.
func runAdminPeerSync(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin peer sync", "--peer ID")
	id := a.fs.String("peer", "", "the peer's id")
	return a.run(ctx, args, []string{"peer"}, func(store isachub.Store) error {
		key, err := federationKey(env)
		if err != nil {
			return err
		}
		syncer := &federation.Syncer{Store: store, Key: key}
		results, err := syncer.SyncPeer(ctx, *id)
		if err != nil {
			return err
		}
		failed := 0
		for _, r := range results {
			s := r.Subscription
			fmt.Fprintf(env.Stdout, "%s\t%s\t%s -> %s\t%d moved, %d refused, %d withheld\n", s.ID, s.Direction,
				from(s), to(s), r.Moved, r.Refused, r.Withheld)
			for _, why := range r.Refusals {
				fmt.Fprintf(env.Stdout, "refused\t%s\t%s\n", s.ID, why)
			}
			if r.Err != nil {
				failed++
				fmt.Fprintf(env.Stderr, "isachub admin peer sync: %s: %v\n", s.ID, r.Err)
			}
		}
		if failed > 0 {
			return isachub.Errorf(isachub.EUNPROCESSABLE, "%d of %d subscriptions failed.", failed, len(results))
		}
		return nil
	})
}

// from and to name the two ends of a subscription.
func from(s *isachub.Subscription) string {
	if s.Direction == isachub.Pull {
		return "peer:" + s.Remote
	}
	return s.Local
}

func to(s *isachub.Subscription) string {
	if s.Direction == isachub.Pull {
		return s.Local
	}
	return "peer:" + s.Remote
}
