package sim

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// crontab -u USER -l and crontab -u USER - as Debian's cron 3.0pl1-162
// answers (checked against the real one): crontabs are files under
// /var/spool/cron/crontabs, "no crontab for USER" exits 1, an unknown user
// and a bad line are refused before anything is written.

const crontabDir = "/var/spool/cron/crontabs"

var cronTimeField = regexp.MustCompile(`^[0-9A-Za-z*/,-]+$`)

func registerCrontab(h *Host) { h.Register("crontab", crontabCmd) }

func crontabCmd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:], "-u")
	user, ok := opts["-u"]
	if !ok {
		user = "root" // vrun runs as root; the fake has no other caller
	}
	if _, known := h.users.User(user); !known {
		return Fail(1, fmt.Sprintf("crontab:  user `%s' unknown\n", user))
	}
	file := crontabDir + "/" + user
	_, list := opts["-l"]
	switch {
	case list && len(ops) == 0:
		data, ok := h.ReadFile(file)
		if !ok {
			return Fail(1, fmt.Sprintf("no crontab for %s\n", user))
		}
		return OK(string(data))
	case !list && len(ops) == 1 && ops[0] == "-", !list && len(ops) == 0 && hasDashOperand(c.Argv):
		for i, l := range strings.Split(string(c.Stdin), "\n") {
			if why := badCronLine(l); why != "" {
				return Fail(1, fmt.Sprintf("\"-\":%d: %s\nerrors in crontab file, can't install.\n", i, why))
			}
		}
		h.MakeDir(crontabDir)
		h.WriteFile(file, c.Stdin, 0o600)
		if h.users.Owners == nil {
			h.users.Owners = map[string]string{}
		}
		h.users.Owners[file] = user + ":crontab"
		return OK("")
	}
	return Fail(1, "crontab: the simulated host supports only crontab [-u USER] -l and crontab [-u USER] -\n")
}

// hasDashOperand: Getopt reads a lone "-" as an operand already; kept for
// the form "crontab -u USER -" written with "--".
func hasDashOperand(argv []string) bool { return argv[len(argv)-1] == "-" }

// badCronLine is cron's complaint about a line, "" when it takes it.
func badCronLine(l string) string {
	t := strings.TrimSpace(l)
	if t == "" || strings.HasPrefix(t, "#") {
		return ""
	}
	f := strings.Fields(t)
	if strings.HasPrefix(t, "@") {
		if len(f) < 2 {
			return "bad command"
		}
		return ""
	}
	if k, _, ok := strings.Cut(f[0], "="); ok && k != "" && !cronTimeField.MatchString(f[0]) {
		return "" // an environment setting, MAILTO=root
	}
	for i, name := range []string{"minute", "hour", "day of month", "month", "day of week"} {
		if i >= len(f) || !cronTimeField.MatchString(f[i]) {
			return "bad " + name
		}
	}
	if len(f) < 6 {
		return "bad command"
	}
	return ""
}
