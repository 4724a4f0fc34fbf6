package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

// runAdminUserAdd implements "isachub admin user add".
func runAdminUserAdd(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin user add", "--org O --username U --role admin|analyst|reader [--hub-admin] (the password is asked for, or read from standard input)")
	org := a.fs.String("org", "", "the user's organisation: ORG, or COMMUNITY/ORG when the slug is in several communities")
	username := a.fs.String("username", "", "login name, unique across the hub")
	role := a.fs.String("role", "", "admin, analyst or reader")
	password := a.fs.String("password", "", "the password (discouraged: it shows in ps; by default it is asked for, or read as one line of standard input); at least 12 characters, hashed with argon2id")
	hubAdmin := a.fs.Bool("hub-admin", false, "make the user a hub operator, who administers every community")
	return a.run(ctx, args, []string{"org", "username", "role"}, func(store isachub.Store) error {
		r := isachub.Role(*role)
		if !r.Valid() {
			return isachub.Errorf(isachub.EINVALID, "--role %q is not admin, analyst or reader", *role)
		}
		o, err := findOrg(ctx, store, *org)
		if err != nil {
			return err
		}
		pw, err := readPassword(env, "admin user add", *password)
		if err != nil {
			return err
		}
		hash, err := server.HashPassword(pw)
		if err != nil {
			return isachub.Errorf(isachub.EINVALID, "--password: %v", err)
		}
		u := &isachub.User{OrgID: o.ID, Username: *username, Role: r, HubAdmin: *hubAdmin, PasswordHash: hash}
		if err := store.CreateUser(ctx, u); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, u.ID)
		return nil
	})
}

// runAdminUserSet implements "isachub admin user set": change a user's
// role or hub-operator flag, or reset their password (which signs them out
// of the web UI everywhere).
func runAdminUserSet(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin user set", "--username U [--role admin|analyst|reader] [--hub-admin=true|false] [--reset-password]")
	username := a.fs.String("username", "", "the user to change")
	role := a.fs.String("role", "", "the new role: admin, analyst or reader")
	hubAdmin := a.fs.String("hub-admin", "", "true or false: whether the user is a hub operator")
	reset := a.fs.Bool("reset-password", false, "set a new password: asked for, or read as one line of standard input")
	password := a.fs.String("password", "", "with --reset-password, the new password (discouraged: it shows in ps)")
	return a.run(ctx, args, []string{"username"}, func(store isachub.Store) error {
		u, err := store.User(ctx, *username)
		if err != nil {
			return err
		}
		if *role == "" && *hubAdmin == "" && !*reset {
			return isachub.Errorf(isachub.EINVALID, "nothing to change: give --role, --hub-admin or --reset-password")
		}
		if *role != "" {
			if u.Role = isachub.Role(*role); !u.Role.Valid() {
				return isachub.Errorf(isachub.EINVALID, "--role %q is not admin, analyst or reader", *role)
			}
		}
		switch *hubAdmin {
		case "":
		case "true":
			u.HubAdmin = true
		case "false":
			u.HubAdmin = false
		default:
			return isachub.Errorf(isachub.EINVALID, "--hub-admin %q is not true or false", *hubAdmin)
		}
		if *reset {
			pw, err := readPassword(env, "admin user set", *password)
			if err != nil {
				return err
			}
			if u.PasswordHash, err = server.HashPassword(pw); err != nil {
				return isachub.Errorf(isachub.EINVALID, "--password: %v", err)
			}
		} else if *password != "" {
			return isachub.Errorf(isachub.EINVALID, "--password goes with --reset-password")
		}
		return store.UpdateUser(ctx, u)
	})
}

// runAdminUserList implements "isachub admin user list".
func runAdminUserList(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin user list", "--org O")
	org := a.fs.String("org", "", "the organisation: ORG or COMMUNITY/ORG")
	return a.run(ctx, args, []string{"org"}, func(store isachub.Store) error {
		o, err := findOrg(ctx, store, *org)
		if err != nil {
			return err
		}
		users, err := store.Users(ctx, o.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\tHUB ADMIN")
		for _, u := range users {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%v\n", u.ID, u.Username, u.Role, u.HubAdmin)
		}
		return tw.Flush()
	})
}

// runAdminUserRemove implements "isachub admin user remove".
func runAdminUserRemove(ctx context.Context, env *Env, args []string) int {
	a := newAdminCmd(env, "admin user remove", "--username U")
	username := a.fs.String("username", "", "the user to remove, with their tokens")
	return a.run(ctx, args, []string{"username"}, func(store isachub.Store) error {
		return store.DeleteUser(ctx, *username)
	})
}
