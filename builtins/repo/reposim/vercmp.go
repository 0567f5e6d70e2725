package reposim

import "strconv"

// vercmp compares two version strings by alternating digit and letter
// segments (rpm's rpmvercmp without tilde and caret).
func vercmp(a, b string) int {
	for a != "" || b != "" {
		a, b = trimSep(a), trimSep(b)
		if a == "" || b == "" {
			break
		}
		sa, ra := segment(a)
		sb, rb := segment(b)
		na, errA := strconv.ParseUint(sa, 10, 64)
		nb, errB := strconv.ParseUint(sb, 10, 64)
		switch {
		case errA == nil && errB == nil && na != nb:
			if na > nb {
				return 1
			}
			return -1
		case errA == nil && errB != nil:
			return 1 // numbers are newer than letters
		case errA != nil && errB == nil:
			return -1
		case sa != sb && (errA != nil || errB != nil):
			if sa > sb {
				return 1
			}
			return -1
		}
		a, b = ra, rb
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func trimSep(s string) string {
	i := 0
	for i < len(s) && !isAlnum(s[i]) {
		i++
	}
	return s[i:]
}

func segment(s string) (string, string) {
	digit := s[0] >= '0' && s[0] <= '9'
	i := 0
	for i < len(s) && isAlnum(s[i]) && (s[i] >= '0' && s[i] <= '9') == digit {
		i++
	}
	return s[:i], s[i:]
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
