package stix1

import (
	"strings"
)

// Host objects of CybOX 2.1: WindowsRegistryKey, Process (and
// WindowsProcess, UnixProcess), Mutex (and WindowsMutex), UserAccount
// (and WindowsUserAccount, UnixUserAccount).

// hives expands the abbreviations of registry hives.
var hives = map[string]string{
	"HKLM": "HKEY_LOCAL_MACHINE", "HKCU": "HKEY_CURRENT_USER", "HKCR": "HKEY_CLASSES_ROOT",
	"HKU": "HKEY_USERS", "HKCC": "HKEY_CURRENT_CONFIG",
}

// mapRegistryKey reads a WindowsRegistryKey object: windows-registry-key
// with the hive put in front of the key, and its values.
func mapRegistryKey(w *ow, p *node) {
	w.setType("windows-registry-key")
	hive, key := p.kid("Hive"), p.kid("Key")
	hv := strings.TrimSpace(hive.str())
	if full, ok := hives[strings.ToUpper(hv)]; ok {
		hv = full
	}
	switch {
	case key != nil && hive != nil && plain(hive):
		w.add("key", test{kind: kStr, val: key.text, n: key, prefix: hv + `\`})
		hive.used = true
	case key != nil:
		if hive != nil {
			hive.used = true
			w.c.skip(hive.path(), w.o.construct, "a Hive with a condition cannot be joined to the key; not converted")
		}
		w.val("key", kStr, key)
	case hive != nil && plain(hive):
		hive.used = true
		if w.o.inst {
			w.add("key", test{kind: kStr, val: hv})
		} else {
			w.add("key", test{kind: kStr, val: hv + `\`, cond: "StartsWith"})
		}
	case hive != nil:
		hive.used = true
		w.c.skip(hive.path(), w.o.construct, "a Hive with a condition and no Key has no faithful STIX 2.1 test; not converted")
	}
	if vs := p.kid("Values"); vs != nil {
		for _, v := range vs.all("Value") {
			e := w.elem("values", v)
			e.val("name", kStr, v.kid("Name"))
			e.val("data", kStr, v.kid("Data"))
			e.val("data_type", kStr, v.kid("Datatype"))
			w.rest(v)
		}
		w.rest(vs)
	}
	w.val("modified_time", kTime, p.kid("Modified_Time"))
	w.val("number_of_subkeys", kInt, p.kid("Number_Subkeys"))
	if u := p.kid("Creator_Username"); u != nil {
		w.ref("creator_user_ref", "user-account", u).val("account_login", kStr, u)
	}
}

// mapProcess reads a Process object: process. Its Name has no STIX 2.1
// property: it is tested as the command_line, an approximation.
func mapProcess(w *ow, p *node) {
	w.setType("process")
	if p.hasAttr("is_hidden") {
		w.add("is_hidden", test{kind: kBool, val: p.attr("is_hidden")})
	}
	w.val("pid", kInt, p.kid("PID"))
	img := p.kid("Image_Info")
	cmd := img.kid("Command_Line")
	if name := p.kid("Name"); name != nil {
		if cmd == nil {
			w.val("command_line", kStr, name)
			w.c.approx(name.path(), w.o.construct, "STIX 2.1 process has no name: the Name is tested as the command_line, which usually holds more")
		} else {
			name.useAll()
			w.c.skip(name.path(), w.o.construct, "STIX 2.1 process has no name, and the command_line comes from Image_Info; not converted")
		}
	}
	created := p.kid("Creation_Time")
	w.val("created_time", kTime, created)
	if st := p.kid("Start_Time"); st != nil {
		if created == nil {
			w.val("created_time", kTime, st)
			w.c.approx(st.path(), w.o.construct, "the Start_Time is read as created_time")
		} else {
			st.useAll()
			w.c.skip(st.path(), w.o.construct, "STIX 2.1 process has one created_time, from Creation_Time; not converted")
		}
	}
	if pp := p.kid("Parent_PID"); pp != nil {
		w.ref("parent_ref", "process", pp).val("pid", kInt, pp)
	}
	if cl := p.kid("Child_PID_List"); cl != nil {
		for _, k := range cl.all("Child_PID") {
			w.refs("child_refs", "process", k).val("pid", kInt, k)
		}
		w.rest(cl)
	}
	if img != nil {
		if fn := img.kid("File_Name"); fn != nil {
			w.ref("image_ref", "file", fn).val("name", kStr, fn)
		}
		w.val("command_line", kStr, cmd)
		w.val("cwd", kStr, img.kid("Current_Directory"))
		w.rest(img)
	}
	if ev := p.kid("Environment_Variable_List"); ev != nil {
		env := w.dict("environment_variables")
		for _, v := range ev.all("Environment_Variable") {
			name := v.kidStr("Name")
			if !keyRe.MatchString(name) {
				v.useAll()
				w.c.skip(v.path(), w.o.construct, "the variable name "+quoteText(name)+" cannot be a STIX 2.1 dictionary key; not converted")
				continue
			}
			env.val(name, kStr, v.kid("Value"))
			w.rest(v)
		}
		w.rest(ev)
	}
	if u := p.kid("Username"); u != nil {
		w.ref("creator_user_ref", "user-account", u).val("account_login", kStr, u)
	}
	// WindowsProcess
	if p.hasAttr("aslr_enabled") || p.hasAttr("dep_enabled") || p.kid("Priority") != nil ||
		p.kid("Security_ID") != nil || p.kid("Window_Title") != nil {
		ext := w.dict("extensions").dict("windows-process-ext")
		for _, a := range []string{"aslr_enabled", "dep_enabled"} {
			if p.hasAttr(a) {
				ext.add(a, test{kind: kBool, val: p.attr(a)})
			}
		}
		ext.val("priority", kStr, p.kid("Priority"))
		ext.val("owner_sid", kStr, p.kid("Security_ID"))
		ext.val("window_title", kStr, p.kid("Window_Title"))
	}
}

// mapMutex reads a Mutex object: mutex name.
func mapMutex(w *ow, p *node) {
	w.setType("mutex")
	w.val("name", kStr, p.kid("Name"))
}

// mapUserAccount reads a UserAccount object (and the Windows and Unix
// ones): user-account.
func mapUserAccount(w *ow, p *node) {
	w.setType("user-account")
	w.val("account_login", kStr, p.kid("Username"))
	w.val("display_name", kStr, p.kid("Full_Name"))
	w.val("account_created", kTime, p.kid("Creation_Date"))
	w.val("account_last_login", kTime, p.kid("Last_Login"))
	if p.hasAttr("disabled") {
		w.add("is_disabled", test{kind: kBool, val: p.attr("disabled")})
	}
	// WindowsUserAccount and UnixUserAccount
	w.val("user_id", kStr, p.kid("Security_ID"))
	w.val("user_id", kStr, p.kid("User_ID"))
	_, local, _ := p.xsiType()
	if local == "UnixUserAccountObjectType" {
		if g, sh, hd := p.kid("Group_ID"), p.kid("Login_Shell"), p.kid("Home_Directory"); g != nil || sh != nil || hd != nil {
			ext := w.dict("extensions").dict("unix-account-ext")
			ext.val("gid", kInt, g)
			ext.val("shell", kStr, sh)
			ext.val("home_dir", kStr, hd)
		}
	}
}
