package interp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ProjectFile names the project file that maps library names to where
// they live; it is looked for in the recipe's directory and above.
const ProjectFile = "vrun.yaml"

// PathEnv is the search path of named libraries: @team//x.star is
// DIR/team/x.star in the first DIR that has it.
const PathEnv = "VRUN_PATH"

// CacheEnv overrides where pinned git libraries are fetched to.
const CacheEnv = "VRUN_CACHE_DIR"

var (
	libName   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	commitHex = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// libSpec is one entry of vrun.yaml's libraries: a directory (relative to
// the project file), or a git repository pinned by commit.
type libSpec struct {
	Path   string `yaml:"path"`
	Git    string `yaml:"git"`
	Commit string `yaml:"commit"`
}

func (s *libSpec) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Decode(&s.Path)
	case yaml.MappingNode:
	default:
		return fmt.Errorf("line %d: a library is a directory, or git: URL with commit: ID", n.Line)
	}
	type plain libSpec
	return n.Decode((*plain)(s))
}

type projectFile struct {
	Libraries map[string]libSpec `yaml:"libraries"`
}

// findProject returns the nearest vrun.yaml at dir or above ("" if none).
func findProject(dir string) string {
	dir = canonical(dir)
	for {
		p := filepath.Join(dir, ProjectFile)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// resolveNamed finds the file of "@name//rel" for a recipe in rootDir:
// through the project file, then VRUN_PATH. Errors say what was looked
// for and where.
func resolveNamed(ctx context.Context, module, rootDir string) (string, error) {
	name, rel, ok := strings.Cut(strings.TrimPrefix(module, "@"), "//")
	if !ok || !libName.MatchString(name) {
		return "", fmt.Errorf("malformed library reference %q (want @name//path.star, name of letters, digits, _ . -)", module)
	}
	if rel == "" || filepath.IsAbs(rel) || strings.ContainsRune(rel, 0) || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("%q: the path inside library %q must be relative and stay inside it", module, name)
	}
	var looked []string
	if pf := findProject(rootDir); pf != "" {
		dir, found, err := projectLibrary(ctx, pf, name)
		if err != nil {
			return "", err
		}
		if found {
			p := filepath.Join(dir, rel)
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("no file %s in library %q (%s from %s)", rel, name, dir, pf)
			}
			return p, nil
		}
		looked = append(looked, fmt.Sprintf("%s has no library %q", pf, name))
	} else {
		looked = append(looked, fmt.Sprintf("no %s in %s or above", ProjectFile, canonical(rootDir)))
	}
	vp := os.Getenv(PathEnv)
	for _, dir := range filepath.SplitList(vp) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name, rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		looked = append(looked, "no "+p)
	}
	if vp == "" {
		looked = append(looked, "$"+PathEnv+" is not set")
	}
	return "", fmt.Errorf("unknown library %q: %s", name, strings.Join(looked, "; "))
}

// ResolveLibrary returns the file of a named library reference
// ("@team//x.star") as a recipe in dir would load it.
func ResolveLibrary(ctx context.Context, module, dir string) (string, error) {
	return resolveNamed(ctx, module, dir)
}

// projectLibrary reads pf and returns the directory of library name.
func projectLibrary(ctx context.Context, pf, name string) (string, bool, error) {
	data, err := os.ReadFile(pf)
	if err != nil {
		return "", false, err
	}
	var p projectFile
	if err := yaml.Unmarshal(data, &p); err != nil {
		return "", false, fmt.Errorf("%s: %v", pf, err)
	}
	s, ok := p.Libraries[name]
	if !ok {
		return "", false, nil
	}
	switch {
	case s.Path != "" && s.Git == "" && s.Commit == "":
		dir := s.Path
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(pf), dir)
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return "", false, fmt.Errorf("library %q in %s: no directory %s", name, pf, dir)
		}
		return dir, true, nil
	case s.Path == "" && s.Git != "":
		if !commitHex.MatchString(s.Commit) {
			return "", false, fmt.Errorf("library %q in %s: commit %q is not a full 40-digit commit id (a pinned library must not change under a recipe: a branch or tag would)", name, pf, s.Commit)
		}
		dir, err := fetchGit(ctx, s.Git, s.Commit, filepath.Dir(pf))
		if err != nil {
			return "", false, fmt.Errorf("library %q in %s: %v", name, pf, err)
		}
		return dir, true, nil
	}
	return "", false, fmt.Errorf("library %q in %s: want a directory, or git: URL with commit: ID", name, pf)
}

// cacheDir is where pinned git libraries are kept.
func cacheDir() (string, error) {
	if d := os.Getenv(CacheEnv); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for git libraries (set $%s): %v", CacheEnv, err)
	}
	return filepath.Join(d, "vrun"), nil
}

// fetchGit returns a checkout of url at commit, cloning it with the
// host's git on first use. A checkout is complete once renamed into
// place, so an interrupted fetch leaves nothing half-made behind.
func fetchGit(ctx context.Context, url, commit, base string) (string, error) {
	if strings.HasPrefix(url, "-") || strings.ContainsRune(url, 0) {
		return "", fmt.Errorf("git URL %q looks like an option", url)
	}
	if !strings.Contains(url, "://") && !strings.Contains(url, ":") && !filepath.IsAbs(url) {
		url = filepath.Join(base, url) // a local repository next to the project file
	}
	root, err := cacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(url))
	parent := filepath.Join(root, "git", hex.EncodeToString(sum[:8]))
	dir := filepath.Join(parent, commit)
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir, nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, ".fetch-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := git(ctx, "", "clone", "--quiet", "--no-checkout", "--", url, tmp); err != nil {
		return "", err
	}
	if err := git(ctx, tmp, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", commit); err != nil {
		return "", fmt.Errorf("commit %s of %s: %v", commit, url, err)
	}
	var out bytes.Buffer
	cmd := osexec.CommandContext(ctx, "git", "-C", tmp, "rev-parse", "HEAD")
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil || strings.TrimSpace(out.String()) != commit {
		return "", fmt.Errorf("checkout of %s is at %q, not the pinned %s", url, strings.TrimSpace(out.String()), commit)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(dir); serr == nil {
			return dir, nil // another run fetched it meanwhile
		}
		return "", err
	}
	return dir, nil
}

func git(ctx context.Context, dir string, args ...string) error {
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := osexec.CommandContext(ctx, "git", args...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if _, lerr := osexec.LookPath("git"); lerr != nil {
			return fmt.Errorf("git is not installed on this machine: install it to fetch pinned libraries")
		}
		return fmt.Errorf("git %s: %s", strings.Join(args, " "), strings.TrimSpace(stderr.String()))
	}
	return nil
}
