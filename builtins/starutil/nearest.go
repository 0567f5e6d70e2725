package starutil

import "strings"

// Nearest is the candidate closest to name by edit distance (ignoring
// case), or "" when none is close enough to be a plausible typo: at most
// about half of name's letters changed. "did you mean ...?" hints use it
// (lvm.lvcreat, ifcfg's DEVICETYP, libvirt's membaloon).
func Nearest(name string, candidates []string) string {
	best, bestD := "", len([]rune(name))/2+2
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is Levenshtein's distance between a and b, in runes; long
// strings are not typos of anything and are not compared.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 1 << 20
	}
	prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
