package xen

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// xl.cfg keys vrun renders (xl.cfg(5)): a typo must not become a guest
// that boots without its network or disk.
var cfgKeys = map[string]string{
	"name": "str", "type": "str", "builder": "str", "memory": "int", "maxmem": "int", "vcpus": "int", "maxvcpus": "int",
	"cpus": "str", "uuid": "str", "kernel": "str", "ramdisk": "str", "extra": "str", "root": "str", "cmdline": "str",
	"bootloader": "str", "bootloader_args": "list", "disk": "list", "vif": "list", "on_poweroff": "str", "on_reboot": "str",
	"on_crash": "str", "vnc": "int", "vnclisten": "str", "vncpasswd": "str", "vfb": "list", "serial": "str", "boot": "str",
	"localtime": "int", "sdl": "int", "pci": "list", "usb": "int", "acpi": "int", "apic": "int", "pae": "int", "nographic": "int",
}

var nameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Config renders xl.cfg from keys; name and memory are required.
func Config(keys map[string]any) (string, error) {
	for _, k := range []string{"name", "memory"} {
		if _, ok := keys[k]; !ok {
			return "", fmt.Errorf("xl.cfg needs %s", k)
		}
	}
	var names []string
	for k := range keys {
		if _, ok := cfgKeys[k]; !ok {
			return "", fmt.Errorf("unknown xl.cfg key %q (known: %s)", k, known())
		}
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return order(names[i]) < order(names[j]) })
	var b strings.Builder
	for _, k := range names {
		v, err := render(k, keys[k])
		if err != nil {
			return "", err
		}
		b.WriteString(k + " = " + v + "\n")
	}
	if n, _ := keys["name"].(string); !nameRe.MatchString(n) {
		return "", fmt.Errorf("name %q: want letters, digits and _.- (a domain name and a file name)", keys["name"])
	}
	return b.String(), nil
}

// order puts name and memory first, as hand-written configs do.
func order(k string) string {
	switch k {
	case "name":
		return "0"
	case "type", "builder":
		return "1"
	case "memory":
		return "2"
	case "vcpus":
		return "3"
	}
	return "9" + k
}

func known() string {
	var ks []string
	for k := range cfgKeys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func render(k string, v any) (string, error) {
	switch cfgKeys[k] {
	case "int":
		n, ok := v.(int64)
		if !ok || n < 0 {
			return "", fmt.Errorf("%s: got %v, want a non-negative int", k, v)
		}
		if (k == "memory" || k == "maxmem") && n < 16 {
			return "", fmt.Errorf("%s = %d: xl reads memory in MiB; a guest needs at least 16", k, n)
		}
		return strconv.FormatInt(n, 10), nil
	case "str":
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("%s: got %v, want a string", k, v)
		}
		return quote(k, s)
	}
	list, ok := v.([]string)
	if !ok {
		return "", fmt.Errorf("%s: got %v, want a list of strings", k, v)
	}
	parts := make([]string, len(list))
	for i, s := range list {
		q, err := quote(k, s)
		if err != nil {
			return "", err
		}
		parts[i] = q
	}
	return "[ " + strings.Join(parts, ", ") + " ]", nil
}

// quote writes an xl.cfg string; libxlu has no escapes, so a quote, a
// backslash or a newline cannot be written at all.
func quote(k, s string) (string, error) {
	if strings.ContainsAny(s, "'\"\\\n\r\x00") {
		return "", fmt.Errorf("%s: %q holds a quote, backslash or newline, which xl.cfg cannot carry", k, s)
	}
	return "'" + s + "'", nil
}
