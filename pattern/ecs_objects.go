package pattern

import (
	"strings"
)

// ecsProcess maps process.* (and process.parent.*) to process SCOs with a
// file image_ref.
func ecsProcess(f ecsFields, b *scoBuilder) error {
	parent, err := processObject(f, b, "process.parent")
	if err != nil {
		return err
	}
	key, err := processObject(f, b, "process")
	if err != nil {
		return err
	}
	if key != "" && parent != "" {
		b.objs[key]["parent_ref"] = parent
	}
	return nil
}

func processObject(f ecsFields, b *scoBuilder, prefix string) (string, error) {
	p := map[string]any{"type": "process"}
	if err := setInt(f, prefix+".pid", p, "pid"); err != nil {
		return "", err
	}
	if err := setStr(f, prefix+".command_line", p, "command_line"); err != nil {
		return "", err
	}
	if err := setStr(f, prefix+".working_directory", p, "cwd"); err != nil {
		return "", err
	}
	// STIX 2.0 had process:name; 2.1 moved it to the image file's name.
	// Both are set so that patterns of either version match.
	name, _, err := f.str(prefix + ".name")
	if err != nil {
		return "", err
	}
	if name != "" {
		p["name"] = name
	}
	img := map[string]any{"type": "file"}
	h, err := hashes(f, prefix)
	if err != nil {
		return "", err
	}
	if len(h) > 0 {
		img["hashes"] = h
	}
	exe, hasExe, err := f.str(prefix + ".executable")
	if err != nil {
		return "", err
	}
	if hasExe {
		dir, base := splitPath(exe)
		img["name"] = base
		if dir != "" {
			img["parent_directory_ref"] = b.add(map[string]any{"type": "directory", "path": dir})
		}
	} else if name != "" {
		img["name"] = name
	}
	if len(img) > 1 {
		p["image_ref"] = b.add(img)
	}
	if len(p) == 1 {
		return "", nil
	}
	return b.add(p), nil
}

// ecsEmail maps email.* to email-addr SCOs and one email-message.
func ecsEmail(f ecsFields, b *scoBuilder) error {
	msg := map[string]any{"type": "email-message", "is_multipart": false}
	for _, r := range []struct{ field, prop string }{
		{"email.from.address", "from_ref"}, {"email.sender.address", "sender_ref"},
	} {
		s, ok, err := f.str(r.field)
		if err != nil {
			return err
		}
		if ok {
			msg[r.prop] = b.value("email-addr", s)
		}
	}
	for _, r := range []struct{ field, prop string }{
		{"email.to.address", "to_refs"}, {"email.cc.address", "cc_refs"}, {"email.bcc.address", "bcc_refs"},
	} {
		addrs, err := f.strs(r.field)
		if err != nil {
			return err
		}
		var keys []any
		for _, a := range addrs {
			keys = append(keys, b.value("email-addr", a))
		}
		if len(keys) > 0 {
			msg[r.prop] = keys
		}
	}
	if err := setStr(f, "email.subject", msg, "subject"); err != nil {
		return err
	}
	if err := setStr(f, "email.message_id", msg, "message_id"); err != nil {
		return err
	}
	if len(msg) > 2 {
		b.add(msg)
	}
	return nil
}

// ecsUser maps user.* to a user-account (and user.email to an email-addr
// that belongs to it).
func ecsUser(f ecsFields, b *scoBuilder) error {
	u := map[string]any{"type": "user-account"}
	for _, r := range []struct{ field, prop string }{
		{"user.name", "account_login"}, {"user.id", "user_id"}, {"user.full_name", "display_name"},
	} {
		if err := setStr(f, r.field, u, r.prop); err != nil {
			return err
		}
	}
	email, hasEmail, err := f.str("user.email")
	if err != nil {
		return err
	}
	if len(u) == 1 {
		if hasEmail {
			b.value("email-addr", email)
		}
		return nil
	}
	key := b.add(u)
	if hasEmail {
		b.objs[b.value("email-addr", email)]["belongs_to_ref"] = key
	}
	return nil
}

// registryHives expands the abbreviations ECS uses in registry.hive.
var registryHives = map[string]string{
	"HKLM": "HKEY_LOCAL_MACHINE", "HKCU": "HKEY_CURRENT_USER", "HKU": "HKEY_USERS",
	"HKCR": "HKEY_CLASSES_ROOT", "HKCC": "HKEY_CURRENT_CONFIG",
}

// expandHive replaces a leading hive abbreviation with its full name.
func expandHive(key string) string {
	head, rest, _ := strings.Cut(key, `\`)
	if full, ok := registryHives[strings.ToUpper(head)]; ok {
		if rest == "" {
			return full
		}
		return full + `\` + rest
	}
	return key
}

// ecsRegistry maps registry.* to a windows-registry-key.
func ecsRegistry(f ecsFields, b *scoBuilder) error {
	hive, _, err := f.str("registry.hive")
	if err != nil {
		return err
	}
	key, hasKey, err := f.str("registry.key")
	if err != nil {
		return err
	}
	path, hasPath, err := f.str("registry.path")
	if err != nil {
		return err
	}
	valueName, hasValue, err := f.str("registry.value")
	if err != nil {
		return err
	}
	var full string
	switch {
	case hasKey && hive != "" && !strings.HasPrefix(strings.ToUpper(key), "HK"):
		full = hive + `\` + key
	case hasKey:
		full = key
	case hasPath && hasValue && strings.HasSuffix(path, `\`+valueName):
		full = strings.TrimSuffix(path, `\`+valueName)
	case hasPath:
		full = path
	default:
		return nil
	}
	rk := map[string]any{"type": "windows-registry-key", "key": expandHive(full)}
	if hasValue {
		v := map[string]any{"name": valueName}
		data, err := f.strs("registry.data.strings")
		if err != nil {
			return err
		}
		if len(data) > 0 {
			v["data"] = data[0]
		}
		if err := setStr(f, "registry.data.type", v, "data_type"); err != nil {
			return err
		}
		rk["values"] = []any{v}
	}
	b.add(rk)
	return nil
}

// ecsTLS maps tls.server.* and tls.client.* certificates to x509-certificate.
func ecsTLS(f ecsFields, b *scoBuilder) error {
	for _, side := range []string{"tls.server", "tls.client"} {
		c := map[string]any{"type": "x509-certificate"}
		h, err := hashes(f, side)
		if err != nil {
			return err
		}
		if len(h) > 0 {
			c["hashes"] = h
		}
		x := side + ".x509."
		for _, r := range []struct{ field, prop string }{
			{"serial_number", "serial_number"}, {"issuer.distinguished_name", "issuer"},
			{"subject.distinguished_name", "subject"}, {"not_before", "validity_not_before"},
			{"not_after", "validity_not_after"}, {"signature_algorithm", "signature_algorithm"},
			{"public_key_algorithm", "subject_public_key_algorithm"},
		} {
			if err := setStr(f, x+r.field, c, r.prop); err != nil {
				return err
			}
		}
		if err := setStr(f, x+"version_number", c, "version"); err != nil {
			return err
		}
		if len(c) > 1 {
			b.add(c)
		}
	}
	return nil
}
