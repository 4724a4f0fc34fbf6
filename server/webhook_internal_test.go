package server

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMaskWebhookURL: a webhook's URL is shown without its user
// information and query values, and an error of its log without them
// either, as net/http's client writes it.
func TestMaskWebhookURL(t *testing.T) {
	for _, tt := range []struct{ raw, want string }{
		{"https://hooks.example/in", "https://hooks.example/in"},
		{"https://bot:s3cret-pass@hooks.example/in?token=abcd1234&team=soc", "https://***@hooks.example/in?team=***&token=***"},
		{"https://only-token@hooks.example/", "https://***@hooks.example/"},
		{"https://hooks.example/in?flag#frag", "https://hooks.example/in?flag=***"},
		{"http://127.0.0.1:8080/x?k=%2Fsecret%20value", "http://127.0.0.1:8080/x?k=***"},
		{"not a url", "***"},
		{"https://hooks.example/%zz", "***"},
	} {
		if got := maskWebhookURL(tt.raw); got != tt.want {
			t.Errorf("maskWebhookURL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}

	raw := "http://bot:s3cret-pass@127.0.0.1:1/in?token=abcd1234&k=%2Fsecret%20value&team=soc"
	req, _ := http.NewRequest(http.MethodPost, raw, nil)
	_, err := (&http.Client{Timeout: time.Second}).Do(req)
	if err == nil {
		t.Fatal("a POST to port 1 succeeded")
	}
	got := maskWebhookText(err.Error(), raw)
	for _, secret := range []string{"s3cret-pass", "bot", "abcd1234", "%2Fsecret%20value", "/secret value"} {
		if strings.Contains(got, secret) {
			t.Errorf("maskWebhookText(%q) = %q: shows %q", err, got, secret)
		}
	}
	if !strings.Contains(got, "127.0.0.1:1/in?token=***") || !strings.Contains(got, "team=***") {
		t.Errorf("maskWebhookText(%q) = %q: want the URL, masked", err, got)
	}
	if got := maskWebhookText("the receiver answered 503 Service Unavailable", raw); got != "the receiver answered 503 Service Unavailable" {
		t.Errorf("an error without the URL became %q", got)
	}
}
