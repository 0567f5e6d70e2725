package main

import (
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
)

// `vrun sim cloudstack` keys: flags, then CLOUDSTACK_* (out of the process
// list), then the built-in default; an explicitly empty flag is an error.
func TestSimKeys(t *testing.T) {
	for _, tc := range []struct {
		name            string
		args            []string
		env             map[string]string
		key, secret, in string // in: the error on stderr
	}{
		{"defaults", nil, nil, csim.DefaultAPIKey, csim.DefaultSecretKey, ""},
		{"flags", []string{"--api-key", "K", "--secret-key", "S"}, map[string]string{"CLOUDSTACK_SECRET_KEY": "E"}, "K", "S", ""},
		{"environment", nil, map[string]string{"CLOUDSTACK_API_KEY": "EK", "CLOUDSTACK_SECRET_KEY": "ES"}, "EK", "ES", ""},
		{"empty secret flag", []string{"--api-key", "K", "--secret-key", ""}, nil, "", "", "--secret-key is empty"},
		{"empty key flag", []string{"--api-key=", "--secret-key", "S"}, map[string]string{"CLOUDSTACK_API_KEY": "EK"}, "", "", "--api-key is empty"},
		{"only one", nil, map[string]string{"CLOUDSTACK_SECRET_KEY": "ES"}, "", "", "give both the API key and the secret key"},
	} {
		var stderr strings.Builder
		args := append([]string{"--listen", "127.0.0.1:0"}, tc.args...)
		cfg, ok := parseSimArgs(args, func(k string) string { return tc.env[k] }, &stderr)
		if tc.in != "" {
			if ok || !strings.Contains(stderr.String(), tc.in) {
				t.Errorf("%s: ok %v, stderr %q, want %q", tc.name, ok, stderr.String(), tc.in)
			}
			continue
		}
		if !ok || cfg.key != tc.key || cfg.secret != tc.secret {
			t.Errorf("%s: ok %v key %q secret %q (%s), want %q %q", tc.name, ok, cfg.key, cfg.secret, stderr.String(), tc.key, tc.secret)
		}
		if tc.name == "environment" && strings.Contains(cfg.shown, "ES") {
			t.Errorf("the secret from the environment is echoed: %q", cfg.shown)
		}
	}
}
