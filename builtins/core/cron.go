package core

import (
	"fmt"
	"regexp"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// cron keeps lines in a user's crontab through crontab(1) on the target,
// so the cron daemon learns of the change as it does for crontab -e.
func cronModule() *starutil.Module {
	return &starutil.Module{Name: "cron", Doc: "crontab entries on the target (crontab)", Funcs: []starutil.Func{
		{Name: "entry", Params: "(user, schedule, command)", Impl: cronEntry,
			Doc: "Makes \"schedule command\" a line of user's crontab (crontab -l / crontab -): kept when present, the same command's other schedule replaced, else appended; returns whether the crontab changed."},
	}}
}

// cronField is one of the five time fields (numbers, ranges, steps, lists,
// names such as mon-fri); cronSpecial the @ shorthands.
var (
	cronField   = regexp.MustCompile(`^[0-9A-Za-z*/,-]+$`)
	cronSpecial = map[string]bool{"@reboot": true, "@yearly": true, "@annually": true, "@monthly": true, "@weekly": true, "@daily": true, "@midnight": true, "@hourly": true}
)

func checkSchedule(s string) (string, error) {
	fields := strings.Fields(s)
	if len(fields) == 1 && cronSpecial[fields[0]] {
		return fields[0], nil
	}
	if len(fields) != 5 {
		return "", fmt.Errorf("schedule %q: want five fields (minute hour day month weekday, e.g. \"13 2 * * *\") or one of @reboot, @daily, ...", s)
	}
	for _, f := range fields {
		if !cronField.MatchString(f) {
			return "", fmt.Errorf("schedule %q: field %q is not a cron time field", s, f)
		}
	}
	return strings.Join(fields, " "), nil
}

func cronEntry(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var user, schedule, command string
	if err := starutil.Unpack(b, args, kwargs, "user", &user, "schedule", &schedule, "command", &command); err != nil {
		return nil, err
	}
	if err := starutil.Operand(user, "a user name"); err != nil {
		return nil, err
	}
	sched, err := checkSchedule(schedule)
	if err != nil {
		return nil, err
	}
	command = strings.TrimSpace(command)
	switch {
	case command == "" || strings.ContainsAny(command, "\n\r\x00"):
		return nil, fmt.Errorf("command: got %q, want one non-empty line", command)
	case strings.Contains(strings.ReplaceAll(command, `\%`, ""), "%"):
		return nil, fmt.Errorf("command %q: cron turns an unescaped %% into a newline and feeds the rest as stdin; write \\%% (date +\\%%F)", command)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	crontab := tool.Tool{Name: "crontab"}
	res, err := crontab.Read(e, "-u", user, "-l")
	current := string(res.Stdout)
	if err != nil {
		// No crontab yet is an empty one; anything else (no such user,
		// no permission) stops here.
		if res.Code != 1 || !strings.HasPrefix(string(res.Stderr), "no crontab for ") {
			return nil, cause(e, err)
		}
		current = ""
	}
	line := sched + " " + command
	lines := strings.SplitAfter(current, "\n")
	for i, l := range lines {
		body := strings.TrimSpace(l)
		if body == line {
			return starlark.False, nil
		}
		if strings.HasPrefix(body, "#") || body == "" {
			continue
		}
		if lineCommand(body) == command {
			lines[i] = line + "\n"
			return cronInstall(e, crontab, user, strings.Join(lines, ""))
		}
	}
	if current != "" && !strings.HasSuffix(current, "\n") {
		current += "\n"
	}
	return cronInstall(e, crontab, user, current+line+"\n")
}

// lineCommand is the command of a crontab line: what follows the
// schedule (one @word or five fields).
func lineCommand(l string) string {
	n := 5
	if strings.HasPrefix(l, "@") {
		n = 1
	}
	rest := l
	for i := 0; i < n; i++ {
		rest = strings.TrimLeft(rest, " \t")
		j := strings.IndexAny(rest, " \t")
		if j < 0 {
			return ""
		}
		rest = rest[j:]
	}
	return strings.TrimSpace(rest)
}

func cronInstall(e *env.Env, crontab tool.Tool, user, content string) (starlark.Value, error) {
	if _, err := crontab.Run(e, tool.Cmd{Args: []string{"-u", user, "-"}, Stdin: []byte(content)}, true); err != nil {
		return nil, cause(e, err)
	}
	return starlark.True, nil
}
