package core

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// http fetches with curl ON the target (over SSH the remote host
// downloads, as the seeds' wget lines did), limited to http and https.
func httpModule() *starutil.Module {
	return &starutil.Module{Name: "http", Doc: "HTTP fetches run on the target (curl)", Funcs: []starutil.Func{
		{Name: "get", Params: "(url)", Impl: httpGet,
			Doc: "Returns the body of an http(s) URL fetched by curl on the target; an HTTP error status fails."},
		{Name: "download", Params: "(url, dest, sha256 = None, mode = None)", Impl: httpDownload,
			Doc: "Downloads url to dest on the target (curl to dest.part, checked, renamed); kept when dest is there and matches sha256 (or, without sha256, exists); a mismatch removes the part file and fails. Returns whether it downloaded."},
	}}
}

var curlTool = tool.Tool{Name: "curl", Explain: firstLine}

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func checkURL(raw string) error {
	if err := starutil.Operand(raw, "an http or https URL"); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(raw, " \n\t") {
		return fmt.Errorf("got %q, want an http or https URL", raw)
	}
	return nil
}

func httpGet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var raw string
	if err := starutil.Unpack(b, args, kwargs, "url", &raw); err != nil {
		return nil, err
	}
	if err := checkURL(raw); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	res, err := curlTool.Read(e, "-fsSL", "--proto", "=http,https", "--", raw)
	if err != nil {
		return nil, cause(e, err)
	}
	return starlark.String(res.Stdout), nil
}

func httpDownload(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var raw, dest, sum string
	var mode starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "url", &raw, "dest", &dest, "sha256??", &sum, "mode?", &mode); err != nil {
		return nil, err
	}
	if err := checkURL(raw); err != nil {
		return nil, err
	}
	if err := paths(dest, "a destination path"); err != nil {
		return nil, err
	}
	sum = strings.ToLower(strings.TrimSpace(sum))
	if sum != "" && !hexSHA256.MatchString(sum) {
		return nil, fmt.Errorf("sha256: got %q, want 64 hex digits", sum)
	}
	m, err := fileMode(mode)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	k, err := kindOf(th, dest)
	if err != nil {
		return nil, err
	}
	switch {
	case k == "dir":
		return nil, fmt.Errorf("%s is a directory: give the full path of the file", dest)
	case k != "" && sum == "":
		return starlark.False, nil
	case k != "":
		got, err := sha256Of(th, dest)
		if err != nil {
			return nil, err
		}
		if got == sum {
			return starlark.False, nil
		}
		// A different file in the way: fetch again and replace it only
		// once the new one checks out.
	}
	part := dest + ".part"
	if _, err := curlTool.Change(e, "-fsSL", "--proto", "=http,https", "-o", part, "--", raw); err != nil {
		_, _ = fileTool(th, "rm", true, "-f", "--", part)
		return nil, cause(e, err)
	}
	if sum != "" {
		got, err := sha256Of(th, part)
		if err == nil && got != sum {
			err = fmt.Errorf("%s: sha256 %s, want %s; nothing was written to %s", raw, got, sum, dest)
		}
		if err != nil {
			_, _ = fileTool(th, "rm", true, "-f", "--", part)
			return nil, err
		}
	}
	if m != "" {
		if _, err := fileTool(th, "chmod", true, m, "--", part); err != nil {
			return nil, err
		}
	}
	if _, err := fileTool(th, "mv", true, "-f", "--", part, dest); err != nil {
		return nil, err
	}
	return starlark.True, nil
}

func sha256Of(th *starlark.Thread, p string) (string, error) {
	res, err := fileTool(th, "sha256sum", false, "--", p)
	if err != nil {
		return "", err
	}
	h, _, _ := strings.Cut(string(res.Stdout), " ")
	if !hexSHA256.MatchString(h) {
		return "", fmt.Errorf("sha256sum %s printed %q", p, res.Stdout)
	}
	return h, nil
}
