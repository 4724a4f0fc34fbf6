package federation_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/taxii"
)

// The medallion peer: its API root, its collections, and the user the hub
// logs in as.
const (
	medallionRoot     = "api1"
	medallionSource   = "a9c5e0a4-1d1e-4a55-9a8a-6a1f0d2c0001" // the hub pulls from it
	medallionSink     = "a9c5e0a4-1d1e-4a55-9a8a-6a1f0d2c0002" // the hub pushes to it
	medallionUser     = "isachub"
	medallionPassword = "medallion-test-password"
)

// TestMedallionPeer federates a hub with the OASIS TAXII 2.1 reference
// server, medallion, run here as a peer (issue 14): a pull of one of its
// collections stores each object once, and a push to another sends only
// what the border lets go to an untrusted peer (TLP:CLEAR), and not what
// came from medallion itself. medallion is optional: without it the test
// skips and says why.
func TestMedallionPeer(t *testing.T) {
	command, why := findMedallion()
	if command == nil {
		t.Skip(why)
	}
	root := startMedallion(t, command)
	ctx := context.Background()
	remote, err := taxii.NewClient(root, taxii.ClientOptions{Auth: taxii.Basic(medallionUser, medallionPassword), Timeout: 10 * time.Second})
	must(t, err)
	// The objects medallion holds are posted to it over TAXII rather than
	// written in its data file, whose layout of objects differs between
	// medallion's versions.
	seed := []string{indicator(101, "from medallion one", tlpClear), indicator(102, "from medallion two", tlpClear), indicator(103, "from medallion three", tlpClear)}
	st, err := remote.AddObjects(ctx, medallionSource, []byte(`{"objects":[`+strings.Join(seed, ",")+`]}`))
	must(t, err)
	if st, err = remote.WaitStatus(ctx, st); err != nil || st.SuccessCount != len(seed) {
		t.Fatalf("seeding medallion: %+v, %v", st, err)
	}

	hub := newTestHub(t, "aviation-isac")
	peer, syncer := medallionPeer(t, hub, root)
	subscribe(t, hub, peer, isachub.Pull, medallionSource, hub.colls["shared"].ID)
	subscribe(t, hub, peer, isachub.Push, medallionSink, hub.colls["shared"].ID)
	hub.publish(t, "member", "shared",
		indicator(1, "clear", tlpClear), indicator(2, "green", tlpGreen), indicator(3, "amber", tlpAmber), indicator(4, "unmarked"))

	results := syncOK(t, syncer, peer.ID)
	if pull, push := results[0], results[1]; pull.Moved != 3 || push.Moved != 1 || push.Withheld != 3 {
		t.Errorf("pull moved %d (refused %v); push moved %d and withheld %d (refused %v)",
			pull.Moved, pull.Refusals, push.Moved, push.Withheld, push.Refusals)
	}
	syncOK(t, syncer, peer.ID) // a second run moves nothing new

	want := map[string]int{indicatorID(1): 1, indicatorID(2): 1, indicatorID(3): 1, indicatorID(4): 1,
		indicatorID(101): 1, indicatorID(102): 1, indicatorID(103): 1}
	if got := hub.ids(t, "shared"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the hub holds %v, want %v", got, want)
	}
	// The border: medallion is an untrusted peer, so it receives the
	// TLP:CLEAR object only, once, and none of its own back.
	if got := medallionIDs(t, remote, medallionSink); fmt.Sprint(got) != fmt.Sprint(map[string]int{indicatorID(1): 1}) {
		t.Errorf("medallion received %v, want only %s", got, indicatorID(1))
	}
	if got := medallionIDs(t, remote, medallionSource); len(got) != len(seed) {
		t.Errorf("medallion's source collection holds %v after the sync", got)
	}
}

// findMedallion returns the command that runs medallion, or why there is
// none: ISACHUB_MEDALLION (a command line split at spaces, for example
// "/opt/venv/bin/python -m medallion.scripts.run"), else the medallion
// command on PATH, else python3's medallion module.
func findMedallion() ([]string, string) {
	if v := strings.TrimSpace(os.Getenv("ISACHUB_MEDALLION")); v != "" {
		return strings.Fields(v), ""
	}
	if path, err := exec.LookPath("medallion"); err == nil {
		return []string{path}, ""
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, "medallion, the OASIS TAXII 2.1 reference server, is not here: no medallion command on PATH and no python3 to look for its module. " + medallionHowTo
	}
	out, err := exec.Command(python, "-c", "import medallion.scripts.run").CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return nil, fmt.Sprintf("medallion, the OASIS TAXII 2.1 reference server, is not here: no medallion command on PATH, and python3 cannot import it (%s). %s",
			lines[len(lines)-1], medallionHowTo)
	}
	return []string{python, "-m", "medallion.scripts.run"}, ""
}

