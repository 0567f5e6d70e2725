package qemu

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// SheepdogURI names a sheepdog VDI for qemu (≤5.2; the driver was removed
// in 6.0). Legacy syntax (block/sheepdog.c parse_vdiname):
// sheepdog:[host:port:]vdi[:tag]; URI syntax (sd_parse_uri):
// sheepdog://[host[:port]]/vdi[#tag]. port 0 means the default (7000).
func SheepdogURI(vdi, host string, port int, tag string, legacy bool) (string, error) {
	if vdi == "" {
		return "", fmt.Errorf("empty VDI name")
	}
	if port < 0 || port > 65535 {
		return "", fmt.Errorf("port %d out of range", port)
	}
	if !legacy {
		return sheepdogURL(vdi, host, port, tag), nil
	}
	// The legacy form splits on ':', so no part may hold one.
	for what, s := range map[string]string{"VDI name": vdi, "tag": tag, "host": host} {
		if strings.Contains(s, ":") {
			return "", fmt.Errorf("%s %q has a ':', which the legacy syntax cannot express (use uri = True)", what, s)
		}
	}
	u := "sheepdog:"
	if host != "" || port != 0 {
		if host == "" {
			host = "localhost"
		}
		if port == 0 {
			port = 7000
		}
		u += fmt.Sprintf("%s:%d:", host, port)
	}
	u += vdi
	if tag != "" {
		u += ":" + tag
	}
	return u, nil
}

// sheepdogURL is the URI form: sheepdog://[host[:port]]/vdi[#tag].
func sheepdogURL(vdi, host string, port int, tag string) string {
	if strings.Contains(host, ":") { // an IPv6 address: RFC 3986 brackets it
		host = "[" + strings.Trim(host, "[]") + "]"
	}
	u := "sheepdog://" + host
	if port != 0 {
		if host == "" {
			u += "localhost"
		}
		u += ":" + strconv.Itoa(port)
	}
	u += "/" + url.PathEscape(vdi)
	if tag != "" {
		u += "#" + url.PathEscape(tag)
	}
	return u
}
