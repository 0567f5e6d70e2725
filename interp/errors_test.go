package interp_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/interp"
)

func TestRenderEscapesAndClips(t *testing.T) {
	cases := map[string]string{
		"plain\nsecond\tline":       "plain\nsecond\tline",
		"\x1b[2Jwiped\r":            `\x1b[2Jwiped\r`,
		"bell\a del\x7f c1\u009b":   `bell\a del\x7f c1\u009b`,
		"bidi \u202etxt.exe":        `bidi \u202etxt.exe`,
		"bad utf8 \xff\xfe ok é 日本": `bad utf8 \xff\xfe ok é 日本`,
	}
	for in, want := range cases {
		if got := interp.Render(errors.New(in)); got != want {
			t.Errorf("Render(%q) = %q, want %q", in, got, want)
		}
	}
	long := interp.Render(errors.New("start" + strings.Repeat("x", 10<<20) + "end"))
	if len(long) > 64<<10+100 || !strings.HasPrefix(long, "start") || !strings.HasSuffix(long, "end") || !strings.Contains(long, " bytes omitted)") {
		t.Errorf("a 10 MiB message renders as %d bytes: %.80q...", len(long), long)
	}
}