const medallionHowTo = "The test needs medallion 3.x (TAXII 2.1), a Python package installed with pip install medallion; PyPI is not reachable from this machine, so it cannot be installed here. Set ISACHUB_MEDALLION to a command that runs it to use one installed elsewhere."

// startMedallion runs medallion on a free port of 127.0.0.1 with a memory
// backend (medallion's own MemoryBackend, loaded from a JSON data file)
// holding one API root with two empty collections, and HTTP Basic
// credentials; it returns the API root's URL once medallion answers, and
// stops it at the end of the test.
func startMedallion(t *testing.T, command []string) string {
	t.Helper()
	dir := t.TempDir()
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d/", port)
	root := base + medallionRoot + "/"

	// The data file of the MemoryBackend: the discovery resource under
	// "/discovery", then each API root under its path segment, with its
	// information, status resources and collections.
	collection := func(id, title string) map[string]any {
		return map[string]any{"id": id, "title": title, "can_read": true, "can_write": true,
			"media_types": []string{taxii.MediaTypeSTIX21}, "objects": []any{}, "manifest": []any{}}
	}
	data := map[string]any{
		"/discovery": map[string]any{"title": "medallion for isachub's tests", "default": root, "api_roots": []string{root}},
		medallionRoot: map[string]any{
			"information": map[string]any{"title": "isachub test root", "versions": []string{taxii.MediaTypeTAXII21}, "max_content_length": 10 << 20},
			"status":      []any{},
			"collections": []any{collection(medallionSource, "Source"), collection(medallionSink, "Sink")},
		},
	}
	// The configuration: the backend ("module" for the versions that
	// import it by name, "module_class" for all), the users in clear (as
	// medallion 3.x reads them), and the page size.
	config := map[string]any{
		"backend": map[string]any{"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
			"filename": filepath.Join(dir, "data.json")},
		"users": map[string]string{medallionUser: medallionPassword},
		"taxii": map[string]any{"max_page_size": 100},
	}
	for name, v := range map[string]any{"data.json": data, "config.json": config} {
		b, err := json.MarshalIndent(v, "", "  ")
		must(t, err)
		must(t, os.WriteFile(filepath.Join(dir, name), b, 0o600))
	}

	ctx, cancel := context.WithCancel(context.Background())
	args := append(command[1:len(command):len(command)], "--host", "127.0.0.1", "--port", fmt.Sprint(port), filepath.Join(dir, "config.json"))
	cmd := exec.CommandContext(ctx, command[0], args...)
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second // should medallion leave a child holding its output
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	must(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cancel()
		<-exited
		if t.Failed() {
			t.Logf("medallion's output:\n%s", out.String())
		}
	})

	// Wait until the discovery resource answers.
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, base+"taxii2/", nil)
		req.Header.Set("Accept", taxii.MediaTypeTAXII21)
		req.SetBasicAuth(medallionUser, medallionPassword)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return root
			}
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("medallion (%s) exited before answering: %v", strings.Join(command, " "), err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("medallion did not answer on %s within 30 s (last: %v)", base, err)
		}
	}
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago
// (medallion takes a port number, not a listener).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// lockedBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// medallionPeer makes medallion's API root an untrusted peer of the hub's
// community, with HTTP Basic credentials, and its syncer.
func medallionPeer(t *testing.T, h *testHub, root string) (*isachub.Peer, *federation.Syncer) {
	t.Helper()
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	org := &isachub.Org{CommunityID: h.comm.ID, Slug: "peer-medallion", Name: "Peer medallion"}
	must(t, h.store.CreateOrg(ctx, org))
	p := &isachub.Peer{ID: "peer-medallion", CommunityID: h.comm.ID, Name: "medallion", URL: root, OrgID: org.ID, User: medallionUser}
	cred, err := federation.Seal(key, p.ID, medallionPassword)
	must(t, err)
	p.Credential = cred
	must(t, h.store.CreatePeer(ctx, p))
	return p, &federation.Syncer{Store: h.store, Key: key, StatusWait: 10 * time.Second,
		ClientOptions: taxii.ClientOptions{Timeout: 10 * time.Second, MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}}
}

// medallionIDs counts the object versions of a medallion collection by id.
func medallionIDs(t *testing.T, c *taxii.Client, collection string) map[string]int {
	t.Helper()
	out := map[string]int{}
	q := taxii.PageQuery{Match: map[string][]string{"version": {"all"}}}
	must(t, c.EachPage(context.Background(), collection, q, func(p *taxii.ObjectsPage) error {
		for _, raw := range p.Objects {
			var o struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				return err
			}
			out[o.ID]++
		}
		return nil
	}))
	return out
}
